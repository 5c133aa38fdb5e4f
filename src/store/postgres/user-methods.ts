/**
 * The UserStore half of the PostgreSQL store, kept apart from postgres-store.ts to keep each
 * file small: PostgresStore extends this class and supplies the two ways it runs work (`call`
 * on the pool, `write` in one transaction), each handing over the area modules to use.
 */
import type { SignInState } from '../../domain/users/sign-in-state.js';
import type { UserPassword } from '../../domain/users/user-password.js';
import type { UserRecord } from '../../domain/users/user.js';
import { toPage } from '../shared/scope.js';
import { asUsernameClash } from '../shared/user-rows.js';
import type { LockoutRule, Page, PageRequest, PopulationDeleteResult, PopulationRecord, UpdateResult, UserFilter, UserStore } from '../types.js';
import type { Areas } from './areas.js';

export abstract class PostgresUserMethods implements UserStore {
  /** Runs `work` on the pool, with driver errors mapped to store errors. */
  protected abstract call<T>(work: (areas: Areas) => Promise<T>): Promise<T>;
  /** Same, inside one transaction. */
  protected abstract write<T>(work: (areas: Areas) => Promise<T>): Promise<T>;

  listUsers(environmentId: string, page: PageRequest, filter?: UserFilter): Promise<Page<UserRecord>> {
    return this.call(async (a) => toPage(await a.users.list(environmentId, page, filter)));
  }

  getUser(environmentId: string, userId: string): Promise<UserRecord | undefined> {
    return this.call((a) => a.users.get(environmentId, userId));
  }

  findUserByUsername(environmentId: string, username: string): Promise<UserRecord | undefined> {
    return this.call((a) => a.users.findByUsername(environmentId, username));
  }

  countUsersInPopulation(environmentId: string, populationId: string): Promise<number> {
    return this.call((a) => a.users.countInPopulation(environmentId, populationId));
  }

  async createUser(environmentId: string, user: UserRecord): Promise<void> {
    try {
      await this.write((a) => a.users.insert(environmentId, user));
    } catch (err) {
      throw asUsernameClash(err);
    }
  }

  async replaceUser(environmentId: string, next: UserRecord, expectedVersion?: number): Promise<UpdateResult<UserRecord>> {
    try {
      return await this.write((a) => a.users.replace(environmentId, next, expectedVersion));
    } catch (err) {
      throw asUsernameClash(err);
    }
  }

  deleteUser(environmentId: string, userId: string, expectedVersion?: number): Promise<UpdateResult<null>> {
    return this.write((a) => a.users.delete(environmentId, userId, expectedVersion));
  }

  setUserPassword(environmentId: string, userId: string, password: UserPassword): Promise<boolean> {
    return this.call((a) => a.users.setPassword(environmentId, userId, password));
  }

  recordFailedSignIn(environmentId: string, userId: string, rule: LockoutRule): Promise<SignInState | undefined> {
    return this.call((a) => a.users.recordFailedSignIn(environmentId, userId, rule));
  }

  resetFailedSignIns(environmentId: string, userId: string): Promise<void> {
    return this.call((a) => a.users.resetFailedSignIns(environmentId, userId));
  }

  getPopulation(environmentId: string, populationId: string): Promise<PopulationRecord | undefined> {
    return this.call((a) => a.populations.get(environmentId, populationId));
  }

  getDefaultPopulation(environmentId: string): Promise<PopulationRecord | undefined> {
    return this.call((a) => a.populations.getDefault(environmentId));
  }

  createPopulation(environmentId: string, population: PopulationRecord): Promise<void> {
    return this.write((a) => a.populations.create(environmentId, population));
  }

  updatePopulation(environmentId: string, next: PopulationRecord, expectedVersion?: number): Promise<UpdateResult<PopulationRecord>> {
    return this.write((a) => a.populations.update(environmentId, next, expectedVersion));
  }

  deletePopulation(environmentId: string, populationId: string): Promise<PopulationDeleteResult> {
    return this.write((a) => a.populations.delete(environmentId, populationId));
  }
}
