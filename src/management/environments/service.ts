/**
 * Environments: list, read, create (with its seed), replace, delete.
 */
import { newId } from '../../domain/ids.js';
import { InvalidDataError } from '../../domain/pingone-error.js';
import { UniqueViolation, type EnvironmentRecord, type PageRequest, type RoleAssignmentRecord } from '../../store/types.js';
import { requireEnvironment, requireOrganizationPermission } from '../access.js';
import { collection, unwrapUpdate, type CreateOptions } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import { ENVIRONMENT_FILTER, parseCollectionFilter } from '../filter/spec.js';
import { ROLES, canInOrganization, type Actor } from '../roles.js';
import { parseEnvironmentBody } from './parse.js';
import { seedEnvironment } from './seed.js';
import { toEnvironmentResponse } from './serialize.js';

export interface Versioned<T> {
  body: T;
  version: number;
}

/** A page as large as the store allows: an actor holds roles on few environments. */
const ASSIGNED_LIMIT = 1000;

/** `rawFilter`: the `filter` query parameter, checked against ENVIRONMENT_FILTER (../filter/spec.ts) and run in SQL. */
export async function listEnvironments(deps: ManagementDeps, actor: Actor, page: PageRequest, rawFilter?: unknown) {
  const filter = parseCollectionFilter(ENVIRONMENT_FILTER, rawFilter);
  const self = new URL(`${deps.apiBase}/environments`);
  if (typeof rawFilter === 'string') self.searchParams.set('filter', rawFilter);
  if (canInOrganization(actor, 'environments:read')) {
    const result = await deps.store.listEnvironments(actor.organizationId, page, filter);
    return collection(self.href, 'environments', { ...result, items: result.items.map((e) => toEnvironmentResponse(e, deps.apiBase)) }, page);
  }
  const ids = [...new Set(actor.assignments.filter((a) => a.scopeType === 'ENVIRONMENT').map((a) => a.scopeId))].sort();
  const envs = filter
    ? (await deps.store.listEnvironments(actor.organizationId, { limit: ASSIGNED_LIMIT }, filter, ids)).items
    : (await Promise.all(ids.map((id) => deps.store.getEnvironment(id)))).filter(
        (e): e is EnvironmentRecord => e !== undefined && e.organizationId === actor.organizationId,
      );
  const items = envs.map((e) => toEnvironmentResponse(e, deps.apiBase));
  return collection(self.href, 'environments', { items, count: items.length }, undefined);
}

export async function readEnvironment(deps: ManagementDeps, actor: Actor, environmentId: string): Promise<Versioned<Record<string, unknown>>> {
  const env = await requireEnvironment(deps.store, actor, 'environments:read', environmentId);
  return { body: toEnvironmentResponse(env, deps.apiBase), version: env.version };
}

export async function createEnvironment(deps: ManagementDeps, actor: Actor, body: unknown, options: CreateOptions = {}): Promise<Versioned<Record<string, unknown>>> {
  requireOrganizationPermission(actor, 'environments:create');
  const org = await deps.store.getOrganization();
  if (!org) throw new Error('organization missing');
  const now = deps.now();
  const at = now.toISOString();
  const input = parseEnvironmentBody(body, { licenseId: org.licenseId, licenseRequired: true, at });
  const environment: EnvironmentRecord = {
    id: options.id ?? newId(),
    organizationId: org.id,
    ...input,
    status: 'ACTIVE',
    settings: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const bundle = await seedEnvironment({
    environment,
    sealer: deps.sealer,
    publicUrl: deps.publicUrl,
    now,
    roleAssignments: creatorAssignments(actor, environment.id, at),
    keyPair: deps.signingKeyPair,
  });
  await withUniqueName(() => deps.store.createEnvironment(bundle), input.name);
  deps.changes.environmentChanged(actor.environmentId);
  return { body: toEnvironmentResponse(environment, deps.apiBase), version: environment.version };
}

/** PingOne gives the creating worker Identity Data Admin and Client Application Developer on the new environment. */
function creatorAssignments(actor: Actor, environmentId: string, at: string): RoleAssignmentRecord[] {
  return [ROLES.identityDataAdmin.id, ROLES.clientApplicationDeveloper.id].map((roleId) => ({
    id: newId(),
    environmentId: actor.environmentId,
    applicationId: actor.applicationId,
    roleId,
    scopeType: 'ENVIRONMENT',
    scopeId: environmentId,
    createdAt: at,
  }));
}

export async function replaceEnvironment(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<Versioned<Record<string, unknown>>> {
  const current = await requireEnvironment(deps.store, actor, 'environments:update', environmentId);
  const input = parseEnvironmentBody(body, { licenseId: current.licenseId, licenseRequired: false, at: deps.now().toISOString() });
  if (current.type === 'PRODUCTION' && input.type === 'SANDBOX') {
    throw new InvalidDataError([detail.invalid('type', 'A PRODUCTION environment cannot become a SANDBOX.')]);
  }
  const next: EnvironmentRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  if (input.description === undefined) delete next.description;
  // The bill of materials is its own resource (`.../billOfMaterials`): a replace that leaves it out keeps it.
  if (input.extras.billOfMaterials === undefined && current.extras.billOfMaterials !== undefined) {
    next.extras = { ...input.extras, billOfMaterials: current.extras.billOfMaterials };
  }
  const updated = unwrapUpdate(
    await withUniqueName(() => deps.store.updateEnvironment(environmentId, next, expectedVersion), input.name),
  );
  return { body: toEnvironmentResponse(updated, deps.apiBase), version: updated.version };
}

export async function deleteEnvironment(deps: ManagementDeps, actor: Actor, environmentId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'environments:delete', environmentId);
  if (environmentId === actor.environmentId) {
    throw new InvalidDataError([
      detail.constraint('id', 'An environment cannot be deleted with a token issued by an application inside it.'),
    ]);
  }
  await deps.store.deleteEnvironment(environmentId);
  deps.changes.environmentChanged(environmentId);
  // Assignments scoped to the deleted environment were held by applications elsewhere.
  deps.changes.environmentChanged(actor.environmentId);
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation) {
      throw new InvalidDataError([detail.unique('name', `An environment named "${name}" already exists.`)]);
    }
    throw err;
  }
}
