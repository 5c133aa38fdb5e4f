/**
 * Contract: populations (UserStore), and the isolation of users and populations between
 * environments. Exactly one population per environment is the default; the default, the last
 * and any population holding users stay; deleting an environment deletes its users.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { MissingReference, UniqueViolation, type FilterExpression, type PopulationRecord, type Store } from '../../src/store/types.js';
import { UPDATED_AT, population } from '../support/store-fixtures.js';
import { seedTwoEnvironments, updated, type ContractContext } from './harness.js';
import { at, user } from './contract-users.js';

/** The ids of the environment's default populations (exactly one is expected). */
async function defaults(store: Store, environmentId: string): Promise<string[]> {
  return (await store.listPopulations(environmentId, { limit: 100 })).items.filter((p) => p.default).map((p) => p.id);
}

const isMissingPopulation = (err: unknown) => err instanceof MissingReference && err.field === 'population';

const extra = (environmentId: string, overrides: Partial<PopulationRecord> = {}) =>
  population(environmentId, { name: `pop-${randomUUID()}`, default: false, ...overrides });

export function populationsContract(ctx: ContractContext): void {
  describe('populations', () => {
    it('creates, reads and finds the default; names are unique per environment', async () => {
      const store = ctx.store();
      const { a, b, envA, envB } = await seedTwoEnvironments(store);
      const p = extra(envA, { description: undefined });
      delete p.description;
      await store.createPopulation(envA, p);
      assert.deepEqual(await store.getPopulation(envA, p.id), p);
      assert.deepEqual(await store.getDefaultPopulation(envA), a.population);
      await assert.rejects(store.createPopulation(envA, extra(envA, { name: p.name })), (err: unknown) => {
        assert.ok(err instanceof UniqueViolation && err.field === 'name');
        return true;
      });
      await store.createPopulation(envB, extra(envB, { name: p.name }));
      assert.deepEqual(await defaults(store, envB), [b.population.id]);
    });

    it('listPopulations filters in SQL: name sw (case-exact) and id eq, scoped to the environment', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const [staff, students] = [extra(envA, { name: 'Staff' }), extra(envA, { name: 'Students' })];
      for (const p of [staff, students]) await store.createPopulation(envA, p);
      await store.createPopulation(envB, extra(envB, { name: 'Stage' }));
      const names = async (filter: FilterExpression) => (await store.listPopulations(envA, { limit: 10 }, filter)).items.map((p) => p.name).sort();
      assert.deepEqual(await names({ kind: 'compare', attribute: 'name', operator: 'sw', value: 'St' }), ['Staff', 'Students']);
      assert.deepEqual(await names({ kind: 'compare', attribute: 'name', operator: 'sw', value: 'st' }), []);
      assert.deepEqual(await names({ kind: 'compare', attribute: 'id', operator: 'eq', value: students.id }), ['Students']);
      assert.equal((await store.listPopulations(envA, { limit: 1 }, { kind: 'compare', attribute: 'name', operator: 'sw', value: 'St' })).count, 2);
    });

    it('a new default takes the flag from the previous one, which gets a new version', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const p = extra(envA, { default: true, updatedAt: UPDATED_AT });
      await store.createPopulation(envA, p);
      assert.deepEqual(await defaults(store, envA), [p.id]);
      const previous = await store.getPopulation(envA, a.population.id);
      assert.deepEqual(previous, { ...a.population, default: false, version: 2, updatedAt: UPDATED_AT });
    });

    it('updatePopulation moves the default in one step, never unsets it, and honours expectedVersion', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const p = extra(envA);
      await store.createPopulation(envA, p);
      assert.deepEqual(await store.updatePopulation(envA, { ...p, default: true }, 2), { status: 'conflict' });
      assert.deepEqual(await defaults(store, envA), [a.population.id], 'a refused update moves nothing');
      const moved = updated(await store.updatePopulation(envA, { ...p, name: 'Renamed', default: true, updatedAt: UPDATED_AT }, 1));
      assert.deepEqual(moved, { ...p, name: 'Renamed', default: true, version: 2, updatedAt: UPDATED_AT });
      assert.deepEqual(await defaults(store, envA), [p.id]);
      const kept = updated(await store.updatePopulation(envA, { ...moved, default: false }));
      assert.equal(kept.default, true, 'default: false does not leave the environment without a default');
      assert.deepEqual(await store.updatePopulation(envA, extra(envA)), { status: 'not_found' });
    });

    it('of concurrent moves of the default, one wins and exactly one default remains', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const pops = Array.from({ length: 6 }, () => extra(envA));
      for (const p of pops) await store.createPopulation(envA, p);
      await Promise.all(pops.map((p) => store.updatePopulation(envA, { ...p, default: true })));
      assert.equal((await defaults(store, envA)).length, 1);
    });

    it('deletePopulation keeps the default, the last one and those holding users', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      assert.equal(await store.deletePopulation(envA, a.population.id), 'last');
      const p = extra(envA);
      await store.createPopulation(envA, p);
      assert.equal(await store.deletePopulation(envA, a.population.id), 'default');
      const u = user(envA, p.id);
      await store.createUser(envA, u);
      assert.equal(await store.countUsersInPopulation(envA, p.id), 1);
      assert.equal(await store.deletePopulation(envA, p.id), 'has_users');
      await store.deleteUser(envA, u.id);
      assert.equal(await store.deletePopulation(envA, p.id), 'deleted');
      assert.equal(await store.deletePopulation(envA, p.id), 'not_found');
      assert.equal(await store.getPopulation(envA, p.id), undefined);
    });

    it('a population deleted while a user joins it: the user is refused, or the population stays', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      for (let round = 0; round < 8; round++) {
        const p = extra(envA);
        await store.createPopulation(envA, p);
        const u = user(envA, p.id);
        const [created, deleted] = await Promise.allSettled([store.createUser(envA, u), store.deletePopulation(envA, p.id)]);
        const userThere = (await store.getUser(envA, u.id)) !== undefined;
        const populationThere = (await store.getPopulation(envA, p.id)) !== undefined;
        assert.equal(deleted.status, 'fulfilled');
        assert.equal(userThere, created.status === 'fulfilled');
        assert.equal(populationThere, userThere, 'no user left in a deleted population, no population deleted under a user');
        if (created.status === 'rejected') assert.ok(isMissingPopulation(created.reason), String(created.reason));
        if (userThere) await store.deleteUser(envA, u.id);
      }
    });
  });

  describe('users and populations: environment isolation', () => {
    it('nothing of environment A is visible or writable through environment B', async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const popA = a.population.id;
      const p = extra(envA);
      await store.createPopulation(envA, p);
      const u = user(envA, popA);
      await store.createUser(envA, u);
      const rule = { threshold: 5, now: at(0), until: at(900) };

      assert.equal(await store.getUser(envB, u.id), undefined);
      assert.equal(await store.findUserByUsername(envB, u.username), undefined);
      assert.equal((await store.listUsers(envB, { limit: 10 })).count, 0);
      assert.equal((await store.listUsers(envB, { limit: 10 }, { kind: 'compare', attribute: 'username', operator: 'eq', value: u.username })).count, 0);
      assert.equal(await store.countUsersInPopulation(envB, popA), 0);
      assert.deepEqual(await store.replaceUser(envB, { ...u, environmentId: envB }), { status: 'not_found' });
      assert.deepEqual(await store.deleteUser(envB, u.id), { status: 'not_found' });
      assert.equal(await store.setUserPassword(envB, u.id, { hash: 'x', forceChange: false, changedAt: at(0) }), false);
      assert.equal(await store.recordFailedSignIn(envB, u.id, rule), undefined);
      await store.resetFailedSignIns(envB, u.id);

      assert.equal(await store.getPopulation(envB, p.id), undefined);
      assert.deepEqual(await store.updatePopulation(envB, { ...p, environmentId: envB, default: true }), { status: 'not_found' });
      assert.equal(await store.deletePopulation(envB, p.id), 'not_found');

      assert.deepEqual(await store.getUser(envA, u.id), u);
      assert.deepEqual(await store.getPopulation(envA, p.id), p);
      assert.deepEqual(await defaults(store, envA), [popA]);
    });

    it('deleteEnvironment deletes its users and populations, and nothing of another environment', async () => {
      const store = ctx.store();
      const { a, b, envA, envB } = await seedTwoEnvironments(store);
      const u = user(envA, a.population.id, { username: 'same' });
      const v = user(envB, b.population.id, { username: 'same' });
      await store.createUser(envA, u);
      await store.createUser(envB, v);
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.equal(await store.getUser(envA, u.id), undefined);
      assert.equal((await store.listPopulations(envA, { limit: 10 })).count, 0);
      assert.deepEqual(await store.getUser(envB, v.id), v);
    });
  });
}
