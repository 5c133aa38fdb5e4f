/**
 * Contract: users (UserStore). Usernames are unique per environment whatever their case; a user
 * belongs to a population of its environment; the password and the sign-in state change only
 * through their own methods; failed sign-ins are counted by one atomic statement each.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { UserRecord } from '../../src/domain/users/user.js';
import { MissingReference, UniqueViolation, type Store } from '../../src/store/types.js';
import { CREATED_AT, UPDATED_AT, population } from '../support/store-fixtures.js';
import { assertPaging, seedTwoEnvironments, updated, type ContractContext } from './harness.js';

/** An ISO instant `seconds` after a fixed origin: text order is time order. */
export const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();

export function user(environmentId: string, populationId: string, overrides: Partial<UserRecord> = {}): UserRecord {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    environmentId,
    populationId,
    username: `user-${id}`,
    email: `${id}@example.test`,
    enabled: true,
    lifecycleStatus: 'ACCOUNT_OK',
    profile: { name: { given: 'Ada', family: 'Lovelace' }, locale: 'en-GB', timezone: 'Europe/London' },
    customAttributes: {},
    signIn: { failedAttempts: 0 },
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

const PASSWORD = { hash: 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U', forceChange: false, changedAt: CREATED_AT };

function isClash(field: string) {
  return (err: unknown) => {
    assert.ok(err instanceof UniqueViolation, `expected UniqueViolation, got ${String(err)}`);
    assert.equal(err.field, field);
    return true;
  };
}

const isMissingPopulation = (err: unknown) => err instanceof MissingReference && err.field === 'population';

/** Two environments; A's default population id. */
async function seed(store: Store) {
  const seeded = await seedTwoEnvironments(store);
  return { ...seeded, popA: seeded.a.population.id, popB: seeded.b.population.id };
}

export function usersContract(ctx: ContractContext): void {
  describe('users', () => {
    it('round-trips a user with and without a password, and omits absent optionals', async () => {
      const store = ctx.store();
      const { envA, popA } = await seed(store);
      const plain = user(envA, popA, { profile: {} });
      const full = user(envA, popA, { password: PASSWORD, enabled: false, lifecycleStatus: 'VERIFICATION_REQUIRED' });
      await store.createUser(envA, plain);
      await store.createUser(envA, full);
      assert.deepEqual(await store.getUser(envA, plain.id), plain);
      assert.deepEqual(await store.getUser(envA, full.id), full);
      assert.equal(await store.getUser(envA, randomUUID()), undefined);
    });

    it('usernames are unique per environment, compared case-insensitively (NFC, lower case)', async () => {
      const store = ctx.store();
      const { envA, envB, popA, popB } = await seed(store);
      await store.createUser(envA, user(envA, popA, { username: 'Élodie.Martin' }));
      await assert.rejects(store.createUser(envA, user(envA, popA, { username: 'élodie.MARTIN' })), isClash('username'));
      await assert.rejects(store.createUser(envA, user(envA, popA, { username: 'E\u0301lodie.martin' })), isClash('username'));
      await store.createUser(envB, user(envB, popB, { username: 'élodie.martin' }));
      const found = await store.findUserByUsername(envA, 'ÉLODIE.MARTIN');
      assert.equal(found?.username, 'Élodie.Martin', 'found whatever the case; stored as given');
      assert.equal(await store.findUserByUsername(envA, 'elodie.martin'), undefined, 'accents still count');
      assert.equal((await store.listUsers(envA, { limit: 10 })).count, 1, 'a rejected create writes nothing');
    });

    it('lists users by id with cursor paging, filtered by username (any case) or exact email', async () => {
      const store = ctx.store();
      const { envA, envB, popA, popB } = await seed(store);
      const users = Array.from({ length: 7 }, (_, i) => user(envA, popA, { username: `member-${i}`, email: `m${i}@example.test` }));
      for (const u of users) await store.createUser(envA, u);
      await store.createUser(envB, user(envB, popB, { username: 'member-0' }));
      await assertPaging((page) => store.listUsers(envA, page), users.map((u) => u.id), 3);
      const byName = await store.listUsers(envA, { limit: 10 }, { kind: 'compare', attribute: 'username', operator: 'eq', value: 'MEMBER-3' });
      assert.deepEqual(byName, { items: [users[3]], count: 1 });
      const byEmail = await store.listUsers(envA, { limit: 10 }, { kind: 'compare', attribute: 'email', operator: 'eq', value: 'm5@example.test' });
      assert.deepEqual(byEmail.items.map((u) => u.id), [users[5]!.id]);
      assert.equal((await store.listUsers(envA, { limit: 10 }, { kind: 'compare', attribute: 'email', operator: 'eq', value: 'M5@example.test' })).count, 0);
      assert.equal(await store.countUsersInPopulation(envA, popA), 7);
    });

    it('a user must belong to a population of its own environment', async () => {
      const store = ctx.store();
      const { envA, popA, popB } = await seed(store);
      await assert.rejects(store.createUser(envA, user(envA, randomUUID())), isMissingPopulation);
      await assert.rejects(store.createUser(envA, user(envA, popB)), isMissingPopulation, 'popB lives in B');
      const u = user(envA, popA);
      await store.createUser(envA, u);
      await assert.rejects(store.replaceUser(envA, { ...u, populationId: popB }), isMissingPopulation);
      assert.deepEqual(await store.getUser(envA, u.id), u);
    });

    it('replaceUser bumps the version, honours expectedVersion, and leaves password and sign-in state alone', async () => {
      const store = ctx.store();
      const { envA, popA } = await seed(store);
      const other = population(envA, { name: 'Other', default: false });
      await store.createPopulation(envA, other);
      const u = user(envA, popA, { password: PASSWORD });
      await store.createUser(envA, u);
      await store.recordFailedSignIn(envA, u.id, { threshold: 5, now: at(0), until: at(900) });
      const next = { ...u, populationId: other.id, username: 'renamed', email: 'r@example.test', profile: {}, enabled: false, updatedAt: UPDATED_AT };
      const stored = updated(await store.replaceUser(envA, { ...next, password: undefined, signIn: { failedAttempts: 0 } }, 1));
      assert.deepEqual(stored, { ...next, version: 2, signIn: { failedAttempts: 1 } });
      assert.deepEqual(await store.replaceUser(envA, next, 1), { status: 'conflict' });
      assert.deepEqual(await store.replaceUser(envA, { ...next, id: randomUUID() }), { status: 'not_found' });
      await store.createUser(envA, user(envA, popA, { username: 'taken' }));
      await assert.rejects(store.replaceUser(envA, { ...next, username: 'TAKEN' }), isClash('username'));
      assert.deepEqual(await store.getUser(envA, u.id), stored);
    });

    it('deleteUser honours expectedVersion', async () => {
      const store = ctx.store();
      const { envA, popA } = await seed(store);
      const u = user(envA, popA);
      await store.createUser(envA, u);
      assert.deepEqual(await store.deleteUser(envA, u.id, 2), { status: 'conflict' });
      assert.deepEqual(await store.deleteUser(envA, u.id, 1), { status: 'updated', record: null });
      assert.deepEqual(await store.deleteUser(envA, u.id), { status: 'not_found' });
      assert.equal(await store.findUserByUsername(envA, u.username), undefined);
    });

    it('setUserPassword sets the hash and clears failed sign-ins and the lock', async () => {
      const store = ctx.store();
      const { envA, popA } = await seed(store);
      const u = user(envA, popA);
      await store.createUser(envA, u);
      for (let i = 0; i < 5; i++) await store.recordFailedSignIn(envA, u.id, { threshold: 5, now: at(i), until: at(900) });
      assert.equal((await store.getUser(envA, u.id))?.signIn.lockedUntil, at(900));
      const password = { ...PASSWORD, forceChange: true, changedAt: UPDATED_AT };
      assert.equal(await store.setUserPassword(envA, u.id, password), true);
      assert.deepEqual(await store.getUser(envA, u.id), { ...u, password, signIn: { failedAttempts: 0 } });
      assert.equal(await store.setUserPassword(envA, randomUUID(), password), false);
    });

    it('upgradeUserPasswordHash replaces the hash only while it is the expected one, in its environment, and keeps the rest', async () => {
      const store = ctx.store();
      const { envA, envB, popA } = await seed(store);
      const imported = { hash: '{SSHA256}c29tZSBkaWdlc3QgYnl0ZXMgb2YgdGhpcnR5LXR3byBsZW5ndGhzYWx0', forceChange: true, changedAt: CREATED_AT };
      const u = user(envA, popA, { password: imported });
      await store.createUser(envA, u);
      assert.equal(await store.upgradeUserPasswordHash(envB, u.id, imported.hash, PASSWORD.hash), false, 'another environment');
      assert.equal(await store.upgradeUserPasswordHash(envA, u.id, 'scrypt$other', PASSWORD.hash), false, 'a hash set meanwhile');
      assert.deepEqual(await store.getUser(envA, u.id), u);
      assert.equal(await store.upgradeUserPasswordHash(envA, u.id, imported.hash, PASSWORD.hash), true);
      assert.deepEqual(await store.getUser(envA, u.id), { ...u, password: { ...imported, hash: PASSWORD.hash } }, 'forceChange, changedAt and version kept');
      assert.equal(await store.upgradeUserPasswordHash(envA, u.id, imported.hash, 'scrypt$again'), false, 'only once');
    });

    it('failed sign-ins: the one reaching the threshold locks and restarts the count; none count while locked', async () => {
      const store = ctx.store();
      const { envA, popA } = await seed(store);
      const u = user(envA, popA);
      await store.createUser(envA, u);
      const rule = (now: number) => ({ threshold: 3, now: at(now), until: at(now + 900) });
      assert.deepEqual(await store.recordFailedSignIn(envA, u.id, rule(0)), { failedAttempts: 1 });
      assert.deepEqual(await store.recordFailedSignIn(envA, u.id, rule(1)), { failedAttempts: 2 });
      assert.deepEqual(await store.recordFailedSignIn(envA, u.id, rule(2)), { failedAttempts: 0, lockedUntil: at(902) });
      assert.deepEqual(await store.recordFailedSignIn(envA, u.id, rule(901)), { failedAttempts: 0, lockedUntil: at(902) }, 'still locked');
      assert.deepEqual(await store.recordFailedSignIn(envA, u.id, rule(902)), { failedAttempts: 1 }, 'expired: counted, lock cleared');
      await store.resetFailedSignIns(envA, u.id);
      assert.deepEqual((await store.getUser(envA, u.id))?.signIn, { failedAttempts: 0 });
      assert.equal(await store.recordFailedSignIn(envA, randomUUID(), rule(0)), undefined);
    });

    it('an administrator lock holds until its instant, counts no failure meanwhile, stays in its environment and ends with an unlock', async () => {
      const store = ctx.store();
      const { envA, envB, popA } = await seed(store);
      const u = user(envA, popA);
      await store.createUser(envA, u);
      const forever = '9999-12-31T23:59:59.999Z';
      assert.equal(await store.lockUserAccount(envB, u.id, forever), false, 'another environment');
      assert.deepEqual((await store.getUser(envA, u.id))?.signIn, { failedAttempts: 0 });
      assert.equal(await store.recordFailedSignIn(envA, u.id, { threshold: 5, now: at(0), until: at(900) }).then((s) => s?.failedAttempts), 1);
      assert.equal(await store.lockUserAccount(envA, u.id, forever), true);
      assert.deepEqual((await store.getUser(envA, u.id))?.signIn, { failedAttempts: 0, lockedUntil: forever });
      assert.deepEqual(await store.recordFailedSignIn(envA, u.id, { threshold: 1, now: at(0), until: at(900) }), { failedAttempts: 0, lockedUntil: forever }, 'not counted while locked');
      assert.equal((await store.getUser(envA, u.id))?.version, u.version, 'the lock is sign-in state, not a change of the user');
      await store.resetFailedSignIns(envA, u.id);
      assert.deepEqual((await store.getUser(envA, u.id))?.signIn, { failedAttempts: 0 });
      assert.equal(await store.lockUserAccount(envA, randomUUID(), forever), false);
    });

    it('counts 25 concurrent failed sign-ins exactly', async () => {
      const store = ctx.store();
      const { envA, popA } = await seed(store);
      const u = user(envA, popA);
      await store.createUser(envA, u);
      const rule = { threshold: 1000, now: at(0), until: at(900) };
      const states = await Promise.all(Array.from({ length: 25 }, () => store.recordFailedSignIn(envA, u.id, rule)));
      assert.deepEqual(states.map((s) => s?.failedAttempts).sort((x, y) => (x ?? 0) - (y ?? 0)), Array.from({ length: 25 }, (_, i) => i + 1));
      assert.equal((await store.getUser(envA, u.id))?.signIn.failedAttempts, 25);
    });

    const fresh = ctx.options.freshDatabase;
    it('counts failed sign-ins from two stores on one database exactly, and locks once', { skip: fresh ? false : 'in-memory backend' }, async () => {
      assert.ok(fresh);
      const db = await fresh();
      const stores: Store[] = [await db.open(), await db.open()];
      try {
        await stores[0]!.migrate();
        const { envA, popA } = await seed(stores[0]!);
        const u = user(envA, popA);
        await stores[0]!.createUser(envA, u);
        const rule = { threshold: 10, now: at(0), until: at(900) };
        const states = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.recordFailedSignIn(envA, u.id, rule)));
        assert.equal(states.filter((s) => s?.lockedUntil !== undefined && s.failedAttempts === 0).length, 3, 'the 10th locks; 11th and 12th find it locked');
        assert.deepEqual((await stores[1]!.getUser(envA, u.id))?.signIn, { failedAttempts: 0, lockedUntil: at(900) });
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}
