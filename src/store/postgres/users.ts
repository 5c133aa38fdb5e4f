/**
 * Users: attributes, password hash and sign-in state. A create or replace takes a key-share lock
 * on the user's population (what a foreign-key check takes), so a concurrent deletePopulation,
 * which locks the row for update, either waits for it and then sees the user, or wins and makes
 * it fail with MissingReference.
 */
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

export class Users {
  constructor(private readonly scoped: EnvScoped) {}

  async list(environmentId: string, page: PageRequest, filter?: UserFilter): Promise<RowPage<UserRecord>> {
    const [predicate, params] = userFilterPredicate(filter);
    return mapRowPage(await this.scoped.page<UserRow>('users', environmentId, predicate, params, page), toUser);
  }

  async get(environmentId: string, userId: string): Promise<UserRecord | undefined> {
    const row = await this.scoped.one<UserRow>('users', environmentId, 'id = ?', [userId]);
    return row && toUser(row);
  }

  async findByUsername(environmentId: string, username: string): Promise<UserRecord | undefined> {
    const row = await this.scoped.one<UserRow>('users', environmentId, 'username_lower = ?', [usernameKey(username)]);
    return row && toUser(row);
  }

  countInPopulation(environmentId: string, populationId: string): Promise<number> {
    return this.scoped.count('users', environmentId, 'population_id = ?', [populationId]);
  }

  /** Call inside a transaction. */
  async insert(environmentId: string, user: UserRecord): Promise<void> {
    assertInEnvironment(environmentId, user.environmentId, `user ${user.id}`);
    await this.lockPopulation(environmentId, user.populationId);
    await this.scoped.insert('users', environmentId, { ...userInsertColumns(user), ...userFlags(user) });
  }

  /** Call inside a transaction. */
  async replace(environmentId: string, next: UserRecord, expectedVersion?: number): Promise<UpdateResult<UserRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `user ${next.id}`);
    if (!(await this.scoped.one<UserRow>('users', environmentId, 'id = ?', [next.id]))) return { status: 'not_found' };
    await this.lockPopulation(environmentId, next.populationId);
    const set = { ...userMutableColumns(next), enabled: next.enabled };
    const result = await this.scoped.updateVersioned<UserRow>('users', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toUser(result.record) } : result;
  }

  /** Call inside a transaction: the row is locked first, so the version checked is the one deleted. */
  async delete(environmentId: string, userId: string, expectedVersion?: number): Promise<UpdateResult<null>> {
    const version = await this.scoped.lockVersion('users', environmentId, 'id = ?', [userId]);
    if (version === undefined) return { status: 'not_found' };
    if (expectedVersion !== undefined && version !== expectedVersion) return { status: 'conflict' };
    await this.scoped.delete('users', environmentId, 'id = ?', [userId]);
    return { status: 'updated', record: null };
  }

  async setPassword(environmentId: string, userId: string, password: UserPassword): Promise<boolean> {
    const set = {
      password_hash: password.hash,
      password_force_change: password.forceChange,
      password_changed_at: password.changedAt,
      failed_attempts: 0,
      locked_until: null,
    };
    return (await this.scoped.update('users', environmentId, set, 'id = ?', [userId])) > 0;
  }

  async recordFailedSignIn(environmentId: string, userId: string, rule: LockoutRule): Promise<SignInState | undefined> {
    const row = await this.scoped.updateReturning<UserRow>('users', environmentId, FAILED_SIGN_IN_ASSIGNMENTS, failedSignInParams(rule), 'id = ?', [
      userId,
    ]);
    return row && toSignInState(row);
  }

  async resetFailedSignIns(environmentId: string, userId: string): Promise<void> {
    await this.scoped.update('users', environmentId, { failed_attempts: 0, locked_until: null }, 'id = ?', [userId]);
  }

  private async lockPopulation(environmentId: string, populationId: string): Promise<void> {
    if (!(await this.scoped.lockKeyShare('populations', environmentId, 'id = ?', [populationId]))) throw new MissingReference('population');
  }
}
