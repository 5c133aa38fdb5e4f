/**
 * Checks a username and password for the sign-in flows, with the lockout rule of the effective
 * password policy (`lockout.failureCount` consecutive failed sign-ins lock the account for
 * `lockout.durationSeconds`; the built-in policies say 5 and 15 minutes; a policy without
 * `lockout` locks nobody); a successful sign-in (or an administrator setting the password)
 * resets the count.
 *
 * What the outcome reveals is up to the caller, which must answer INVALID_CREDENTIALS and
 * NO_PASSWORD alike, so that an unknown username and a wrong password look the same. The path
 * costs the same either way: one scrypt run, against the user's hash or, for an unknown user or
 * one without a password, against a well-formed hash nobody knows. Residual difference: a known
 * user's failure also writes its count (one small UPDATE, next to a scrypt run of 50 ms or more).
 *
 * LOCKED is reported whatever password was sent (checking it while locked would let guessing go
 * on); DISABLED only after the right password, so it tells nothing to someone guessing.
 *
 * A pre-encoded hash taken on import (./pre-encoded.ts) is checked with its own digest, then
 * replaced with Keyway's scrypt hash after the first match; a mismatch against one still costs a
 * scrypt run, so an imported user is not told apart from others by the time a failure takes.
 */
import type { UserRecord } from '../../domain/users/user.js';
import type { PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import type { Store, UserStore } from '../../store/types.js';
import { effectivePasswordPolicy } from '../password-policies/service.js';
import { hashPassword, unmatchableHash, verifyPassword } from './password-hash.js';
import { isPreEncoded, verifyPreEncoded } from './pre-encoded.js';

/** The built-in policies' lockout (../password-policies/built-in.ts). */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_SECONDS = 15 * 60;

/** Longer input cannot be a stored password (at most 255 code points); it is cut, then cannot match. */
const MAX_CANDIDATE_LENGTH = 1024;

export type SignInFailure = 'INVALID_CREDENTIALS' | 'LOCKED' | 'DISABLED' | 'NO_PASSWORD';

export type VerifyResult = { ok: true; user: UserRecord } | { ok: false; reason: SignInFailure };

/** Created once per process: its cost must not land on the first unknown-user request. */
const UNKNOWN_USER_HASH = unmatchableHash();

/** True while the user's lock is in force at `now`. */
export function isLocked(user: Pick<UserRecord, 'signIn'>, now: Date): boolean {
  const until = user.signIn.lockedUntil;
  return until !== undefined && until > now.toISOString();
}

const fail = (reason: SignInFailure): VerifyResult => ({ ok: false, reason });

export async function verifyUserPassword(
  store: UserStore & Pick<Store, 'getEffectivePasswordPolicy'>,
  environmentId: string,
  username: string,
  password: string,
  now: Date,
): Promise<VerifyResult> {
  return checkUserPassword(store, await store.findUserByUsername(environmentId, username), password, now);
}

/**
 * The lockout-counted check of `password` against a user already loaded (undefined: no such
 * user), shared by sign-in and the management API's password check.
 */
export async function checkUserPassword(store: UserStore & Pick<Store, 'getEffectivePasswordPolicy'>, user: UserRecord | undefined, password: string, now: Date): Promise<VerifyResult> {
  const tooLong = password.length > MAX_CANDIDATE_LENGTH;
  const candidate = tooLong ? password.slice(0, MAX_CANDIDATE_LENGTH) : password;
  const matches = (await matchesStored(candidate, user?.password?.hash ?? UNKNOWN_USER_HASH)) && !tooLong;
  if (!user) return fail('INVALID_CREDENTIALS');
  if (isLocked(user, now)) return fail('LOCKED');
  if (!user.password) return fail('NO_PASSWORD');
  if (!matches) return recordFailure(store, user, (await effectivePasswordPolicy(store, user.environmentId, user.populationId)).lockout, now);
  if (isPreEncoded(user.password.hash)) await upgradeHash(store, user, user.password.hash, candidate);
  if (!user.enabled) return fail('DISABLED');
  if (user.signIn.failedAttempts > 0 || user.signIn.lockedUntil !== undefined) {
    await store.resetFailedSignIns(user.environmentId, user.id);
  }
  return { ok: true, user: { ...user, signIn: { failedAttempts: 0 } } };
}

/** Either kind of stored hash; every outcome costs at least one default scrypt run. */
async function matchesStored(candidate: string, stored: string): Promise<boolean> {
  if (!isPreEncoded(stored)) return verifyPassword(candidate, stored);
  if (await verifyPreEncoded(candidate, stored)) return true;
  await verifyPassword(candidate, UNKNOWN_USER_HASH);
  return false;
}

/** The imported hash becomes Keyway's own, unless the password was replaced meanwhile. */
async function upgradeHash(store: UserStore, user: UserRecord, imported: string, candidate: string): Promise<void> {
  await store.upgradeUserPasswordHash(user.environmentId, user.id, imported, await hashPassword(candidate));
}

/** Counts the failure atomically; the one that reaches the policy's limit answers LOCKED. */
async function recordFailure(store: UserStore, user: UserRecord, lockout: PasswordPolicySettings['lockout'], now: Date): Promise<VerifyResult> {
  if (lockout?.failureCount === undefined) return fail('INVALID_CREDENTIALS');
  const at = now.toISOString();
  const until = new Date(now.getTime() + (lockout.durationSeconds ?? LOCKOUT_SECONDS) * 1000).toISOString();
  const state = await store.recordFailedSignIn(user.environmentId, user.id, { threshold: lockout.failureCount, now: at, until });
  return state?.lockedUntil !== undefined && state.lockedUntil > at ? fail('LOCKED') : fail('INVALID_CREDENTIALS');
}
