/**
 * The user's `enabled` and `population` sub-resources (PingOne "Update User Enabled", "Update
 * User Population"; OpenAPI `UserEnabled`, `UserPopulation`) and the account operations of `POST
 * …/users/{id}` (OpenAPI `userAccount`, `EnumUserAccountContentTypeHeader`): unlock
 * (`application/vnd.pingidentity.account.unlock+json`) and lock (`…account.lock+json`).
 *
 * `enabled` and the population change only here after a user is created (the user body's
 * `enabled` is read-only on PUT and PATCH, as on PingOne). Both bump the user's version, as any
 * change to the user does.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import { ADMINISTRATIVE_LOCK_UNTIL } from '../../domain/users/sign-in-state.js';
import type { UserRecord } from '../../domain/users/user.js';
import { MissingReference } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';
import type { Actor } from '../roles.js';
import { toEnabledResponse, toPopulationResponse, toUserResponse } from './serialize.js';
import { findUser, type VersionedBody } from './service.js';

export const ACCOUNT_UNLOCK_MEDIA_TYPE = 'application/vnd.pingidentity.account.unlock+json';
export const ACCOUNT_LOCK_MEDIA_TYPE = 'application/vnd.pingidentity.account.lock+json';

export async function readUserEnabled(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string) {
  await requireEnvironment(deps.store, actor, 'users:read', environmentId);
  return toEnabledResponse(await findUser(deps, environmentId, userId), deps.apiBase);
}

/** Body `{enabled}` (required boolean). */
export async function setUserEnabled(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const enabled = fields.boolean('enabled', { required: true });
  throwIfInvalid(fields.issues);
  const user = await findUser(deps, environmentId, userId);
  return toEnabledResponse(await write(deps, { ...user, enabled: enabled as boolean }), deps.apiBase);
}

export async function readUserPopulation(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string) {
  await requireEnvironment(deps.store, actor, 'users:read', environmentId);
  return toPopulationResponse(await findUser(deps, environmentId, userId), deps.apiBase);
}

/** Body `{id}`: a population of the user's environment. */
export async function setUserPopulation(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const populationId = fields.string('id', 64, { required: true, nonBlank: true });
  throwIfInvalid(fields.issues);
  const user = await findUser(deps, environmentId, userId);
  try {
    return toPopulationResponse(await write(deps, { ...user, populationId: populationId as string }), deps.apiBase);
  } catch (err) {
    if (err instanceof MissingReference) throw new InvalidDataError([detail.invalid('id', 'id does not name a population of this environment.')]);
    throw err;
  }
}

/** Ends a lockout and clears the failure count; answers the user (OpenAPI `userAccount` answers `User`). */
export async function unlockUser(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const user = await findUser(deps, environmentId, userId);
  await deps.store.resetFailedSignIns(environmentId, userId);
  const unlocked: UserRecord = { ...user, signIn: { failedAttempts: 0 } };
  return { body: toUserResponse(unlocked, deps.apiBase, deps.now()), version: unlocked.version };
}

/**
 * Locks the account until an administrator unlocks it (or sets its password): sign-in and password
 * checks answer LOCKED whatever password is sent, and the user reads `account.status: LOCKED`
 * without `unlockAt`. Answers the user, as the unlock does.
 */
export async function lockUser(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const user = await findUser(deps, environmentId, userId);
  await deps.store.lockUserAccount(environmentId, userId, ADMINISTRATIVE_LOCK_UNTIL);
  const locked: UserRecord = { ...user, signIn: { failedAttempts: 0, lockedUntil: ADMINISTRATIVE_LOCK_UNTIL } };
  return { body: toUserResponse(locked, deps.apiBase, deps.now()), version: locked.version };
}

async function write(deps: ManagementDeps, next: UserRecord): Promise<UserRecord> {
  return unwrapUpdate(await deps.store.replaceUser(next.environmentId, { ...next, updatedAt: deps.now().toISOString() }));
}
