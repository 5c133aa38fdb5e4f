/**
 * The UserStore half of the SQLite store, kept apart from sqlite-store.ts to keep each file
 * small: SqliteStore extends this class and supplies the area modules and the two ways it runs
 * work (`call`, and `write` inside one `BEGIN IMMEDIATE` transaction).
 */
import type { SignInState } from '../../domain/users/sign-in-state.js';
import type { UserPassword } from '../../domain/users/user-password.js';
import type { UserRecord } from '../../domain/users/user.js';
import { toPage } from '../shared/scope.js';
import { asUsernameClash } from '../shared/user-rows.js';
import type { LockoutRule, Page, PageRequest, PopulationDeleteResult, PopulationRecord, UpdateResult, UserFilter, UserStore } from '../types.js';
import type { Populations } from './populations.js';
import type { Users } from './users.js';

export abstract class SqliteUserMethods implements UserStore {
  protected abstract readonly users: Users;
  protected abstract readonly populations: Populations;
  /** Runs synchronous work as a promise, with driver errors mapped to store errors. */
  protected abstract call<T>(work: () => T): Promise<T>;
  /** Same, inside one write transaction. */
  protected abstract write<T>(work: () => T): Promise<T>;

  listUsers(environmentId: string, page: PageRequest, filter?: UserFilter): Promise<Page<UserRecord>> {
    return this.call(() => toPage(this.users.list(environmentId, page, filter)));
  }

  getUser(environmentId: string, userId: string): Promise<UserRecord | undefined> {
    return this.call(() => this.users.get(environmentId, userId));
  }

  findUserByUsername(environmentId: string, username: string): Promise<UserRecord | undefined> {
    return this.call(() => this.users.findByUsername(environmentId, username));
  }

  countUsersInPopulation(environmentId: string, populationId: string): Promise<number> {
    return this.call(() => this.users.countInPopulation(environmentId, populationId));
  }

  async createUser(environmentId: string, user: UserRecord): Promise<void> {
    try {
      await this.write(() => this.users.insert(environmentId, user));
    } catch (err) {
      throw asUsernameClash(err);
    }
  }

  async replaceUser(environmentId: string, next: UserRecord, expectedVersion?: number): Promise<UpdateResult<UserRecord>> {
    try {
      return await this.write(() => this.users.replace(environmentId, next, expectedVersion));
    } catch (err) {
      throw asUsernameClash(err);
    }
  }

  deleteUser(environmentId: string, userId: string, expectedVersion?: number): Promise<UpdateResult<null>> {
    return this.write(() => this.users.delete(environmentId, userId, expectedVersion));
  }

  setUserPassword(environmentId: string, userId: string, password: UserPassword): Promise<boolean> {
    return this.call(() => this.users.setPassword(environmentId, userId, password));
  }

  recordFailedSignIn(environmentId: string, userId: string, rule: LockoutRule): Promise<SignInState | undefined> {
    return this.call(() => this.users.recordFailedSignIn(environmentId, userId, rule));
  }

  resetFailedSignIns(environmentId: string, userId: string): Promise<void> {
    return this.call(() => this.users.resetFailedSignIns(environmentId, userId));
  }

  getPopulation(environmentId: string, populationId: string): Promise<PopulationRecord | undefined> {
    return this.call(() => this.populations.get(environmentId, populationId));
  }

  getDefaultPopulation(environmentId: string): Promise<PopulationRecord | undefined> {
    return this.call(() => this.populations.getDefault(environmentId));
  }

  createPopulation(environmentId: string, population: PopulationRecord): Promise<void> {
    return this.write(() => this.populations.create(environmentId, population));
  }

  updatePopulation(environmentId: string, next: PopulationRecord, expectedVersion?: number): Promise<UpdateResult<PopulationRecord>> {
    return this.write(() => this.populations.update(environmentId, next, expectedVersion));
  }

  deletePopulation(environmentId: string, populationId: string): Promise<PopulationDeleteResult> {
    return this.write(() => this.populations.delete(environmentId, populationId));
  }
}
