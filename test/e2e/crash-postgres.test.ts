/**
 * PostgreSQL unavailability, without stopping the shared server: Keyway talks to PostgreSQL
 * through a small TCP proxy (test/support/database-proxy.ts) that can be cut (every socket
 * destroyed, new ones refused), stalled (sockets kept open, nothing forwarded) and restored.
 *
 * - A Keyway process whose database is cut answers 503 everywhere (management
 *   SERVICE_UNAVAILABLE with Retry-After, `/as/token` temporarily_unavailable, `/healthz`) and
 *   issues nothing, not even to clients whose configuration it had cached; it recovers by itself
 *   when the database returns, and an assertion refused during the outage was never recorded.
 * - The change feed declares a stalled listening connection lost within about a second
 *   (heartbeat), listens again once the database is back, and then hears a write committed on
 *   another connection.
 *
 * Skipped when the database cannot be reached, except when CI is set.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { ChangeFeed, ConfigChange } from '../../src/store/types.js';
import { DatabaseProxy } from '../support/database-proxy.js';
import { assertion as signAssertion, call, clientKey, postgresAnswers, sleep, TEST_DATABASE_URL, waitFor, type ClientKey, type Reply, organizationLicense } from '../support/e2e.js';
import { environmentBundle, organization } from '../support/store-fixtures.js';
import { startProcess, type RunningServer } from '../support/process.js';

const url = TEST_DATABASE_URL;
const PUBLIC_URL = 'http://keyway.outage.test';
const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'outage-e2e-bootstrap-secret-0123456789abcdef',
};
const schemas: string[] = [];

function freshSchema(): string {
  const schema = `keyway_outage_${process.pid}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (await postgresAnswers('Keyway when PostgreSQL goes away', url)) {
  const proxies: DatabaseProxy[] = [];
  const newProxy = async (): Promise<DatabaseProxy> => {
    const proxy = await new DatabaseProxy(url).start();
    proxies.push(proxy);
    return proxy;
  };

  after(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const schema of schemas) await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  });

  describe('a Keyway process whose PostgreSQL database becomes unreachable', () => {
    let server: RunningServer | undefined;
    let proxy: DatabaseProxy;
    let dataDir = '';
    let adminToken = '';
    let envId = '';
    const S = (): RunningServer => server as RunningServer;

    before(async () => {
      proxy = await newProxy();
      const schema = freshSchema();
      await admin(`CREATE SCHEMA ${schema}`);
      dataDir = mkdtempSync(join(tmpdir(), 'keyway-outage-'));
      server = await startProcess({
        KEYWAY_DATA_DIR: dataDir,
        KEYWAY_DATABASE_URL: proxy.url(schema),
        KEYWAY_MASTER_KEY: randomBytes(32).toString('base64'),
        KEYWAY_PUBLIC_URL: PUBLIC_URL,
        ...PINS,
      });
      const token = await call(S(), 'POST', `/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
        basic: `${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`,
        form: { grant_type: 'client_credentials' },
      });
      assert.equal(token.status, 200);
      adminToken = token.body.access_token as string;
      envId = (await api('POST', '/v1/environments', { name: 'outage', region: 'EU', type: 'SANDBOX', license: await organizationLicense((path) => api('GET', path)) })).id as string;
    });

    after(async () => {
      if (server) {
        const killLater = setTimeout(() => void server?.stop('SIGKILL'), 5_000);
        await server.stop();
        clearTimeout(killLater);
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function api(method: string, path: string, json?: unknown): Promise<any> {
      const reply = await call(S(), method, path, { token: adminToken, ...(json === undefined ? {} : { json }) });
      if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    }

    test('answers 503 and issues nothing while it is down, then recovers by itself', async () => {
      const resource = (await api('POST', `/v1/environments/${envId}/resources`, { name: 'orders', audience: 'https://orders.example' })).id as string;
      const scope = (await api('POST', `/v1/environments/${envId}/resources/${resource}/scopes`, { name: 'orders:read' })).id as string;
      const key = await clientKey();
      const withSecret = await api('POST', `/v1/environments/${envId}/applications`, { name: 'secret', enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT' });
      const withKey = await api('POST', `/v1/environments/${envId}/applications`, {
        name: 'jwt',
        enabled: true,
        type: 'SERVICE',
        protocol: 'OPENID_CONNECT',
        tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
        jwks: key.jwks,
      });
      for (const app of [withSecret, withKey]) {
        await api('POST', `/v1/environments/${envId}/applications/${app.id}/grants`, { resource: { id: resource }, scopes: [{ id: scope }] });
      }
      const { secret } = await api('GET', `/v1/environments/${envId}/applications/${withSecret.id}/secret`);
      const basic = (): Promise<Reply> =>
        call(S(), 'POST', `/${envId}/as/token`, { basic: `${withSecret.id}:${secret}`, form: { grant_type: 'client_credentials', scope: 'orders:read' } });
      const jwt = (signed: string): Promise<Reply> =>
        call(S(), 'POST', `/${envId}/as/token`, {
          form: {
            grant_type: 'client_credentials',
            scope: 'orders:read',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: signed,
          },
        });
      // Warm every cache: both clients got tokens, so their configuration is in memory.
      for (let i = 0; i < 3; i++) {
        assert.equal((await basic()).status, 200);
        assert.equal((await jwt(await assertion(envId, withKey.id, key))).status, 200);
      }
      const held = await assertion(envId, withKey.id, key);

      proxy.cut();
      await sleep(100);
      const replies: Array<[string, Reply]> = [];
      const until = Date.now() + 1_000;
      while (Date.now() < until) {
        replies.push(['secret', await basic()]);
        replies.push(['assertion', await jwt(await assertion(envId, withKey.id, key))]);
        replies.push(['held assertion', await jwt(held)]);
        replies.push(['management', await call(S(), 'GET', `/v1/environments/${envId}/applications`, { token: adminToken })]);
        replies.push(['healthz', await call(S(), 'GET', '/healthz')]);
      }
      for (const [what, reply] of replies) {
        assert.equal(reply.status, 503, `${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
        if (what === 'management') {
          assert.equal(reply.body.code, 'SERVICE_UNAVAILABLE');
          assert.ok(reply.headers.get('retry-after'), 'management 503 carries Retry-After');
        } else if (what !== 'healthz') {
          assert.equal(reply.body.error, 'temporarily_unavailable');
          assert.ok(reply.headers.get('retry-after'), 'token 503 carries Retry-After');
          assert.equal(reply.body.access_token, undefined);
        }
      }

      proxy.restore();
      const recovery = await waitFor('the server to recover', async () => (await call(S(), 'GET', '/healthz')).status === 200 && (await basic()).status === 200, 20_000);
      console.log(`outage: ${replies.length} requests answered 503 during 1 s; recovered ${recovery.toFixed(0)} ms after the database returned`);
      assert.equal((await api('GET', `/v1/environments/${envId}/applications`)).count, 2);
      // The held assertion was refused with 503 every time, so its jti was never recorded: it
      // is accepted once now, then refused as a replay.
      assert.equal((await jwt(held)).status, 200);
      const replay = await jwt(held);
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error, 'invalid_client');
    });
  });

  describe('the change feed when its connection fails', () => {
    let store: PostgresStore | undefined;
    let direct: PostgresStore | undefined;
    const feeds: ChangeFeed[] = [];

    after(async () => {
      for (const feed of feeds) await feed.close();
      await store?.close();
      await direct?.close();
    });

    test('a stalled listening connection is declared lost within about a second, and listening resumes', async () => {
      const proxy = await newProxy();
      const schema = freshSchema();
      store = await openPostgresStore(proxy.url(schema), { schema });
      direct = await openPostgresStore(url, { schema, migrate: false });
      const log: Array<{ event: string; at: number; change?: ConfigChange }> = [];
      const record = (event: string, change?: ConfigChange): void => void log.push({ event, at: performance.now(), ...(change ? { change } : {}) });
      const events = {
        changed: (change: ConfigChange) => record('changed', change),
        listening: () => record('listening'),
        lost: () => record('lost'),
      };
      const feed = store.openChangeFeed(events);
      feeds.push(feed);
      await waitFor('the feed to listen', async () => feed.listening, 5_000);

      const stalledAt = performance.now();
      proxy.stall();
      await waitFor('the stalled connection to be declared lost', async () => log.some((e) => e.event === 'lost'), 5_000);
      // Heartbeat every 500 ms with a 500 ms answer bound: at most 1 s, plus timer slack on a busy machine.
      const detectedMs = (log.find((e) => e.event === 'lost')?.at ?? 0) - stalledAt;
      assert.equal(feed.listening, false);
      assert.ok(detectedMs <= 1_500, `lost after ${detectedMs.toFixed(0)} ms`);

      proxy.restore();
      const back = await waitFor('the feed to listen again', async () => feed.listening, 15_000);
      assert.equal(log.filter((e) => e.event === 'listening').length, 2);
      console.log(`change feed: stalled connection declared lost after ${detectedMs.toFixed(0)} ms; listening again ${back.toFixed(0)} ms after the database returned`);

      // A write committed on another connection is announced by the database itself.
      const org = organization();
      await direct.createOrganization(org);
      const bundle = environmentBundle(org.id);
      await direct.createEnvironment(bundle);
      const environmentId = bundle.environment.id;
      await waitFor(
        'a change committed elsewhere to arrive',
        async () => log.some((e) => e.event === 'changed' && e.change?.kind === 'environment' && e.change.environmentId === environmentId),
        2_000,
      );
    });
  });
}

/** A fresh client assertion for this file's public URL. */
function assertion(envId: string, clientId: string, key: ClientKey): Promise<string> {
  return signAssertion(PUBLIC_URL, envId, clientId, key, 120);
}
