/**
 * Readiness follows PostgreSQL itself (README, "Health and metrics"): Keyway on a PostgreSQL
 * server of this test's own (test/support/private-postgres.ts); stopping that server turns
 * `/health/ready` into 503 naming the store and the change feed while `/health/live` stays 200,
 * and starting it again brings readiness back to 200 once the pool answers and the change feed
 * listens again. Skipped where PostgreSQL's server programs are not installed, except when CI is
 * set. (test/features/health-ready-postgres.test.ts cuts a proxy instead, on the shared database.)
 */
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { IN_CI, waitFor } from '../support/e2e.js';
import { startInProcess, type InProcess } from '../support/harness.js';
import { postgresBinDir, PrivatePostgres } from '../support/private-postgres.js';

const bin = postgresBinDir();

if (bin === undefined) {
  const message = "PostgreSQL's server programs (initdb, pg_ctl) are not installed under /usr/lib/postgresql";
  if (IN_CI) test('PostgreSQL server programs are installed (CI is set, so they must be)', () => assert.fail(message));
  else test('readiness when PostgreSQL stops and starts again', { skip: message }, () => {});
} else {
  let server: PrivatePostgres;
  let h: InProcess;

  const get = async (url: string): Promise<{ status: number; body: any }> => {
    const res = await h.app.server.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };

  before(async () => {
    server = await PrivatePostgres.create(bin);
    h = await startInProcess({ env: { KEYWAY_DATABASE_URL: server.url } });
  });

  after(async () => {
    await h?.close();
    server?.remove();
  });

  test('PostgreSQL stopped: ready 503 (store and change feed unavailable), live 200; started again: ready 200', async () => {
    await waitFor('readiness', async () => (await get('/health/ready')).status === 200, 10_000);
    server.stop();
    await waitFor('both checks failing', async () => (await get('/health/ready')).body.checks.changeFeed === 'unavailable', 10_000);
    const stopped = await get('/health/ready');
    assert.equal(stopped.status, 503);
    assert.deepEqual(stopped.body, { status: 'unavailable', checks: { store: 'unavailable', changeFeed: 'unavailable' } });
    assert.deepEqual(await get('/health/live'), { status: 200, body: { status: 'ok' } });

    server.start();
    await waitFor('readiness after PostgreSQL started again', async () => (await get('/health/ready')).status === 200, 20_000);
    assert.deepEqual((await get('/health/ready')).body, { status: 'ok', checks: { store: 'ok', changeFeed: 'ok' } });
    const created = await h.inject('POST', '/v1/environments', { body: { name: 'After the restart', region: 'NA', type: 'SANDBOX', license: { id: h.licenseId } } });
    assert.equal(created.status, 201, 'the store serves writes again');
  });
}
