/**
 * GET/POST/DELETE .../applications/{appId}/secret (docs/pingone-reference.md §5.1). PingOne's
 * access rules: the caller needs the secret permissions, must hold a superset of the target
 * application's role assignments, and a worker cannot read or rotate its own secret.
 */
import { isJsonObject } from '../../domain/json-object.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import type { SecretRecord } from '../../store/types.js';
import { forbidden, requireEnvironment } from '../access.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import { asObject } from '../fields.js';
import { canAssign, type Actor } from '../roles.js';
import { generateClientSecret, MAX_PREVIOUS_SECRET_DAYS, newSecretRecord } from './secret.js';
import { findApplication } from './service.js';

const DAY_MS = 86_400_000;

export async function readSecret(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string) {
  await authorizeSecretAccess(deps, actor, 'applications:read:secret', environmentId, applicationId);
  const record = await deps.store.getApplicationSecret(environmentId, applicationId);
  if (!record) throw new NotFoundError();
  return toSecretResponse(deps, record);
}

export async function rotateSecret(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string, body: unknown) {
  await authorizeSecretAccess(deps, actor, 'applications:update:secret', environmentId, applicationId);
  const now = deps.now();
  const previousExpiresAt = parseRotationBody(body, now);
  const current = await deps.store.getApplicationSecret(environmentId, applicationId);
  const next = newSecretRecord(environmentId, applicationId, generateClientSecret(), deps.sealer, now);
  if (current && previousExpiresAt) {
    next.previous = { secretCiphertext: current.secretCiphertext, expiresAt: previousExpiresAt.toISOString() };
  }
  await deps.store.putApplicationSecret(environmentId, next);
  deps.changes.applicationChanged(environmentId, applicationId);
  return toSecretResponse(deps, next);
}

/**
 * Pins the secret a configuration file gives (src/declarative/), with the access rules of a
 * rotation; the former secret stops working at once.
 */
export async function pinSecret(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string, secret: string): Promise<void> {
  await authorizeSecretAccess(deps, actor, 'applications:update:secret', environmentId, applicationId);
  await deps.store.putApplicationSecret(environmentId, newSecretRecord(environmentId, applicationId, secret, deps.sealer, deps.now()));
  deps.changes.applicationChanged(environmentId, applicationId);
}

/** The application's current secret in clear text (an export with secrets), or undefined. */
export async function currentSecret(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string): Promise<string | undefined> {
  await authorizeSecretAccess(deps, actor, 'applications:read:secret', environmentId, applicationId);
  const record = await deps.store.getApplicationSecret(environmentId, applicationId);
  return record ? deps.sealer.open(record.secretCiphertext) : undefined;
}

/** Ends the previous secret's grace period early. */
export async function deletePreviousSecret(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string): Promise<void> {
  await authorizeSecretAccess(deps, actor, 'applications:update:secret', environmentId, applicationId);
  const current = await deps.store.getApplicationSecret(environmentId, applicationId);
  if (!current?.previous) throw new NotFoundError('The application has no previous secret.');
  const { previous: _dropped, ...rest } = current;
  await deps.store.putApplicationSecret(environmentId, rest);
  deps.changes.applicationChanged(environmentId, applicationId);
}

async function authorizeSecretAccess(
  deps: ManagementDeps,
  actor: Actor,
  permission: 'applications:read:secret' | 'applications:update:secret',
  environmentId: string,
  applicationId: string,
): Promise<void> {
  await requireEnvironment(deps.store, actor, permission, environmentId);
  await findApplication(deps, environmentId, applicationId);
  if (environmentId === actor.environmentId && applicationId === actor.applicationId) throw forbidden();
  const targetRoles = await deps.store.listRoleAssignments(environmentId, applicationId);
  if (!targetRoles.every((a) => canAssign(actor, a.roleId, a.scopeType, a.scopeId))) throw forbidden();
}

/** Optional `{"previous": {"expiresAt": "<ISO date>"}}`: keep the old secret valid until then (≤ 30 days). */
function parseRotationBody(body: unknown, now: Date): Date | undefined {
  if (body === undefined) return undefined;
  const previous = asObject(body).previous;
  if (previous === undefined || previous === null) return undefined;
  const expiresAt = isJsonObject(previous) ? previous.expiresAt : undefined;
  const when = typeof expiresAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(expiresAt) ? new Date(expiresAt) : undefined;
  if (!when || Number.isNaN(when.getTime())) {
    throw new InvalidDataError([detail.invalid('previous.expiresAt', 'previous.expiresAt must be an ISO-8601 date-time.')]);
  }
  const latest = now.getTime() + MAX_PREVIOUS_SECRET_DAYS * DAY_MS;
  if (when.getTime() <= now.getTime() || when.getTime() > latest) {
    throw new InvalidDataError([
      detail.invalid('previous.expiresAt', `previous.expiresAt must be in the future and at most ${MAX_PREVIOUS_SECRET_DAYS} days away.`),
    ]);
  }
  return when;
}

function toSecretResponse(deps: ManagementDeps, record: SecretRecord): Record<string, unknown> {
  const appHref = `${deps.apiBase}/environments/${record.environmentId}/applications/${record.applicationId}`;
  const body: Record<string, unknown> = {
    _links: { self: { href: `${appHref}/secret` }, application: { href: appHref } },
    environment: { id: record.environmentId },
    secret: deps.sealer.open(record.secretCiphertext),
  };
  if (record.previous && new Date(record.previous.expiresAt).getTime() > deps.now().getTime()) {
    const previous: Record<string, unknown> = {
      secret: deps.sealer.open(record.previous.secretCiphertext),
      expiresAt: record.previous.expiresAt,
    };
    if (record.previous.lastUsed !== undefined) previous.lastUsed = record.previous.lastUsed;
    body.previous = previous;
  }
  return body;
}
