/**
 * `GET/PUT /v1/environments/{envId}/billOfMaterials` and `PUT /v1/environments/{envId}/type`
 * (PingOne's `readOneBillOfMaterials`, `updateBillOfMaterials`, `updateEnvironmentType`).
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import type { EnvironmentRecord } from '../../store/types.js';
import { forbidden, requireEnvironment } from '../access.js';
import { unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';
import { canInEnvironment, type Actor } from '../roles.js';
import { billOfMaterialsOf, readBillOfMaterials, toBillOfMaterialsResponse } from './bill-of-materials.js';
import { ENVIRONMENT_TYPES } from './parse.js';
import { toEnvironmentResponse } from './serialize.js';
import type { Versioned } from './service.js';

export async function readEnvironmentBillOfMaterials(deps: ManagementDeps, actor: Actor, environmentId: string): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'environments:read', environmentId);
  return toBillOfMaterialsResponse(env, deps.apiBase);
}

export async function replaceBillOfMaterials(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'environments:update', environmentId);
  const at = deps.now().toISOString();
  const r = new FieldReader(asObject(body), GENERAL_RULES);
  const bom = readBillOfMaterials(r, at, env.extras.billOfMaterials === undefined ? undefined : billOfMaterialsOf(env));
  throwIfInvalid(r.issues);
  const next: EnvironmentRecord = { ...env, extras: { ...env.extras, billOfMaterials: bom }, updatedAt: at };
  const updated = unwrapUpdate(await deps.store.updateEnvironment(environmentId, next, env.version));
  return toBillOfMaterialsResponse(updated, deps.apiBase);
}

/**
 * Promotion is one way: SANDBOX → PRODUCTION; PRODUCTION → SANDBOX is refused, as PingOne refuses
 * it ("sandbox→production one-way", docs/pingone-reference.md §5.3). PingOne lists "promote
 * environment" under Organization Admin only, so the role check is its own permission.
 */
export async function changeEnvironmentType(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown): Promise<Versioned<Record<string, unknown>>> {
  const env = await requireEnvironment(deps.store, actor, 'environments:read', environmentId);
  if (!canInEnvironment(actor, 'environments:promote', environmentId)) throw forbidden();
  const r = new FieldReader(asObject(body), GENERAL_RULES);
  const type = r.enumValue('type', ENVIRONMENT_TYPES, { required: true });
  throwIfInvalid(r.issues);
  if (type === env.type) return { body: toEnvironmentResponse(env, deps.apiBase), version: env.version };
  if (type === 'SANDBOX') {
    throw new InvalidDataError([detail.invalid('type', 'A PRODUCTION environment cannot become a SANDBOX.')]);
  }
  const next: EnvironmentRecord = { ...env, type: 'PRODUCTION', updatedAt: deps.now().toISOString() };
  const updated = unwrapUpdate(await deps.store.updateEnvironment(environmentId, next, env.version));
  deps.changes.environmentChanged(environmentId);
  return { body: toEnvironmentResponse(updated, deps.apiBase), version: updated.version };
}
