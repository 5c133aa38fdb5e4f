/**
 * Users: attributes, password hash and sign-in state. A create or replace takes a key-share lock
 * on the user's population (what a foreign-key check takes), so a concurrent deletePopulation,
 * which locks the row for update, either waits for it and then sees the user, or wins and makes
 * it fail with MissingReference.
 */
import { assertInEnvironment, toPage } from '../shared/scope.js';
import {
  asUsernameClash,
  FAILED_SIGN_IN_ASSIGNMENTS,
  failedSignInParams,
  toSignInState,
  toUser,
  userFilterColumns,
  userFlags,
  userInsertColumns,
  userMutableColumns,
  usernameKey,
  type UserRow,
} from '../shared/user-rows.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import type { SignInState } from '../../domain/users/sign-in-state.js';
import type { UserPassword } from '../../domain/users/user-password.js';
import type { UserRecord } from '../../domain/users/user.js';
import { MissingReference, type DynamicGroupRule, type LockoutRule, type Page, type PageRequest, type UpdateResult, type FilterExpression } from '../types.js';
import { filterPredicate } from '../shared/filter-sql.js';
import { deleteUserValues, readCustomValues, writeCustomValues } from './custom-values.js';

/** Groups of a population other than the one bound (bound as environment, population). */
const OTHER_POPULATION_GROUPS = 'SELECT id FROM groups WHERE environment_id = ? AND population_id IS NOT NULL AND population_id <> ?';

/** The users of `found` with their custom attribute values (one more statement for all of them). */
function* withValues(db: Db, environmentId: string, found: readonly UserRow[]): Q<UserRecord[]> {
  const values = yield* readCustomValues(db, environmentId, found.map((r) => r.id));
  return found.map((r) => toUser(r, values.get(r.id) ?? {}));
}

function* oneWithValues(db: Db, environmentId: string, found: UserRow | undefined): Q<UserRecord | undefined> {
  return found && (yield* withValues(db, environmentId, [found]))[0];
}

function* lockPopulation(db: Db, environmentId: string, populationId: string): Q<void> {
  if (!(yield* db.scoped.lockKeyShare('populations', environmentId, 'id = ?', [populationId]))) throw new MissingReference('population');
}

export const userMethods = {
  /**
   * Ordered by id; `filter` (checked against the users collection's spec) narrows both the page
   * and the count, in SQL. `rules`, the environment's dynamic groups, make `memberOfGroups[id eq]`
   * match a dynamic group's members too.
   */
  listUsers: plain(function* (
    db: Db,
    environmentId: string,
    page: PageRequest,
    filter?: FilterExpression,
    rules: readonly DynamicGroupRule[] = [],
  ): Q<Page<UserRecord>> {
    const [predicate, params] = filterPredicate(db.dialect, environmentId, userFilterColumns(rules), filter);
    const found = yield* db.scoped.page<UserRow>('users', environmentId, predicate, params, page);
    const users = yield* withValues(db, environmentId, found.rows);
    return toPage({ ...found, rows: users });
  }),

  getUser: plain(function* (db: Db, environmentId: string, userId: string): Q<UserRecord | undefined> {
    return yield* oneWithValues(db, environmentId, yield* db.scoped.one<UserRow>('users', environmentId, 'id = ?', [userId]));
  }),

  /** Case-insensitive (the stored `username_lower` key, see shared/user-rows.ts). */
  findUserByUsername: plain(function* (db: Db, environmentId: string, username: string): Q<UserRecord | undefined> {
    return yield* oneWithValues(db, environmentId, yield* db.scoped.one<UserRow>('users', environmentId, 'username_lower = ?', [usernameKey(username)]));
  }),

  countUsersInPopulation: plain(function* (db: Db, environmentId: string, populationId: string): Q<number> {
    return yield* db.scoped.count('users', environmentId, 'population_id = ?', [populationId]);
  }),

  /**
   * Writes the user with its password, if any, and its custom attribute values. Fails with
   * UniqueViolation('username') when the username is taken in the environment, compared
   * case-insensitively; with MissingReference('population') when the population does not exist
   * there, MissingReference('attribute') when a custom attribute named does not; with
   * UniqueAttributeValue when a unique attribute's value is another user's.
   */
  createUser: atomic(function* (db: Db, environmentId: string, user: UserRecord): Q<void> {
    assertInEnvironment(environmentId, user.environmentId, `user ${user.id}`);
    yield* lockPopulation(db, environmentId, user.populationId);
    const flags = userFlags(user);
    yield* db.scoped.insert('users', environmentId, {
      ...userInsertColumns(user),
      enabled: db.dialect.bool(flags.enabled),
      password_force_change: db.dialect.bool(flags.password_force_change),
    });
    yield* writeCustomValues(db, environmentId, user.id, user.customAttributes, false);
  }, asUsernameClash),

  /**
   * Replaces the user's attributes (population, username, email, enabled, lifecycle, profile,
   * and the values of every enabled custom attribute; disabled ones keep theirs) when
   * `expectedVersion` matches or is undefined. The password and the sign-in state are not
   * written here. Fails like createUser. In the same transaction the user leaves every group of
   * another population: a population group holds only that population's users, and PingOne
   * removes a user whose population changes from the groups of the old one (PingOne Platform
   * APIs, "Groups", Creating groups).
   */
  replaceUser: atomic(function* (db: Db, environmentId: string, next: UserRecord, expectedVersion?: number): Q<UpdateResult<UserRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `user ${next.id}`);
    if (!(yield* db.scoped.one<UserRow>('users', environmentId, 'id = ?', [next.id]))) return { status: 'not_found' };
    yield* lockPopulation(db, environmentId, next.populationId);
    const set = { ...userMutableColumns(next), enabled: db.dialect.bool(next.enabled) };
    const result = yield* db.scoped.updateVersioned<UserRow>('users', environmentId, set, 'id = ?', [next.id], expectedVersion);
    if (result.status !== 'updated') return result;
    yield* db.scoped.delete('user_groups', environmentId, `user_id = ? AND group_id IN (${OTHER_POPULATION_GROUPS})`, [next.id, environmentId, next.populationId]);
    yield* writeCustomValues(db, environmentId, next.id, next.customAttributes, true);
    return { status: 'updated', record: (yield* withValues(db, environmentId, [result.record]))[0] as UserRecord };
  }, asUsernameClash),

  /** The row is locked first, so the version checked is the one deleted; its group memberships and custom attribute values go with it. */
  deleteUser: atomic(function* (db: Db, environmentId: string, userId: string, expectedVersion?: number): Q<UpdateResult<null>> {
    const version = yield* db.scoped.lockVersion('users', environmentId, 'id = ?', [userId]);
    if (version === undefined) return { status: 'not_found' };
    if (expectedVersion !== undefined && version !== expectedVersion) return { status: 'conflict' };
    yield* db.scoped.delete('user_groups', environmentId, 'user_id = ?', [userId]);
    yield* deleteUserValues(db, environmentId, userId);
    yield* db.scoped.delete('users', environmentId, 'id = ?', [userId]);
    return { status: 'updated', record: null };
  }),

  /** Sets the password and clears failed sign-ins and any lock; false when there is no such user. */
  setUserPassword: plain(function* (db: Db, environmentId: string, userId: string, password: UserPassword): Q<boolean> {
    const set = {
      password_hash: password.hash,
      password_force_change: db.dialect.bool(password.forceChange),
      password_changed_at: password.changedAt,
      failed_attempts: 0,
      locked_until: null,
    };
    return (yield* db.scoped.update('users', environmentId, set, 'id = ?', [userId])) > 0;
  }),

  /**
   * Replaces the password hash with `toHash` only while it is still `fromHash` (an imported
   * hash upgraded at sign-in must not overwrite a password set meanwhile). Keeps `forceChange`,
   * `changedAt` and the version: the password itself has not changed. False when nothing matched.
   */
  upgradeUserPasswordHash: plain(function* (db: Db, environmentId: string, userId: string, fromHash: string, toHash: string): Q<boolean> {
    return (yield* db.scoped.update('users', environmentId, { password_hash: toHash }, 'id = ? AND password_hash = ?', [userId, fromHash])) > 0;
  }),

  /**
   * Counts one failed sign-in in a single atomic statement (concurrent failures are each
   * counted). A failure while locked changes nothing; the one reaching `threshold` sets the lock
   * and restarts the count. Returns the state after it, undefined when there is no such user.
   */
  recordFailedSignIn: plain(function* (db: Db, environmentId: string, userId: string, rule: LockoutRule): Q<SignInState | undefined> {
    const params = failedSignInParams(rule);
    const row = yield* db.scoped.updateReturning<UserRow>('users', environmentId, FAILED_SIGN_IN_ASSIGNMENTS, params, 'id = ?', [userId]);
    return row && toSignInState(row);
  }),

  /**
   * An administrator's lock: the account stays locked until `until` (an unlock, a password set
   * by an administrator, or the instant passing ends it), the failure count back to zero. False
   * when there is no such user.
   */
  lockUserAccount: plain(function* (db: Db, environmentId: string, userId: string, until: string): Q<boolean> {
    return (yield* db.scoped.update('users', environmentId, { failed_attempts: 0, locked_until: until }, 'id = ?', [userId])) > 0;
  }),

  /** After a successful sign-in: the count back to zero, no lock. */
  resetFailedSignIns: plain(function* (db: Db, environmentId: string, userId: string): Q<void> {
    yield* db.scoped.update('users', environmentId, { failed_attempts: 0, locked_until: null }, 'id = ?', [userId]);
  }),
};
