/**
 * Contract: records that expire, keyed by a jti. Client-assertion jtis are single use per
 * (environment, client) until they expire (OpenID Connect Core §9), and revoked access tokens
 * (RFC 7009) are remembered until they would have expired; both are purged in bounded batches,
 * only once the database's clock is the clock-skew margin past their expiry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOCK_SKEW_MARGIN_SECONDS } from '../../src/store/shared/clock-margin.js';
import type { Store } from '../../src/store/types.js';
import { environmentBundle, organization } from '../support/store-fixtures.js';
import { seedTwoEnvironments, type ContractContext } from './harness.js';

/** An ISO instant `seconds` after a fixed origin (long past): text order is time order. */
const t = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();
/**
 * An ISO instant `seconds` before now. Purges cut at the database's clock, which is this
 * machine's in these tests (SQLite, and PostgreSQL on the same host): SLACK keeps a case clear
 * of the cut-off however slowly it runs.
 */
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const MARGIN = CLOCK_SKEW_MARGIN_SECONDS;
const SLACK = 30;

/** How many of `results` are true. */
const trues = (results: readonly boolean[]) => results.filter(Boolean).length;

export function clientAuthContract(ctx: ContractContext): void {
  describe('assertion jti replay records', () => {
    it('records a jti once per environment and client: true, then false', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      assert.equal(await store.recordAssertionJti(envA, 'client-1', 'jti-1', t(60), t(0)), true);
      assert.equal(await store.recordAssertionJti(envA, 'client-1', 'jti-1', t(60), t(1)), false, 'a replay');
      assert.equal(await store.recordAssertionJti(envA, 'client-1', 'jti-1', t(120), t(59)), false, 'still unexpired');
      assert.equal(await store.recordAssertionJti(envA, 'client-2', 'jti-1', t(60), t(1)), true, 'another client');
      assert.equal(await store.recordAssertionJti(envB, 'client-1', 'jti-1', t(60), t(1)), true, 'another environment');
      assert.equal(await store.recordAssertionJti(envA, 'client-1', 'jti-2', t(60), t(1)), true, 'another jti');
      assert.equal(await store.recordAssertionJti(envA, 'client-1', 'JTI-1', t(60), t(1)), true, 'jtis are compared exactly');
    });

    it('replaces a record once it has expired (at its expiry instant), and not before', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      assert.equal(await store.recordAssertionJti(envA, 'client', 'jti', t(60), t(0)), true);
      assert.equal(await store.recordAssertionJti(envA, 'client', 'jti', t(200), t(59)), false);
      assert.equal(await store.recordAssertionJti(envA, 'client', 'jti', t(200), t(60)), true, 'expired at t(60)');
      assert.equal(await store.recordAssertionJti(envA, 'client', 'jti', t(300), t(100)), false, 'the new expiry t(200) holds');
      assert.equal(await store.recordAssertionJti(envA, 'client', 'jti', t(300), t(201)), true);
    });

    it('lets exactly one of 20 concurrent identical records succeed', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.recordAssertionJti(envA, 'client', 'jti', t(60), t(0))));
      assert.equal(trues(results), 1);
      const expired = await Promise.all(Array.from({ length: 20 }, () => store.recordAssertionJti(envA, 'client', 'jti', t(120), t(60))));
      assert.equal(trues(expired), 1, 'exactly one takes over the expired record');
    });

    const fresh = ctx.options.freshDatabase;
    it('lets exactly one of two stores on one database record a jti', { skip: fresh ? false : 'in-memory backend' }, async () => {
      assert.ok(fresh);
      const db = await fresh();
      const stores: Store[] = [await db.open(), await db.open()];
      try {
        await Promise.all(stores.map((s) => s.migrate()));
        const [one, two] = stores as [Store, Store];
        const org = organization();
        const env = environmentBundle(org.id);
        await one.createOrganization(org);
        await one.createEnvironment(env);
        const envId = env.environment.id;
        for (let round = 0; round < 5; round++) {
          const record = (s: Store) => s.recordAssertionJti(envId, 'client', `jti-${round}`, t(60), t(0));
          const results = await Promise.all(Array.from({ length: 20 }, (_, i) => record(i % 2 === 0 ? one : two)));
          assert.equal(trues(results), 1, `round ${round}`);
        }
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('purges only records expired more than the clock-skew margin before the database clock, at most `limit` at a time, in every environment', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      for (const env of [envA, envB]) {
        for (let i = 0; i < 3; i++) await store.recordAssertionJti(env, 'client', `old-${i}`, ago(MARGIN + 3600 + i), t(0));
        await store.recordAssertionJti(env, 'client', 'recent', ago(MARGIN - SLACK), t(0));
        await store.recordAssertionJti(env, 'client', 'live', ago(-100), t(0));
      }
      assert.equal(await store.purgeExpiredAssertionJtis(4), 4);
      assert.equal(await store.purgeExpiredAssertionJtis(1), 1);
      assert.equal(await store.purgeExpiredAssertionJtis(5), 1);
      assert.equal(await store.purgeExpiredAssertionJtis(5), 0);
      // A purged key records again (even at a time it would have been unexpired); a kept one does not.
      for (const env of [envA, envB]) {
        assert.equal(await store.recordAssertionJti(env, 'client', 'old-0', t(60), t(5)), true);
        assert.equal(await store.recordAssertionJti(env, 'client', 'recent', t(60), t(5)), false, 'expired, but within the margin');
        assert.equal(await store.recordAssertionJti(env, 'client', 'live', t(60), t(5)), false);
      }
      await assert.rejects(store.purgeExpiredAssertionJtis(0), RangeError);
    });

    it('reads the database clock as text in the stored instants’ form (what purge cut-offs come from)', async () => {
      const reading = await ctx.store().databaseClock();
      assert.match(reading, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.equal(new Date(reading).toISOString(), reading);
      assert.ok(Math.abs(Date.parse(reading) - Date.now()) < SLACK * 1000, `${reading}: the database runs on this machine's clock here`);
    });

    it('never purges a record whose expiry is within the margin of the database clock, whatever the caller’s clock (OpenID Connect Core §9)', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      await store.recordAssertionJti(envA, 'client', 'inside', ago(MARGIN - SLACK), t(0));
      await store.recordAssertionJti(envA, 'client', 'outside', ago(MARGIN + SLACK), t(0));
      assert.equal(await store.purgeExpiredAssertionJtis(100), 1);
      assert.equal(await store.recordAssertionJti(envA, 'client', 'inside', t(60), t(5)), false, 'kept');
      assert.equal(await store.recordAssertionJti(envA, 'client', 'outside', t(60), t(5)), true, 'purged');
    });

    it('are deleted with their environment, and need an existing one', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      await store.recordAssertionJti(envA, 'client', 'jti', t(60), t(0));
      await store.recordAssertionJti(envB, 'client', 'jti', t(60), t(0));
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.equal(await store.purgeExpiredAssertionJtis(100), 1, "only B's record was left");
      await assert.rejects(store.recordAssertionJti(envA, 'client', 'jti', t(60), t(0)), 'the environment is gone');
    });

    it('refuses a jti holding U+0000 with a TypeError (text rule of every engine)', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      await assert.rejects(store.recordAssertionJti(envA, 'client', 'a\u0000b', t(60), t(0)), TypeError);
      assert.equal(await store.recordAssertionJti(envA, 'client', 'a', t(60), t(0)), true);
    });
  });

  describe('revoked access tokens', () => {
    it('revokes idempotently, per environment', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      assert.equal(await store.isTokenRevoked(envA, 'jti'), false);
      await store.revokeToken(envA, 'jti', t(60));
      await store.revokeToken(envA, 'jti', t(60));
      assert.equal(await store.isTokenRevoked(envA, 'jti'), true);
      assert.equal(await store.isTokenRevoked(envB, 'jti'), false, 'another environment');
      assert.equal(await store.isTokenRevoked(envA, 'other'), false);
      assert.equal(await store.isTokenRevoked(envA, 'jti\u0000'), false, 'a key holding U+0000 matches nothing');
      assert.equal(await store.isTokenRevoked('00000000-0000-4000-8000-0000000000ff', 'jti'), false);
    });

    it('purges revocations expired more than the margin before the database clock, at most `limit` at a time; a later revocation keeps it longer', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      for (const env of [envA, envB]) {
        await store.revokeToken(env, 'old', ago(MARGIN + 3600));
        await store.revokeToken(env, 'recent', ago(MARGIN - SLACK));
        await store.revokeToken(env, 'live', ago(-100));
      }
      await store.revokeToken(envA, 'extended', ago(MARGIN + 3600));
      await store.revokeToken(envA, 'extended', ago(-100));
      await store.revokeToken(envA, 'extended', ago(MARGIN + 1800));
      assert.equal(await store.purgeExpiredRevocations(1), 1);
      assert.equal(await store.purgeExpiredRevocations(10), 1);
      assert.equal(await store.purgeExpiredRevocations(10), 0);
      for (const env of [envA, envB]) {
        assert.equal(await store.isTokenRevoked(env, 'old'), false);
        assert.equal(await store.isTokenRevoked(env, 'recent'), true, 'expired, but within the margin: an instance behind may still accept the token');
        assert.equal(await store.isTokenRevoked(env, 'live'), true);
      }
      assert.equal(await store.isTokenRevoked(envA, 'extended'), true, 'kept until the latest expiry');
    });

    it('are deleted with their environment', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      await store.revokeToken(envA, 'jti', t(60));
      await store.revokeToken(envB, 'jti', t(60));
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.equal(await store.isTokenRevoked(envA, 'jti'), false);
      assert.equal(await store.purgeExpiredRevocations(100), 1, "only B's record was left");
    });
  });
}
