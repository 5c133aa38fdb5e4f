/**
 * Readiness on PostgreSQL follows the database (README, "Health and metrics"): with Keyway
 * reaching PostgreSQL through a TCP proxy, cutting the proxy (every connection ended, new ones
 * refused: a database that went away) turns `/health/ready` into 503 naming the store and the
 * change feed, while `/health/live` stays 200; restoring it brings readiness back to 200 once the
 * pool answers and the change feed listens again. `/metrics` shows the pool's connections.
 *
 * Database: KEYWAY_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), a fresh
 * schema of its own. Skipped when the database cannot be reached, except when CI is set.
 */
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { DatabaseProxy } from '../support/database-proxy.js';
import { adminQuery, postgresAnswers, scratchSchemaName, TEST_DATABASE_URL, waitFor } from '../support/e2e.js';
import { startInProcess, type InProcess } from '../support/harness.js';

const schema = scratchSchemaName('keyway_ready');

if (await postgresAnswers('readiness through a proxy to PostgreSQL')) {
  let h: InProcess;
  let proxy: DatabaseProxy;

  const get = async (url: string): Promise<{ status: number; body: any }> => {
    const res = await h.app.server.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };

  before(async () => {
    await adminQuery(`CREATE SCHEMA ${schema}`);
    proxy = await new DatabaseProxy(TEST_DATABASE_URL).start();
    h = await startInProcess({ env: { KEYWAY_DATABASE_URL: proxy.url(schema) } });
  });

  after(async () => {
    await h?.close();
    await proxy?.close();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  test('ready while the database answers and the change feed listens', async () => {
    await waitFor('readiness', async () => (await get('/health/ready')).status === 200, 10_000);
    assert.deepEqual((await get('/health/ready')).body, { status: 'ok', checks: { store: 'ok', changeFeed: 'ok' } });
    const metrics = await h.app.server.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /^keyway_store_pool_connections\{state="idle"\} \d+$/m);
    assert.match(metrics.body, /^keyway_store_pool_connections\{state="waiting"\} 0$/m);
  });

  test('the database cut: ready 503 (store and change feed unavailable), live 200; restored: ready 200 again', async () => {
    proxy.cut();
    // The feed's socket closing and the pool's failure are both asynchronous events.
    await waitFor('both checks failing', async () => (await get('/health/ready')).body.checks.changeFeed === 'unavailable', 5_000);
    const cut = await get('/health/ready');
    assert.equal(cut.status, 503);
    assert.deepEqual(cut.body, { status: 'unavailable', checks: { store: 'unavailable', changeFeed: 'unavailable' } });
    assert.equal((await get('/healthz')).status, 503, '/healthz is the same probe');
    assert.deepEqual(await get('/health/live'), { status: 200, body: { status: 'ok' } });

    proxy.restore();
    await waitFor('readiness after the database returned', async () => (await get('/health/ready')).status === 200, 15_000);
    assert.deepEqual((await get('/health/ready')).body, { status: 'ok', checks: { store: 'ok', changeFeed: 'ok' } });
  });
}
