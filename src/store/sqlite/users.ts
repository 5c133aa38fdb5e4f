/** Users: attributes, password hash and sign-in state. */
import type { SignInState } from '../../domain/users/sign-in-state.js';
import type { UserPassword } from '../../domain/users/user-password.js';
import type { UserRecord } from '../../domain/users/user.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import {
  FAILED_SIGN_IN_ASSIGNMENTS,
  failedSignInParams,
  toSignInState,
  toUser,
  userFilterPredicate,
  userFlags,
  userInsertColumns,
  userMutableColumns,
  usernameKey,
  type UserRow,
} from '../shared/user-rows.js';
import { MissingReference, type LockoutRule, type PageRequest, type UpdateResult, type UserFilter } from '../types.js';
import type { EnvScoped } from './scoped.js';

/** SQLite has no boolean type: flags are stored as INTEGER 0/1. */
const bit = (value: boolean): number => (value ? 1 : 0);

export class Users {
  constructor(private readonly scoped: EnvScoped) {}

  list(environmentId: string, page: PageRequest, filter?: UserFilter): RowPage<UserRecord> {
    const [predicate, params] = userFilterPredicate(filter);
    return mapRowPage(this.scoped.page<UserRow>('users', environmentId, predicate, params, page), toUser);
  }

  get(environmentId: string, userId: string): UserRecord | undefined {
    const row = this.scoped.one<UserRow>('users', environmentId, 'id = ?', [userId]);
    return row && toUser(row);
  }

  findByUsername(environmentId: string, username: string): UserRecord | undefined {
    const row = this.scoped.one<UserRow>('users', environmentId, 'username_lower = ?', [usernameKey(username)]);
    return row && toUser(row);
  }

  countInPopulation(environmentId: string, populationId: string): number {
    return this.scoped.count('users', environmentId, 'population_id = ?', [populationId]);
  }

  /** Call inside a write transaction (the population check and the insert are one step). */
  insert(environmentId: string, user: UserRecord): void {
    assertInEnvironment(environmentId, user.environmentId, `user ${user.id}`);
    this.requirePopulation(environmentId, user.populationId);
    const flags = userFlags(user);
    this.scoped.insert('users', environmentId, {
      ...userInsertColumns(user),
      enabled: bit(flags.enabled),
      password_force_change: bit(flags.password_force_change),
    });
  }

  /** Call inside a write transaction. */
  replace(environmentId: string, next: UserRecord, expectedVersion?: number): UpdateResult<UserRecord> {
    assertInEnvironment(environmentId, next.environmentId, `user ${next.id}`);
    if (!this.scoped.one<UserRow>('users', environmentId, 'id = ?', [next.id])) return { status: 'not_found' };
    this.requirePopulation(environmentId, next.populationId);
    const set = { ...userMutableColumns(next), enabled: bit(next.enabled) };
    const result = this.scoped.updateVersioned<UserRow>('users', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toUser(result.record) } : result;
  }

  /** Call inside a write transaction. */
  delete(environmentId: string, userId: string, expectedVersion?: number): UpdateResult<null> {
    const row = this.scoped.one<UserRow>('users', environmentId, 'id = ?', [userId]);
    if (!row) return { status: 'not_found' };
    if (expectedVersion !== undefined && row.version !== expectedVersion) return { status: 'conflict' };
    this.scoped.delete('users', environmentId, 'id = ?', [userId]);
    return { status: 'updated', record: null };
  }

  setPassword(environmentId: string, userId: string, password: UserPassword): boolean {
    const set = {
      password_hash: password.hash,
      password_force_change: bit(password.forceChange),
      password_changed_at: password.changedAt,
      failed_attempts: 0,
      locked_until: null,
    };
    return this.scoped.update('users', environmentId, set, 'id = ?', [userId]) > 0;
  }

  recordFailedSignIn(environmentId: string, userId: string, rule: LockoutRule): SignInState | undefined {
    const row = this.scoped.updateReturning<UserRow>('users', environmentId, FAILED_SIGN_IN_ASSIGNMENTS, failedSignInParams(rule), 'id = ?', [
      userId,
    ]);
    return row && toSignInState(row);
  }

  resetFailedSignIns(environmentId: string, userId: string): void {
    this.scoped.update('users', environmentId, { failed_attempts: 0, locked_until: null }, 'id = ?', [userId]);
  }

  private requirePopulation(environmentId: string, populationId: string): void {
    if (!this.scoped.one('populations', environmentId, 'id = ?', [populationId])) throw new MissingReference('population');
  }
}
