/**
 * Role checks for management operations. A caller without the permission gets 403; an id
 * that does not exist (or lives in another environment) gets 404 afterwards.
 */
import { AccessFailedError, NotFoundError } from './errors.js';
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

/** Checks the permission over the environment, then that the environment exists. */
export async function requireEnvironment(
  store: Store,
  actor: Actor,
  permission: Permission,
  environmentId: string,
): Promise<EnvironmentRecord> {
  if (!canInEnvironment(actor, permission, environmentId)) throw forbidden();
  const env = await store.getEnvironment(environmentId);
  if (!env || env.organizationId !== actor.organizationId) throw new NotFoundError();
  return env;
}

export function requirePermission(actor: Actor, permission: Permission, environmentId: string): void {
  if (!canInEnvironment(actor, permission, environmentId)) throw forbidden();
}

export { forbidden };
