/**
 * The identity-data half of the store contract (`UserStore`): users, with their password hash
 * and sign-in state, and populations. Re-exported by ./types.ts, whose conventions apply: every
 * method takes `environmentId` first, and each is atomic on its own.
 */
import type { Versioned } from './types.js';

export type UserLifecycleStatus = 'ACCOUNT_OK' | 'VERIFICATION_REQUIRED';

export interface UserName {
  given?: string;
  family?: string;
  middle?: string;
  formatted?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

/** Optional PingOne user attributes, kept as given (stored together as one JSON document). */
export interface UserProfile {
  name?: UserName;
  externalId?: string;
  mobilePhone?: string;
  locale?: string;
  nickname?: string;
  title?: string;
  preferredLanguage?: string;
  timezone?: string;
}

export interface UserPassword {
  /** `scrypt$N$r$p$salt$hash` (src/management/users/password-hash.ts); never sent to anyone. */
  hash: string;
  /** The user must choose a new password at the next sign-on. */
  forceChange: boolean;
  changedAt: string;
}

/** Consecutive failed sign-ins and the lock they caused. */
export interface SignInState {
  failedAttempts: number;
  /** Set while (or after) a lock; the account is locked while this is later than now. */
  lockedUntil?: string;
}

export interface UserRecord extends Versioned {
  id: string;
  environmentId: string;
  populationId: string;
  username: string;
  email: string;
  enabled: boolean;
  lifecycleStatus: UserLifecycleStatus;
  profile: UserProfile;
  password?: UserPassword;
  signIn: SignInState;
}

/** The only filters `listUsers` supports: exact email, or username compared case-insensitively. */
export interface UserFilter {
  attribute: 'username' | 'email';
  value: string;
}

/** How `recordFailedSignIn` locks: the failure that makes `threshold` consecutive ones locks until `until`. */
export interface LockoutRule {
  threshold: number;
  /** ISO time of the attempt; a lock later than this is still in force. */
  now: string;
  until: string;
}

/** Why `deletePopulation` left a population in place, or `deleted`. */
export type PopulationDeleteResult = 'deleted' | 'not_found' | 'default' | 'last' | 'has_users';

/** Thrown by stores when a record names a parent (`population`) that its environment lacks. */
export class MissingReference extends Error {
  constructor(readonly field: string) {
    super(`${field} does not exist in the environment`);
  }
}

