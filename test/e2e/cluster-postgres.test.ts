/**
 * Two real Keyway processes (A and B) on one PostgreSQL database, as behind a load balancer:
 * same schema, same master key, same public URL, one bootstrap.
 *
 * - Replay: the same client assertion sent concurrently to both instances succeeds exactly once
 *   (RFC 7523 §3 item 7, OpenID Connect Core §9: jti single use).
 * - Propagation: a configuration change made through A is enforced by B, whose caches are warm,
 *   within 1 s; the measured times are printed. So is one written straight into the database
 *   (the tables' triggers announce it). Also: B serves from its caches while its
 *   change feed listens (a write that fires no trigger is not seen), and drops them all when the
 *   feed's connection is lost and comes back.
 *
 * Database: KEYWAY_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; a fresh
 * schema, handed to the processes as `options=-c search_path=…` in KEYWAY_DATABASE_URL. Skipped
 * when the database cannot be reached, except when CI is set.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { assertion as signAssertion, call, clientKey, postgresAnswers, sleep, TEST_DATABASE_URL, waitFor, type Reply, organizationLicense } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';

const url = TEST_DATABASE_URL;
const PUBLIC_URL = 'http://keyway.cluster.test';
const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '3d0c1b7a-5e2f-4a6b-9c8d-0e1f2a3b4c5d',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'cluster-e2e-bootstrap-secret-0123456789abcdef',
};
/**
 * Failed client authentications per client and source that both instances together allow
 * (README, "Several instances"): above the replay test's 45 refused duplicates.
 */
const CLIENT_AUTH_LIMIT = 60;
/** README.md, "Several instances": configuration changes reach every instance within 1 second. */
const BOUND_MS = 1_000;
const schema = `keyway_cluster_${process.pid}_${randomBytes(4).toString('hex')}`;
const feedName = `keyway-changes:${schema}`.slice(0, 63);

async function admin<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], session?: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (session !== undefined) await client.query(session);
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function schemaUrl(): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

const listeners = async (): Promise<number> =>
  (await admin<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [feedName]))[0]?.n ?? 0;

async function stopServer(server: RunningServer | undefined): Promise<void> {
  if (!server) return;
  const killLater = setTimeout(() => void server.stop('SIGKILL'), 5_000);
  await server.stop();
  clearTimeout(killLater);
}

if (await postgresAnswers('two Keyway instances on one PostgreSQL database', url)) {
  const dirs: string[] = [];
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  let adminToken = '';
  let envId = '';
  let resourceId = '';
  let scopeId = '';

  const A = (): RunningServer => a as RunningServer;
  const B = (): RunningServer => b as RunningServer;
  const api = async (method: string, path: string, json?: unknown): Promise<any> => {
    const reply = await call(A(), method, path, { token: adminToken, ...(json === undefined ? {} : { json }) });
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };

  /** A SERVICE application with a grant on the test resource; returns its id and secret. */
  async function service(env: string, fields: Record<string, unknown>, scope = { resourceId, scopeId }): Promise<{ id: string; secret: string; body: Record<string, unknown> }> {
    const body = { name: `svc-${randomBytes(4).toString('hex')}`, enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', ...fields };
    const app = await api('POST', `/v1/environments/${env}/applications`, body);
    await api('POST', `/v1/environments/${env}/applications/${app.id}/grants`, { resource: { id: scope.resourceId }, scopes: [{ id: scope.scopeId }] });
    const { secret } = await api('GET', `/v1/environments/${env}/applications/${app.id}/secret`);
    return { id: app.id as string, secret: secret as string, body };
  }

  const basicToken = (server: RunningServer, env: string, id: string, secret: string): Promise<Reply> =>
    call(server, 'POST', `/${env}/as/token`, { basic: `${id}:${secret}`, form: { grant_type: 'client_credentials', scope: 'orders:read' } });

  const postToken = (server: RunningServer, env: string, id: string, secret: string): Promise<Reply> =>
    call(server, 'POST', `/${env}/as/token`, { form: { grant_type: 'client_credentials', scope: 'orders:read', client_id: id, client_secret: secret } });

  const jwtToken = (server: RunningServer, env: string, signed: string): Promise<Reply> =>
    call(server, 'POST', `/${env}/as/token`, {
      form: {
        grant_type: 'client_credentials',
        scope: 'orders:read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: signed,
      },
    });

  before(async () => {
    await admin(`CREATE SCHEMA ${schema}`);
    const masterKey = randomBytes(32).toString('base64');
    const env = (): Record<string, string> => {
      const dir = mkdtempSync(join(tmpdir(), 'keyway-cluster-'));
      dirs.push(dir);
      return {
        KEYWAY_DATA_DIR: dir,
        KEYWAY_DATABASE_URL: schemaUrl(),
        KEYWAY_MASTER_KEY: masterKey,
        KEYWAY_PUBLIC_URL: PUBLIC_URL,
        KEYWAY_RATE_LIMIT_CLIENT_AUTH: String(CLIENT_AUTH_LIMIT),
        ...PINS,
      };
    };
    a = await startProcess(env());
    b = await startProcess(env());
    await waitFor('both instances to listen for changes', async () => (await listeners()) === 2, 10_000);
    const workerToken = await call(A(), 'POST', `/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
      basic: `${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`,
      form: { grant_type: 'client_credentials' },
    });
    assert.equal(workerToken.status, 200, JSON.stringify(workerToken.body));
    adminToken = workerToken.body.access_token as string;
    envId = (await api('POST', '/v1/environments', { name: 'cluster', region: 'EU', type: 'SANDBOX', license: await organizationLicense((path) => api('GET', path)) })).id;
    resourceId = (await api('POST', `/v1/environments/${envId}/resources`, { name: 'orders', audience: 'https://orders.example' })).id;
    scopeId = (await api('POST', `/v1/environments/${envId}/resources/${resourceId}/scopes`, { name: 'orders:read' })).id;
  });

  after(async () => {
    await Promise.all([stopServer(a), stopServer(b)]);
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('replay across instances (RFC 7523 §3 item 7: a jti is used once)', () => {
    test('the same client assertion sent concurrently to both instances succeeds exactly once', async () => {
      const key = await clientKey();
      const app = await service(envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: key.jwks });
      // Both instances know the client before the race, so it is decided by the jti insert alone.
      assert.equal((await jwtToken(A(), envId, await assertion(envId, app.id, key))).status, 200);
      assert.equal((await jwtToken(B(), envId, await assertion(envId, app.id, key))).status, 200);
      for (let round = 0; round < 5; round++) {
        const signed = await assertion(envId, app.id, key);
        const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => jwtToken(i % 2 === 0 ? A() : B(), envId, signed)));
        const ok = replies.filter((r) => r.status === 200);
        assert.equal(ok.length, 1, `round ${round}: ${replies.map((r) => r.status).join(',')}`);
        for (const r of replies.filter((reply) => reply.status !== 200)) {
          assert.equal(r.status, 401);
          assert.equal(r.body.error, 'invalid_client');
        }
      }
    });
  });

  describe('failed authentications spend one budget across instances (README, "Several instances")', () => {
    test('failures at A and at B add up; then both refuse the client (429, RFC 6585 §4)', async () => {
      const [key, wrongKey] = [await clientKey(), await clientKey()];
      const app = await service(envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: key.jwks });
      // Half of the budget at each instance: counted per instance, neither would refuse.
      for (let i = 0; i < CLIENT_AUTH_LIMIT; i++) {
        const failed = await jwtToken(i % 2 === 0 ? A() : B(), envId, await assertion(envId, app.id, wrongKey));
        assert.equal(failed.status, 401, `failure ${i}: ${JSON.stringify(failed.body)}`);
      }
      // A failure reaches the other instance through the database (pg_notify): within 1 s.
      for (const [name, server] of [['A', A], ['B', B]] as const) {
        const start = performance.now();
        let refused = await jwtToken(server(), envId, await assertion(envId, app.id, key));
        while (refused.status !== 429 && performance.now() - start < 1_000) refused = await jwtToken(server(), envId, await assertion(envId, app.id, key));
        assert.equal(refused.status, 429, `${name} refuses the client's correct assertion once the shared budget is spent: ${JSON.stringify(refused.body)}`);
        assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After (RFC 9110 §10.2.3)');
      }
    });

    test('the connection that hears the other instances is watched: its loss and its return are logged', async () => {
      const name = `keyway-broadcast:${schema}`.slice(0, 63);
      const broadcastListeners = async (): Promise<number> =>
        (await admin<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [name]))[0]?.n ?? 0;
      await waitFor('both instances to listen on the broadcast', async () => (await broadcastListeners()) === 2, 10_000);
      await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      await waitFor('A to log the loss', async () => A().stdout().includes('failure broadcast lost its connection'), 10_000);
      await waitFor('A to listen again', async () => A().stdout().includes('failure broadcast listening again'), 10_000);
      await waitFor('both instances to listen on the broadcast again', async () => (await broadcastListeners()) === 2, 10_000);
    });
  });

  describe('codes and refresh tokens are single use across instances', () => {
    const redirectUri = 'https://app.cluster.test/cb';

    /** Signs a user in through PingOne's flow API on A and returns a fresh authorization code. */
    async function codeFor(appId: string): Promise<string> {
      const query = new URLSearchParams({ client_id: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid offline_access', response_mode: 'pi.flow', state: 's' });
      const flow = (await (await fetch(`${A().baseUrl}/${envId}/as/authorize?${query.toString()}`)).json()) as { id: string };
      const checked = await fetch(`${A().baseUrl}/${envId}/flows/${flow.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.pingidentity.usernamePassword.check+json' },
        body: JSON.stringify({ username: 'cluster-user', password: 'Cluster-Pass-42' }),
      });
      assert.equal(checked.status, 200);
      const resumed = (await (await fetch(`${A().baseUrl}/${envId}/as/resume?flowId=${flow.id}`)).json()) as { authorizeResponse: { code: string } };
      return resumed.authorizeResponse.code;
    }

    test('RFC 6749 §4.1.2: one code sent concurrently to A and B is redeemed exactly once; so is one refresh token', async () => {
      const user = await api('POST', `/v1/environments/${envId}/users`, { username: 'cluster-user', email: 'cluster@example.com', password: { value: 'Cluster-Pass-42', forceChange: false } });
      assert.ok(user.id);
      const app = await api('POST', `/v1/environments/${envId}/applications`, {
        name: 'cluster-web',
        enabled: true,
        type: 'WEB_APP',
        protocol: 'OPENID_CONNECT',
        grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
        responseTypes: ['CODE'],
        redirectUris: [redirectUri],
      });
      const { secret } = await api('GET', `/v1/environments/${envId}/applications/${app.id}/secret`);
      const basic = `${app.id}:${secret}`;
      for (let round = 0; round < 3; round++) {
        const code = await codeFor(app.id);
        const attempts = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            call(i % 2 === 0 ? A() : B(), 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri } }),
          ),
        );
        const won = attempts.filter((r) => r.status === 200);
        assert.equal(won.length, 1, `round ${round}: ${attempts.map((r) => r.status).join(',')}`);
        for (const lost of attempts.filter((r) => r.status !== 200)) assert.equal(lost.body.error, 'invalid_grant');
        const refreshToken = won[0]?.body.refresh_token as string | undefined;
        // The code's second redemption revoked what the first issued (RFC 6749 §10.5).
        if (refreshToken !== undefined) {
          const afterReplay = await call(B(), 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'refresh_token', refresh_token: refreshToken } });
          assert.equal(afterReplay.status, 400);
        }
      }

      const code = await codeFor(app.id);
      const first = await call(A(), 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri } });
      assert.equal(first.status, 200);
      const refreshToken = first.body.refresh_token as string;
      assert.ok(refreshToken);
      const rotations = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          call(i % 2 === 0 ? A() : B(), 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'refresh_token', refresh_token: refreshToken } }),
        ),
      );
      assert.equal(rotations.filter((r) => r.status === 200).length, 1, rotations.map((r) => r.status).join(','));
      for (const lost of rotations.filter((r) => r.status !== 200)) assert.equal(lost.body.error, 'invalid_grant');
    });
  });

  describe('configuration changes reach the other instance within 1 s', () => {
    const measured: Array<{ change: string; ms: number }> = [];

    after(() => {
      if (measured.length === 0) return;
      const max = Math.max(...measured.map((m) => m.ms));
      console.log(`propagation A -> B, ms: ${measured.map((m) => `${m.change} ${m.ms.toFixed(1)}`).join('; ')}; max ${max.toFixed(1)} ms`);
    });

    /**
     * Writes through A (resolved once A acknowledged it), then polls B until `reflected`;
     * returns the time from A's acknowledgement to B's first reflecting answer.
     */
    async function propagation(change: string, write: () => Promise<unknown>, reflected: () => Promise<boolean>): Promise<number> {
      await write();
      const start = performance.now();
      while (!(await reflected())) {
        if (performance.now() - start > 5_000) assert.fail(`${change}: B did not reflect the change within 5 s`);
      }
      const ms = performance.now() - start;
      measured.push({ change, ms });
      assert.ok(ms < BOUND_MS, `${change}: ${ms.toFixed(1)} ms exceeds ${BOUND_MS} ms`);
      return ms;
    }

    /** B answers from warm caches: a few successful requests first. */
    async function warm(request: () => Promise<Reply>): Promise<void> {
      for (let i = 0; i < 3; i++) {
        const reply = await request();
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
      }
    }

    test('disabling and re-enabling an application', async () => {
      const app = await service(envId, {});
      const onB = () => basicToken(B(), envId, app.id, app.secret);
      await warm(onB);
      const put = (enabled: boolean) => api('PUT', `/v1/environments/${envId}/applications/${app.id}`, { ...app.body, enabled });
      await propagation('disable', () => put(false), async () => {
        const r = await onB();
        if (r.status === 200) return false;
        assert.equal(r.status, 401);
        assert.equal(r.body.error, 'invalid_client');
        return true;
      });
      await propagation('re-enable', () => put(true), async () => (await onB()).status === 200);
    });

    test('replacing the jwks of a PRIVATE_KEY_JWT application', async () => {
      const [oldKey, newKey] = [await clientKey(), await clientKey()];
      const app = await service(envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: oldKey.jwks });
      await warm(async () => jwtToken(B(), envId, await assertion(envId, app.id, oldKey)));
      await propagation(
        'replace jwks',
        () => api('PUT', `/v1/environments/${envId}/applications/${app.id}`, { ...app.body, jwks: newKey.jwks }),
        async () => {
          const r = await jwtToken(B(), envId, await assertion(envId, app.id, oldKey));
          if (r.status === 200) return false;
          assert.equal(r.status, 401);
          return true;
        },
      );
      assert.equal((await jwtToken(B(), envId, await assertion(envId, app.id, newKey))).status, 200);
    });

    test('changing the token endpoint auth method', async () => {
      const app = await service(envId, { tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' });
      await warm(() => basicToken(B(), envId, app.id, app.secret));
      await propagation(
        'auth method',
        () => api('PUT', `/v1/environments/${envId}/applications/${app.id}`, { ...app.body, tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' }),
        async () => (await basicToken(B(), envId, app.id, app.secret)).status === 401,
      );
      assert.equal((await postToken(B(), envId, app.id, app.secret)).status, 200);
    });

    test('rotating the client secret', async () => {
      const app = await service(envId, {});
      await warm(() => basicToken(B(), envId, app.id, app.secret));
      let rotated = '';
      await propagation(
        'rotate secret',
        async () => (rotated = (await api('POST', `/v1/environments/${envId}/applications/${app.id}/secret`)).secret as string),
        async () => (await basicToken(B(), envId, app.id, app.secret)).status === 401,
      );
      assert.equal((await basicToken(B(), envId, app.id, rotated)).status, 200);
    });

    test('deleting an application', async () => {
      const app = await service(envId, {});
      await warm(() => basicToken(B(), envId, app.id, app.secret));
      await propagation(
        'delete application',
        () => api('DELETE', `/v1/environments/${envId}/applications/${app.id}`),
        async () => (await basicToken(B(), envId, app.id, app.secret)).status === 401,
      );
    });

    test('deleting an environment', async () => {
      const env = (await api('POST', '/v1/environments', { name: `doomed-${randomBytes(3).toString('hex')}`, region: 'EU', type: 'SANDBOX', license: await organizationLicense((path) => api('GET', path)) })).id as string;
      const resource = (await api('POST', `/v1/environments/${env}/resources`, { name: 'orders', audience: 'https://orders.example' })).id as string;
      const scope = (await api('POST', `/v1/environments/${env}/resources/${resource}/scopes`, { name: 'orders:read' })).id as string;
      const app = await service(env, {}, { resourceId: resource, scopeId: scope });
      await warm(() => basicToken(B(), env, app.id, app.secret));
      assert.equal((await call(B(), 'GET', `/${env}/as/jwks`)).status, 200);
      await propagation(
        'delete environment',
        () => api('DELETE', `/v1/environments/${env}`),
        async () => (await basicToken(B(), env, app.id, app.secret)).status === 404,
      );
      assert.equal((await call(B(), 'GET', `/${env}/as/jwks`)).status, 404);
    });

    test('a change written straight into the database, not through Keyway, reaches B as well', async () => {
      const app = await service(envId, {});
      const onB = () => basicToken(B(), envId, app.id, app.secret);
      await warm(onB);
      await propagation(
        'plain SQL disable',
        () => admin(`UPDATE ${schema}.applications SET config = jsonb_set(config::jsonb, '{enabled}', 'false')::text WHERE id = $1`, [app.id]),
        async () => (await onB()).status === 401,
      );
    });

    test('B serves from its caches while listening, and drops them all when its feed reconnects', async () => {
      const app = await service(envId, {});
      const onB = () => basicToken(B(), envId, app.id, app.secret);
      await warm(onB);
      // As a restore or logical replication writes: replica mode fires no trigger, so nothing is
      // announced and a listening instance keeps its cached profile.
      await admin(
        `UPDATE ${schema}.applications SET config = jsonb_set(config::jsonb, '{enabled}', 'false')::text WHERE id = $1`,
        [app.id],
        'SET session_replication_role = replica',
      );
      for (let i = 0; i < 10; i++) {
        assert.equal((await onB()).status, 200, 'cached while the feed listens (hot path: no configuration read)');
        await sleep(20);
      }
      // Cut both instances' listening connections: whatever was committed meanwhile is missed.
      const cut = await admin<{ ok: boolean }>('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [feedName]);
      assert.equal(cut.length, 2);
      const start = performance.now();
      await waitFor('B to drop its cached profile', async () => (await onB()).status === 401, 5_000);
      const ms = performance.now() - start;
      measured.push({ change: 'feed reconnect', ms });
      assert.ok(ms < BOUND_MS, `${ms.toFixed(1)} ms`);
      await waitFor('both listeners to reconnect', async () => (await listeners()) === 2, 10_000);
      await sleep(100); // the session is named just before its LISTEN
      // And NOTIFY works again after the reconnection, B's cache warm with the disabled profile.
      for (let i = 0; i < 3; i++) assert.equal((await onB()).status, 401);
      await propagation(
        're-enable after reconnect',
        () => api('PUT', `/v1/environments/${envId}/applications/${app.id}`, { ...app.body, enabled: true }),
        async () => (await onB()).status === 200,
      );
    });
  });
}

/** A fresh client assertion for this file's public URL. */
function assertion(envId: string, clientId: string, key: Awaited<ReturnType<typeof clientKey>>): Promise<string> {
  return signAssertion(PUBLIC_URL, envId, clientId, key);
}
