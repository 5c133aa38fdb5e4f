/**
 * A PostgreSQL server that refuses Keyway's connections, seen through HTTP: the token endpoint
 * answers 503 `temporarily_unavailable` (RFC 6749 §5.2 lists no such code for the token endpoint;
 * RFC 6749 §4.1.2.1 defines it for "a temporary overloading or maintenance of the server") and the
 * management API and the flow API answer PingOne's 503 `SERVICE_UNAVAILABLE`, each with
 * `Retry-After`; nothing is a 500, and nothing is issued. The database is made to refuse the way
 * an operator does it: `ALTER DATABASE … ALLOW_CONNECTIONS false` (new sessions fail with SQLSTATE
 * 55000, "database is not currently accepting connections") and the existing sessions ended
 * (57P01). A database made read-only (25006, as a standby during a failover) answers a write so
 * too, storing nothing. Once connections are allowed again, the same requests succeed.
 *
 * Runs on a database of its own, created and dropped here, so that the shared test database is
 * never made to refuse anyone. Skipped when PostgreSQL cannot be reached, except when CI is set.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { adminQuery, postgresAnswers, scratchSchemaName, TEST_DATABASE_URL, waitFor } from '../support/e2e.js';
import { createCustomScope, createApp, expectStatus, startInProcess, type InProcess, type Reply } from '../support/harness.js';

const url = TEST_DATABASE_URL;
const database = scratchSchemaName('keyway_refused');
/** Well formed (43 base64url characters), so the lookup reaches the store. */
const FLOW_ID = 'Abc-_0123456789abcdefghijklmnopqrstuvwxyzAB';

function databaseUrl(): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** New sessions are refused (55000) and every existing one is ended (57P01). */
async function refuseConnections(): Promise<void> {
  await adminQuery(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
  await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`);
}

const allowConnections = async (): Promise<void> => {
  await adminQuery(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
};

/** Every new session is read-only, as on a standby during a failover; existing sessions are ended. */
async function readOnly(on: boolean): Promise<void> {
  await adminQuery(`ALTER DATABASE ${database} SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
  await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`);
}

if (await postgresAnswers('a PostgreSQL database that refuses connections', url)) {
  let h: InProcess;
  let env: string;
  let client: { id: string; secret: string };

  const token = (): Promise<Reply> => h.clientCredentials(env, client.id, client.secret, 'orders:read');
  const management = (): Promise<Reply> => h.inject('GET', `/v1/environments/${env}/applications`);
  const flow = (): Promise<Reply> => h.inject('GET', `/${env}/flows/${FLOW_ID}`, { token: null });

  function expectUnavailable(what: string, reply: Reply, shape: 'oauth' | 'pingone'): void {
    assert.equal(reply.status, 503, `${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    assert.equal(reply.headers['retry-after'], '5', what);
    assert.equal(reply.headers['cache-control'], 'no-store', what);
    if (shape === 'oauth') {
      assert.equal(reply.body.error, 'temporarily_unavailable', what);
      assert.equal(reply.body.access_token, undefined, `${what}: nothing issued`);
    } else {
      assert.equal(reply.body.code, 'SERVICE_UNAVAILABLE', what);
      assert.deepEqual(Object.keys(reply.body), ['id', 'code', 'message'], what);
    }
    assert.ok(!JSON.stringify(reply.body).includes('accepting'), `${what}: no internals in the answer`);
  }

  before(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    h = await startInProcess({ env: { KEYWAY_DATABASE_URL: databaseUrl() } });
    env = h.adminEnvId;
    const scope = await createCustomScope(h, env, 'orders', 'https://orders.example', 'orders:read');
    client = await createApp(h, env, 'refused-client', 'SERVICE');
    const granted = await h.inject('POST', `/v1/environments/${env}/applications/${client.id}/grants`, {
      body: { resource: { id: scope.resourceId }, scopes: [{ id: scope.scopeId }] },
    });
    expectStatus(granted, 201);
    expectStatus(await token(), 200);
  });

  after(async () => {
    await h?.close();
    await allowConnections().catch(() => {});
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  describe('PostgreSQL refuses connections (ALLOW_CONNECTIONS false, sessions ended)', () => {
    test('/as/token: 503 temporarily_unavailable with Retry-After, no token issued', async () => {
      await refuseConnections();
      try {
        // The first request may meet a pooled connection just ended (57P01), later ones the refusal (55000).
        for (let i = 0; i < 3; i++) expectUnavailable(`token ${i}`, await token(), 'oauth');
      } finally {
        await allowConnections();
      }
    });

    test('/v1 and the flow API: 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
      await refuseConnections();
      try {
        for (let i = 0; i < 3; i++) {
          expectUnavailable(`management ${i}`, await management(), 'pingone');
          expectUnavailable(`flow ${i}`, await flow(), 'pingone');
        }
      } finally {
        await allowConnections();
      }
    });

    test('a read-only database (SQLSTATE 25006): a management write answers 503 and stores nothing; reads go on', async () => {
      await readOnly(true);
      try {
        await waitFor('the management API to answer', async () => (await management()).status === 200, 10_000);
        const write = () => h.inject('POST', `/v1/environments/${env}/populations`, { body: { name: 'during-failover' } });
        expectUnavailable('population write', await write(), 'pingone');
      } finally {
        await readOnly(false);
      }
      await waitFor('the management API to answer', async () => (await management()).status === 200, 10_000);
      const populations = expectStatus(await h.inject('GET', `/v1/environments/${env}/populations`), 200);
      assert.ok(!JSON.stringify(populations.body).includes('during-failover'), 'nothing was stored');
    });

    test('once connections are allowed again, the same requests succeed', async () => {
      await waitFor('the management API to answer', async () => (await management()).status === 200, 10_000);
      expectStatus(await token(), 200);
      expectStatus(await flow(), 404);
    });
  });
}
