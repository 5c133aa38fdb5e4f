/**
 * PingOne's password operations on `…/users/{id}/password`, chosen by media type (PingOne "User
 * Passwords"; bodies in ./password-bodies.ts):
 *
 * - `GET`: the password state;
 * - `PUT` `password.set+json`: set (cleartext or pre-encoded), with `forceChange`;
 * - `PUT` `password.reset+json`: with `currentPassword`, the self-service change (the current
 *   password must match, counted by the lockout rule); without it, an administrator's reset to a
 *   temporary password, after which the user must change it (`MUST_CHANGE_PASSWORD`);
 * - `POST` `password.check+json`: whether a password is the user's, counted by the lockout rule.
 *
 * Every caller is an administrator holding `users:write` (`users:read` for the state): Keyway's
 * management API takes worker tokens only, so the self-service change is made on the user's
 * behalf, proving the current password. New passwords are held to the effective password policy
 * of the user's population (../password-policies/service.ts); the password is never returned or logged.
 */
import { InvalidDataError, NotFoundError, NotImplementedError } from '../../domain/pingone-error.js';
import type { UserPassword } from '../../domain/users/user-password.js';
import type { UserRecord } from '../../domain/users/user.js';
import { requireEnvironment } from '../access.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { Actor } from '../roles.js';
import { checkUserPassword, type SignInFailure } from './credentials.js';
import { parseCheckBody, parseResetBody, parseSetBody, type NewPassword } from './password-bodies.js';
import { effectivePasswordPolicy } from '../password-policies/service.js';
import { hashPassword } from './password-hash.js';
import { toPasswordResponse } from './serialize.js';
import { findUser } from './service.js';

export const PASSWORD_MEDIA_TYPES = {
  set: 'application/vnd.pingidentity.password.set+json',
  reset: 'application/vnd.pingidentity.password.reset+json',
  check: 'application/vnd.pingidentity.password.check+json',
  recover: 'application/vnd.pingidentity.password.recover+json',
  sendRecoveryCode: 'application/vnd.pingidentity.password.sendRecoveryCode',
} as const;

/**
 * PingOne's self-service recovery: `password.sendRecoveryCode` e-mails the user a code, and
 * `password.recover+json` `{recoveryCode, newPassword}` sets a new password with it. Keyway
 * delivers no e-mail, so it issues no code and can check none: both answer 501 NOT_IMPLEMENTED
 * (README, "Keyway extensions") once the environment and the caller's role are known, never
 * 415 or 400, so a client can tell "not built" from a mistake of its own. An administrator sets
 * or resets the password instead (docs/decisions.md, "Password recovery").
 */
export async function recoverPassword(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, mediaType: string): Promise<never> {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  await findUser(deps, environmentId, userId);
  const what = mediaType === PASSWORD_MEDIA_TYPES.recover ? 'Password recovery with a recovery code' : 'Sending a password recovery code';
  throw new NotImplementedError(
    `${what} (POST /v1/environments/{environmentID}/users/{userID}/password as ${mediaType}; Keyway sends no e-mail, so it issues and checks no recovery codes)`,
  );
}

export async function readPasswordState(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string) {
  await requireEnvironment(deps.store, actor, 'users:read', environmentId);
  return toPasswordResponse(await findUser(deps, environmentId, userId), deps.apiBase, deps.now());
}

/** `password.set+json`; also clears failed sign-ins and any lock (an administrator's set). */
export async function setPassword(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const user = await findUser(deps, environmentId, userId);
  const policy = await effectivePasswordPolicy(deps.store, environmentId, user.populationId);
  return store(deps, user, await toStored(deps, parseSetBody(body, user.username, policy)));
}

/** `password.reset+json`: the self-service change, or an administrator's reset to a temporary password. */
export async function resetPassword(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const user = await findUser(deps, environmentId, userId);
  const input = parseResetBody(body, user.username, await effectivePasswordPolicy(deps.store, environmentId, user.populationId));
  if (input.kind === 'self') await requireCurrentPassword(deps, user, input.currentPassword);
  const password = await toStored(deps, { kind: 'cleartext', value: input.newPassword, forceChange: input.kind === 'admin' });
  return store(deps, user, password);
}

/** `password.check+json`: 200 with the state when it matches (even for a disabled user), else 400. */
export async function checkPassword(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const user = await findUser(deps, environmentId, userId);
  const result = await checkUserPassword(deps.store, user, parseCheckBody(body), deps.now());
  if (!result.ok && result.reason !== 'DISABLED') throw checkFailure('password', result.reason);
  return toPasswordResponse((await deps.store.getUser(environmentId, userId)) ?? user, deps.apiBase, deps.now());
}

async function requireCurrentPassword(deps: ManagementDeps, user: UserRecord, currentPassword: string): Promise<void> {
  const result = await checkUserPassword(deps.store, user, currentPassword, deps.now());
  if (!result.ok && result.reason !== 'DISABLED') throw checkFailure('currentPassword', result.reason);
}

/** PingOne answers a failed check with 400; the message names PingOne's password status. */
function checkFailure(target: string, reason: Exclude<SignInFailure, 'DISABLED'>): InvalidDataError {
  const messages: Record<typeof reason, string> = {
    INVALID_CREDENTIALS: 'The password does not match the user\'s password.',
    LOCKED: 'The password is locked out after too many failed attempts (PASSWORD_LOCKED_OUT).',
    NO_PASSWORD: 'The user has no password (NO_PASSWORD).',
  };
  return new InvalidDataError([detail.invalid(target, messages[reason])]);
}

async function toStored(deps: ManagementDeps, input: NewPassword): Promise<UserPassword> {
  const hash = input.kind === 'cleartext' ? await hashPassword(input.value) : input.hash;
  return { hash, forceChange: input.forceChange, changedAt: deps.now().toISOString() };
}

async function store(deps: ManagementDeps, user: UserRecord, password: UserPassword) {
  if (!(await deps.store.setUserPassword(user.environmentId, user.id, password))) throw new NotFoundError();
  return toPasswordResponse({ ...user, password, signIn: { failedAttempts: 0 } }, deps.apiBase, deps.now());
}
