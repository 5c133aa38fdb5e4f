/**
 * KEYWAY_WORKERS=2 (README, "Several processes"): one `keyway start`, two server processes on one
 * port and one store, run on SQLite by test/e2e/workers-sqlite.test.ts and on PostgreSQL by
 * test/e2e/workers-postgres.test.ts. Each test talks to both workers over connections pinned to
 * each (an undici Client holds one keep-alive connection, which the primary handed to one
 * worker); `keyway_process_id` in /metrics says which worker a connection reached, and is checked
 * again after the tests, so a reconnection cannot make a test pass on one worker.
 *
 * - Replay (RFC 7523 §3 item 7, OpenID Connect Core §9: a jti is used once): an assertion
 *   accepted by one worker is refused by the other, also when both get it at once.
 * - Codes and refresh tokens (RFC 6749 §4.1.2, §10.4): a code redeemed on one worker is refused
 *   on the other, and so is a refresh token already rotated.
 * - Cache invalidation: an application deleted, or its jwks replaced, through one worker is
 *   enforced by the other, although the other had it cached: on SQLite at once (the change log of
 *   migration 0014 is read before a cached entry is served), on PostgreSQL within the 1 s of
 *   README "Several instances" (NOTIFY arrives asynchronously).
 * - Failed client authentications spend one budget (KEYWAY_RATE_LIMIT_CLIENT_AUTH, README
 *   "Several processes"): failures at either worker add up, and both then refuse the client.
 * - SIGTERM to the primary drains both workers and every process exits.
 */
import { after, before, describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';
import { assertion as signAssertion, bootstrapAdmin, clientKey, type ClientKey } from './e2e.js';
import { startProcess, type RunningServer } from './process.js';

interface Reply {
  status: number;
  // `any` on purpose: assertions read arbitrary JSON.
  body: any;
}

async function send(client: Client, method: string, path: string, init: { token?: string; json?: unknown; form?: Record<string, string>; basic?: string; contentType?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.basic) headers.authorization = `Basic ${Buffer.from(init.basic).toString('base64')}`;
  if (init.json !== undefined) {
    headers['content-type'] = init.contentType ?? 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await client.request({ method: method as 'GET', path, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.body.text();
  return { status: res.statusCode, body: text === '' ? undefined : text.startsWith('{') ? JSON.parse(text) : text };
}

async function pidOf(client: Client): Promise<number> {
  const reply = await send(client, 'GET', '/metrics');
  const line = (reply.body as string).split('\n').find((l) => l.startsWith('keyway_process_id '));
  assert.ok(line, 'the scrape names its process');
  return Number(line.slice('keyway_process_id '.length));
}

export interface WorkersSuiteOptions {
  /** The store, in test names. */
  name: string;
  /** Variables selecting the store (none for SQLite in the data directory). */
  env(): Promise<Record<string, string>>;
  cleanUp?(): Promise<void>;
  /**
   * When a configuration change made through one worker holds on the other: before the next
   * request (SQLite's change log), or within 1 s (PostgreSQL's NOTIFY).
   */
  changes: 'at once' | 'within 1 s';
}

export function workersSuite(options: WorkersSuiteOptions): void {
  const PUBLIC_URL = 'http://keyway.workers.test';
  /** Failed client authentications per minute: above the replay test's six refusals of one client. */
  const CLIENT_AUTH_LIMIT = 8;
  const REDIRECT_URI = 'https://app.workers.test/cb';
  let dataDir = '';
  let server: RunningServer;
  let adminToken = '';
  let envId = '';
  let resourceId = '';
  let scopeId = '';
  /** One connection to each worker, with that worker's process id. */
  const workers: Array<{ pid: number; client: Client }> = [];
  const spare: Client[] = [];

  /** `holds()` on B: at the first try (at once), or by polling for at most 1 s. */
  async function enforcedOnB(change: string, holds: () => Promise<boolean>): Promise<void> {
    if (options.changes === 'at once') {
      assert.ok(await holds(), `${change}: B enforces it at the very next request`);
      return;
    }
    const start = performance.now();
    while (!(await holds())) {
      if (performance.now() - start > 1_000) assert.fail(`${change}: B did not enforce it within 1 s`);
    }
  }

  const A = (): Client => (workers[0] as { client: Client }).client;
  const B = (): Client => (workers[1] as { client: Client }).client;

  async function api(method: string, path: string, json?: unknown, contentType?: string): Promise<any> {
    const reply = await send(A(), method, path, { token: adminToken, ...(json === undefined ? {} : { json }), ...(contentType ? { contentType } : {}) });
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  const assertion = (appId: string, key: ClientKey): Promise<string> => signAssertion(PUBLIC_URL, envId, appId, key);
  const jwtToken = (client: Client, signed: string): Promise<Reply> =>
    send(client, 'POST', `/${envId}/as/token`, {
      form: { grant_type: 'client_credentials', scope: 'orders:read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: signed },
    });

  /** A SERVICE application using PRIVATE_KEY_JWT with a grant of `orders:read`. */
  async function service(key: ClientKey): Promise<string> {
    const app = await api('POST', `/v1/environments/${envId}/applications`, {
      name: `svc-${Math.random().toString(16).slice(2, 10)}`,
      enabled: true,
      type: 'SERVICE',
      protocol: 'OPENID_CONNECT',
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      jwks: key.jwks,
    });
    await api('POST', `/v1/environments/${envId}/applications/${app.id}/grants`, { resource: { id: resourceId }, scopes: [{ id: scopeId }] });
    return app.id as string;
  }

  /**
   * A WEB_APP allowed refresh tokens, and a code for `workers-user` (created by the test that
   * needs it first), signed in through the flow API on `client`'s worker.
   */
  async function signedInCode(name: string, client: Client): Promise<{ basic: string; code: string }> {
    const app = await api('POST', `/v1/environments/${envId}/applications`, {
      name,
      enabled: true,
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
      responseTypes: ['CODE'],
      redirectUris: [REDIRECT_URI],
    });
    const { secret } = await api('GET', `/v1/environments/${envId}/applications/${app.id}/secret`);
    const query = new URLSearchParams({ client_id: app.id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid offline_access', response_mode: 'pi.flow', state: 's' });
    const flow = await send(client, 'GET', `/${envId}/as/authorize?${query.toString()}`);
    const checked = await send(client, 'POST', `/${envId}/flows/${flow.body.id}`, {
      json: { username: 'workers-user', password: 'Workers-Pass-42' },
      contentType: 'application/vnd.pingidentity.usernamePassword.check+json',
    });
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    const code = (await send(client, 'GET', `/${envId}/as/resume?flowId=${flow.body.id}`)).body.authorizeResponse.code as string;
    return { basic: `${app.id}:${secret}`, code };
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyway-workers-'));
    server = await startProcess({ KEYWAY_WORKERS: '2', KEYWAY_RATE_LIMIT_CLIENT_AUTH: String(CLIENT_AUTH_LIMIT), KEYWAY_DATA_DIR: dataDir, KEYWAY_PUBLIC_URL: PUBLIC_URL, ...(await options.env()) }, 30_000);
    adminToken = (await bootstrapAdmin(server, dataDir)).token;
    // The primary hands new connections in turn to the workers that listen (the probe above needed
    // one): new connections until both have answered, within a bound.
    const deadline = Date.now() + 20_000;
    while (workers.length < 2 && Date.now() < deadline) {
      const client = new Client(server.baseUrl, { pipelining: 1, keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000 });
      const pid = await pidOf(client);
      if (workers.some((w) => w.pid === pid)) {
        spare.push(client);
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else {
        workers.push({ pid, client });
      }
    }
    assert.equal(workers.length, 2, 'two worker processes answer on the one port');
    envId = (await bootstrapAdmin(server, dataDir)).summary.environmentId as string;
    resourceId = (await api('POST', `/v1/environments/${envId}/resources`, { name: 'orders', audience: 'https://orders.example' })).id;
    scopeId = (await api('POST', `/v1/environments/${envId}/resources/${resourceId}/scopes`, { name: 'orders:read' })).id;
  });

  after(async () => {
    await Promise.all([...workers.map((w) => w.client), ...spare].filter((c) => !c.closed).map((c) => c.close()));
    if (server) await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await options.cleanUp?.();
  });

  describe(`KEYWAY_WORKERS=2 on ${options.name}`, () => {
    test('two processes answer on one port; each connection stays with its worker', async () => {
      const [a, b] = workers;
      assert.notEqual(a?.pid, b?.pid);
      assert.notEqual(a?.pid, undefined);
      assert.equal(await pidOf(A()), a?.pid);
      assert.equal(await pidOf(B()), b?.pid);
    });

    test('RFC 7523 §3 item 7: an assertion accepted by one worker is refused by the other; sent to both at once, it succeeds once', async () => {
      const key = await clientKey();
      const appId = await service(key);
      const signed = await assertion(appId, key);
      assert.equal((await jwtToken(A(), signed)).status, 200);
      const replay = await jwtToken(B(), signed);
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error, 'invalid_client');
      assert.equal((await jwtToken(B(), await assertion(appId, key))).status, 200, 'B accepts a fresh assertion of the same client');
      for (let round = 0; round < 5; round++) {
        const once = await assertion(appId, key);
        const replies = await Promise.all([jwtToken(A(), once), jwtToken(B(), once)]);
        assert.deepEqual(replies.map((r) => r.status).sort(), [200, 401], `round ${round}`);
      }
    });

    test('RFC 6749 §4.1.2 and §10.4: a code redeemed on one worker is refused on the other; so is a rotated refresh token', async () => {
      await api('POST', `/v1/environments/${envId}/users`, { username: 'workers-user', email: 'workers@example.com', password: { value: 'Workers-Pass-42', forceChange: false } });
      // The sign-in itself runs on A; the code is redeemed on A, then replayed on B.
      const { basic, code } = await signedInCode('workers-web', A());
      const redeem = (client: Client): Promise<Reply> =>
        send(client, 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI } });
      const first = await redeem(A());
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const second = await redeem(B());
      assert.equal(second.status, 400);
      assert.equal(second.body.error, 'invalid_grant');

      // The second redemption revoked what the first issued (RFC 6749 §10.5): take a fresh pair.
      const refresh = (client: Client, token: string): Promise<Reply> => send(client, 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'refresh_token', refresh_token: token } });
      assert.equal((await refresh(B(), first.body.refresh_token)).status, 400, 'the replay revoked the first refresh token');
    });

    test('a refresh token rotated on one worker is refused on the other', async () => {
      const { basic, code } = await signedInCode('workers-web-2', B());
      const issued = await send(B(), 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI } });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      const refresh = (client: Client, token: string): Promise<Reply> => send(client, 'POST', `/${envId}/as/token`, { basic, form: { grant_type: 'refresh_token', refresh_token: token } });
      const rotated = await refresh(B(), issued.body.refresh_token);
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      const replayed = await refresh(A(), issued.body.refresh_token);
      assert.equal(replayed.status, 400);
      assert.equal(replayed.body.error, 'invalid_grant');
    });

    test(`an application deleted through one worker is refused by the other ${options.changes === 'at once' ? 'at once' : 'within 1 s'}, whose caches held it`, async () => {
      const key = await clientKey();
      const appId = await service(key);
      // B serves the client from its caches.
      for (let i = 0; i < 3; i++) assert.equal((await jwtToken(B(), await assertion(appId, key))).status, 200);
      const deleted = await send(A(), 'DELETE', `/v1/environments/${envId}/applications/${appId}`, { token: adminToken });
      assert.equal(deleted.status, 204);
      await enforcedOnB('delete', async () => {
        const refused = await jwtToken(B(), await assertion(appId, key));
        if (refused.status === 200) return false;
        assert.equal(refused.status, 401);
        assert.equal(refused.body.error, 'invalid_client');
        return true;
      });
    });

    test(`a jwks replaced through one worker holds on the other ${options.changes === 'at once' ? 'at once' : 'within 1 s'}`, async () => {
      const [oldKey, newKey] = [await clientKey(), await clientKey()];
      const appId = await service(oldKey);
      for (let i = 0; i < 3; i++) assert.equal((await jwtToken(B(), await assertion(appId, oldKey))).status, 200);
      const current = await api('GET', `/v1/environments/${envId}/applications/${appId}`);
      const { name, enabled, type, protocol, tokenEndpointAuthMethod } = current;
      await api('PUT', `/v1/environments/${envId}/applications/${appId}`, { name, enabled, type, protocol, tokenEndpointAuthMethod, jwks: newKey.jwks });
      await enforcedOnB('replace jwks', async () => (await jwtToken(B(), await assertion(appId, oldKey))).status === 401);
      assert.equal((await jwtToken(B(), await assertion(appId, newKey))).status, 200);
    });

    test('failed client authentications at both workers spend one budget; then both refuse the client (429, RFC 6585 §4)', async () => {
      const [key, wrongKey] = [await clientKey(), await clientKey()];
      const appId = await service(key);
      // Half of the budget at each worker: counted per process, neither would refuse yet.
      for (let i = 0; i < CLIENT_AUTH_LIMIT; i++) {
        const failed = await jwtToken(i % 2 === 0 ? A() : B(), await assertion(appId, wrongKey));
        assert.equal(failed.status, 401, `failure ${i}`);
      }
      // A failure reaches the other worker asynchronously (through the primary on SQLite, through
      // the database on PostgreSQL): within 1 s.
      for (const [name, worker] of [['A', A], ['B', B]] as const) {
        const start = performance.now();
        let refused = await jwtToken(worker(), await assertion(appId, key));
        while (refused.status !== 429 && performance.now() - start < 1_000) refused = await jwtToken(worker(), await assertion(appId, key));
        assert.equal(refused.status, 429, `${name} refuses the client's correct assertion once the shared budget is spent: ${JSON.stringify(refused.body)}`);
      }
    });

    test('each connection is still with its worker after the tests above', async () => {
      assert.equal(await pidOf(A()), workers[0]?.pid);
      assert.equal(await pidOf(B()), workers[1]?.pid);
    });

    test('a worker that dies is replaced: a new worker answers on the port beside the other', async () => {
      const dead = workers[1] as { pid: number; client: Client };
      await dead.client.close();
      process.kill(dead.pid, 'SIGKILL');
      const deadline = Date.now() + 20_000;
      let replacement: { pid: number; client: Client } | undefined;
      while (!replacement && Date.now() < deadline) {
        const client = new Client(server.baseUrl, { pipelining: 1 });
        const pid = await pidOf(client).catch(() => undefined);
        if (pid !== undefined && pid !== dead.pid && pid !== workers[0]?.pid) replacement = { pid, client };
        else {
          await client.close();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      assert.ok(replacement, 'a new worker answers within 20 s');
      // README "Logging": the primary's keyway.worker.exited line (a warning, so printed at warn).
      const exited = server.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.msg === 'keyway.worker.exited');
      assert.deepEqual({ workerPid: exited?.workerPid, signal: exited?.signal, restarting: exited?.restarting }, { workerPid: dead.pid, signal: 'SIGKILL', restarting: true });
      workers[1] = replacement;
      const key = await clientKey();
      const appId = await service(key);
      assert.equal((await jwtToken(B(), await assertion(appId, key))).status, 200, 'the new worker serves tokens');
    });

    test('SIGTERM to the primary drains both workers; every process exits with 0', async () => {
      const pids = workers.map((w) => w.pid);
      await Promise.all(workers.map((w) => w.client.close()));
      assert.equal(await server.stop('SIGTERM'), 0);
      for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} is gone`);
    });
  });
}
