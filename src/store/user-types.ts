/**
 * The identity-data half of the store contract (`UserStore`): users (src/domain/users/), with
 * their password hash and sign-in state, and populations. Re-exported by ./types.ts, whose
 * conventions apply: every method takes `environmentId` first, and each is atomic on its own.
 */
import type { SignInState } from '../domain/users/sign-in-state.js';
import type { UserPassword } from '../domain/users/user-password.js';
import type { UserRecord } from '../domain/users/user.js';
import type { Page, PageRequest, PopulationRecord, UpdateResult } from './types.js';

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

export interface UserStore {
  // Users
  /** Ordered by id; `filter` narrows both the page and the count. */
  listUsers(environmentId: string, page: PageRequest, filter?: UserFilter): Promise<Page<UserRecord>>;
  getUser(environmentId: string, userId: string): Promise<UserRecord | undefined>;
  /** Case-insensitive (the stored `username_lower` key, see shared/user-rows.ts). */
  findUserByUsername(environmentId: string, username: string): Promise<UserRecord | undefined>;
  countUsersInPopulation(environmentId: string, populationId: string): Promise<number>;
  /**
   * Writes the user with its password, if any. Fails with UniqueViolation('username') when the
   * username is taken in the environment, compared case-insensitively, and with
   * MissingReference('population') when the population does not exist there.
   */
  createUser(environmentId: string, user: UserRecord): Promise<void>;
  /**
   * Replaces the user's attributes (population, username, email, enabled, lifecycle, profile)
   * when `expectedVersion` matches or is undefined. The password and the sign-in state are not
   * written here. Fails like createUser.
   */
  replaceUser(environmentId: string, next: UserRecord, expectedVersion?: number): Promise<UpdateResult<UserRecord>>;
  deleteUser(environmentId: string, userId: string, expectedVersion?: number): Promise<UpdateResult<null>>;
  /** Sets the password and clears failed sign-ins and any lock; false when there is no such user. */
  setUserPassword(environmentId: string, userId: string, password: UserPassword): Promise<boolean>;
  /**
   * Counts one failed sign-in in a single atomic statement (concurrent failures are each
   * counted). A failure while locked changes nothing; the one reaching `threshold` sets the lock
   * and restarts the count. Returns the state after it, undefined when there is no such user.
   */
  recordFailedSignIn(environmentId: string, userId: string, rule: LockoutRule): Promise<SignInState | undefined>;
  /** After a successful sign-in: the count back to zero, no lock. */
  resetFailedSignIns(environmentId: string, userId: string): Promise<void>;

  // Populations (listed with Store.listPopulations)
  getPopulation(environmentId: string, populationId: string): Promise<PopulationRecord | undefined>;
  getDefaultPopulation(environmentId: string): Promise<PopulationRecord | undefined>;
  /**
   * Fails with UniqueViolation('name') when the name is taken in the environment. A new default
   * population takes the flag from the previous one in the same transaction.
   */
  createPopulation(environmentId: string, population: PopulationRecord): Promise<void>;
  /**
   * Replaces name and description when `expectedVersion` matches. `default: true` makes it the
   * environment's default and unsets the previous one, in one transaction; `default: false`
   * never unsets the current default (an environment always has exactly one).
   */
  updatePopulation(environmentId: string, next: PopulationRecord, expectedVersion?: number): Promise<UpdateResult<PopulationRecord>>;
  /** Deletes the population unless it is the default, the last one, or holds users (checked atomically). */
  deletePopulation(environmentId: string, populationId: string): Promise<PopulationDeleteResult>;
}
