/**
 * The PostgreSQL store's client-side query bound (pool.ts `query_timeout`): a server that never
 * answers (here a proxy that stalls its connections, like a dead server behind a half-open TCP
 * connection, which statement_timeout cannot end) fails the query as StoreUnavailable (HTTP 503)
 * within the bound, inside a transaction too (no second wait on ROLLBACK), and the store works
 * again once the server answers. The bound is lowered through `queryTimeoutMs` to keep this fast.
 *
 * Skipped when the database cannot be reached, except when CI is set.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { mapPostgresError } from '../../src/store/postgres/errors.js';
import { PgDatabase, poolConfig, QUERY_TIMEOUT_MS } from '../../src/store/postgres/pool.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { StoreUnavailable } from '../../src/store/types.js';
import { DatabaseProxy } from '../support/database-proxy.js';
import { postgresAnswers, TEST_DATABASE_URL, waitFor } from '../support/e2e.js';
import { environmentBundle, organization } from '../support/store-fixtures.js';

const url = TEST_DATABASE_URL;

/** Milliseconds `work` took to reject with StoreUnavailable. */
async function timeToUnavailable(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await assert.rejects(work(), StoreUnavailable);
  return performance.now() - start;
}

describe('postgres pool: client-side query bound (offline)', () => {
  test('every connection gets a query_timeout a little above its statement_timeout', () => {
    const config = poolConfig('postgres://h/db', 'keyway_x');
    assert.equal(config.query_timeout, QUERY_TIMEOUT_MS);
    assert.ok(typeof config.statement_timeout === 'number' && QUERY_TIMEOUT_MS > config.statement_timeout);
    assert.ok(QUERY_TIMEOUT_MS <= config.statement_timeout + 2_000);
    assert.equal(poolConfig('postgres://h/db', undefined, { queryTimeoutMs: 250 }).query_timeout, 250);
  });

  test("pg's read timeout maps to StoreUnavailable", () => {
    assert.ok(mapPostgresError(new Error('Query read timeout')) instanceof StoreUnavailable);
  });
});

if (await postgresAnswers('postgres query bound', url)) {
  describe('postgres pool: client-side query bound', () => {
    const schema = `keyway_timeout_${process.pid}_${randomBytes(4).toString('hex')}`;
    const BOUND_MS = 1_000;
    const proxies: DatabaseProxy[] = [];
    const stores: PostgresStore[] = [];

    after(async () => {
      for (const proxy of proxies) await proxy.close();
      for (const store of stores) await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    test('a query the server is still running past the bound fails with a driver error the store maps to StoreUnavailable', async () => {
      const db = new PgDatabase(url, undefined, { queryTimeoutMs: 300 });
      try {
        const start = performance.now();
        const err = await db.query('SELECT pg_sleep(3)').then(
          () => assert.fail('pg_sleep(3) answered within a 300 ms bound'),
          (e: unknown) => e,
        );
        assert.ok(mapPostgresError(err) instanceof StoreUnavailable, String(err));
        assert.ok(performance.now() - start < 1_500, `failed after ${(performance.now() - start).toFixed(0)} ms`);
        assert.deepEqual((await db.query<{ one: number }>('SELECT 1 AS one')).rows, [{ one: 1 }], 'the pool still works');
      } finally {
        await db.close();
      }
    });

    // Without a client-side bound this would hang: the test's own timeout turns that into a failure.
    test('a server that stops answering: reads and transactions fail as StoreUnavailable within the bound, then recover', { timeout: 20_000 }, async () => {
      const proxy = await new DatabaseProxy(url).start();
      proxies.push(proxy);
      const store = await openPostgresStore(proxy.url(schema), { schema, queryTimeoutMs: BOUND_MS });
      stores.push(store);
      const org = organization();
      await store.createOrganization(org);
      // Two pooled connections, both idle when the proxy stalls: one for the read, one for the transaction.
      await Promise.all([store.ping(), store.getOrganization()]);

      proxy.stall();
      const readMs = await timeToUnavailable(() => store.ping());
      const writeMs = await timeToUnavailable(() => store.createEnvironment(environmentBundle(org.id)));
      console.log(`stalled server: read failed after ${readMs.toFixed(0)} ms, transaction after ${writeMs.toFixed(0)} ms (bound ${BOUND_MS} ms)`);
      for (const ms of [readMs, writeMs]) {
        assert.ok(ms >= BOUND_MS * 0.9, `${ms.toFixed(0)} ms: failed on a stalled connection, not a refused one`);
        assert.ok(ms < BOUND_MS * 1.8, `${ms.toFixed(0)} ms: within the bound plus slack, and no second wait on ROLLBACK`);
      }

      proxy.restore();
      await waitFor('the store to answer again', () => store.ping().then(() => true, () => false), 5_000);
      const bundle = environmentBundle(org.id);
      await store.createEnvironment(bundle);
      assert.equal((await store.getEnvironment(bundle.environment.id))?.id, bundle.environment.id);
    });
  });
}
