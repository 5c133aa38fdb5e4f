/**
 * `PUT …/users/{id}/password` (`application/vnd.pingidentity.password.set+json`, body
 * `{value, forceChange?}`) and `GET …/users/{id}/password`. The password is checked against
 * the effective password policy of the user's population (./password-policy.ts), stored as an scrypt hash, and never returned or logged.
 */
import { NotFoundError } from '../../domain/pingone-error.js';
import type { UserPassword } from '../../domain/users/user-password.js';
import { requireEnvironment } from '../access.js';
import type { ManagementDeps } from '../context.js';
import type { Actor } from '../roles.js';
import { effectivePasswordPolicy } from '../password-policies/service.js';
import { hashPassword } from './password-hash.js';
import { parsePasswordBody } from './password-policy.js';
import { toPasswordResponse } from './serialize.js';
import { findUser } from './service.js';

export const PASSWORD_SET_MEDIA_TYPE = 'application/vnd.pingidentity.password.set+json';

export async function readPasswordState(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string) {
  await requireEnvironment(deps.store, actor, 'users:read', environmentId);
  return toPasswordResponse(await findUser(deps, environmentId, userId), deps.apiBase);
}

/** Sets the password; also clears failed sign-ins and any lock (an administrator's reset). */
export async function setPassword(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const user = await findUser(deps, environmentId, userId);
  const input = parsePasswordBody(body, user.username, await effectivePasswordPolicy(deps.store, environmentId, user.populationId));
  const password: UserPassword = { hash: await hashPassword(input.value), forceChange: input.forceChange, changedAt: deps.now().toISOString() };
  if (!(await deps.store.setUserPassword(environmentId, userId, password))) throw new NotFoundError();
  return toPasswordResponse({ ...user, password, signIn: { failedAttempts: 0 } }, deps.apiBase);
}
