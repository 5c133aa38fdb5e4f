/**
 * Role checks for management operations: 404 for an environment that does not exist, 403 when
 * no role of the caller covers the environment and action, then 404 for ids that do not exist
 * in that environment (including ids of other environments).
 */
import { AccessFailedError, NotFoundError } from '../domain/pingone-error.js';
import { canInEnvironment, canInOrganization, type Actor, type Permission } from './roles.js';
import type { EnvironmentRecord, Store } from '../store/types.js';

function forbidden(): AccessFailedError {
  return new AccessFailedError(403, {
    code: 'INSUFFICIENT_PERMISSIONS',
    message: 'The actor attempting to perform the request is not authorized.',
  });
}

export function requireOrganizationPermission(actor: Actor, permission: Permission): void {
  if (!canInOrganization(actor, permission)) throw forbidden();
}

/**
 * Checks that the environment exists in the caller's organization (404), then the permission
 * over it (403). Environment ids are not secret inside an organization, so the order leaks
 * nothing, and a deleted environment answers 404 to everyone.
 */
export async function requireEnvironment(
  store: Store,
  actor: Actor,
  permission: Permission,
  environmentId: string,
): Promise<EnvironmentRecord> {
  const env = await store.getEnvironment(environmentId);
  if (!env || env.organizationId !== actor.organizationId) throw new NotFoundError();
  if (!canInEnvironment(actor, permission, environmentId)) throw forbidden();
  return env;
}

export function requirePermission(actor: Actor, permission: Permission, environmentId: string): void {
  if (!canInEnvironment(actor, permission, environmentId)) throw forbidden();
}

export { forbidden };
