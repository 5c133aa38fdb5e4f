/**
 * End-to-end: graceful shutdown of the built server as a real process. On SIGTERM or SIGINT it
 * stops accepting connections, closes idle keep-alive connections at once, lets requests in flight
 * finish with their normal response within KEYWAY_SHUTDOWN_TIMEOUT_SECONDS, then closes the store
 * and exits: 0 when every request finished, 1 when some had to be cut at the bound (README,
 * "Shutdown").
 *
 * A request is kept in flight by a slow `jwksUrl`: `POST …/jwksCache/refresh` fetches the
 * application's key set from a local HTTPS server (fixture certificate, trusted through
 * NODE_EXTRA_CA_CERTS; KEYWAY_FETCH_ALLOW lets the fetcher reach 127.0.0.1) that answers after a
 * delay, below the fetcher's own 3 s bound.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { adminQuery, bootstrapAdmin, postgresAnswers, schemaUrl, scratchSchemaName } from '../support/e2e.js';
import { clientKey, jwksString } from '../support/harness.js';
import { startProcess, type RunningServer } from '../support/process.js';
import { startTlsServer, type TestServer } from '../unit/adapters/tls-server.js';

const FIXTURE_CERT = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));

let jwksServer: TestServer;
/** How long the key-set server waits before it answers. */
let delayMs = 0;
let jwks = '';
const dirs: string[] = [];
/** Every process started, so that a failed test leaves none running. */
const servers: RunningServer[] = [];

before(async () => {
  jwks = jwksString(await clientKey('ES256', 'shutdown-key'));
  jwksServer = await startTlsServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks), delayMs);
  });
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await jwksServer.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A running Keyway with an admin token and a PRIVATE_KEY_JWT application on the slow jwksUrl. */
interface Fixture {
  server: RunningServer;
  dir: string;
  refreshPath: string;
  token: string;
}

async function start(env: Record<string, string> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-e2e-shutdown-'));
  dirs.push(dir);
  const server = await startProcess({ KEYWAY_DATA_DIR: dir, KEYWAY_FETCH_ALLOW: '127.0.0.1/32', NODE_EXTRA_CA_CERTS: FIXTURE_CERT, ...env });
  servers.push(server);
  const { summary, token } = await bootstrapAdmin(server, dir);
  const created = await fetch(`${server.baseUrl}/v1/environments/${summary.environmentId}/applications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'slow-keys',
      enabled: true,
      type: 'SERVICE',
      protocol: 'OPENID_CONNECT',
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      jwksUrl: jwksServer.url('/jwks.json'),
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const appId = ((await created.json()) as { id: string }).id;
  return { server, dir, token, refreshPath: `/v1/environments/${summary.environmentId}/applications/${appId}/jwksCache/refresh` };
}

/** A keep-alive connection that has had one answered request and now sits idle; resolves when the server closes it. */
async function idleKeepAlive(port: number): Promise<{ closed: Promise<number> }> {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes('"status":"ok"')) resolve();
    });
    socket.once('close', () => reject(new Error(`closed before the answer: ${received}`)));
  });
  assert.match(received, /^HTTP\/1\.1 200 /);
  assert.doesNotMatch(received, /connection: close/i);
  return { closed };
}

type Answer = { status: number; body: any; at: number } | { error: string; at: number };

/** Starts the slow refresh and resolves, with its answer to come, once its key-set fetch has reached the key-set server. */
async function inFlightRefresh(f: Fixture): Promise<{ answer: Promise<Answer> }> {
  const seen = jwksServer.requests.length;
  const answer = fetch(`${f.server.baseUrl}${f.refreshPath}`, { method: 'POST', headers: { authorization: `Bearer ${f.token}` } }).then(
    async (res) => ({ status: res.status, body: (await res.json()) as any, at: performance.now() }),
    (err: Error) => ({ error: String((err.cause as Error | undefined)?.message ?? err.message), at: performance.now() }),
  );
  const deadline = Date.now() + 5_000;
  while (jwksServer.requests.length === seen) {
    if (Date.now() > deadline) assert.fail('the refresh never reached the key-set server');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { answer };
}

async function refused(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/healthz`);
    return false;
  } catch {
    return true;
  }
}

/**
 * SIGTERM (or SIGINT) with one idle keep-alive connection and one request in flight: the idle
 * connection is closed at once, no new connection is accepted, the request gets its normal
 * answer, and the process exits 0 soon after it.
 */
async function drainsInFlight(f: Fixture, signal: NodeJS.Signals): Promise<void> {
  delayMs = 1_500;
  const idle = await idleKeepAlive(f.server.port);
  const { answer } = await inFlightRefresh(f);
  const signalled = performance.now();
  const exited = f.server.stop(signal).then((code) => ({ code, at: performance.now() }));

  const idleClosed = await idle.closed;
  assert.ok(idleClosed - signalled < 1_000, `the idle keep-alive connection was closed ${Math.round(idleClosed - signalled)} ms after ${signal}`);
  assert.ok(await refused(f.server.baseUrl), 'no new connection is accepted while draining');

  const done = await answer;
  assert.ok('status' in done, `the request in flight was cut: ${'error' in done ? done.error : ''}`);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.ok(Array.isArray(done.body.keys) || typeof done.body === 'object', 'its normal answer');

  const exit = await exited;
  assert.equal(exit.code, 0);
  assert.ok(exit.at - done.at < 2_000, `the process exited ${Math.round(exit.at - done.at)} ms after the last answer`);
  assert.ok(exit.at - signalled < 5_000, `exit ${Math.round(exit.at - signalled)} ms after ${signal}, not the 72 s keep-alive timeout`);
}


/**
 * A request whose head is half sent: its connection is busy, not idle, so closing the server
 * leaves it open. `finish` sends the rest and resolves with everything the server wrote before it
 * closed the connection.
 */
async function halfSentRequest(port: number, method: string, path: string, rest: string): Promise<{ finish(): Promise<string> }> {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
  return {
    finish: () => {
      socket.write(rest);
      return closed;
    },
  };
}

/** Status, headers (lower-cased names) and JSON body of one raw HTTP/1.1 response. */
function parseResponse(raw: string): { status: number; headers: Map<string, string>; body: any } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const));
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

describe('graceful shutdown (SQLite)', () => {
  test('SIGTERM: idle keep-alive closed at once, the request in flight answered, exit 0 right after it', async () => {
    const f = await start();
    await drainsInFlight(f, 'SIGTERM');
    assert.ok(!existsSync(join(f.dir, 'keyway.db-wal')), 'the store was closed: its write-ahead log was checkpointed and removed');
  });

  test('SIGINT is handled the same way', async () => {
    await drainsInFlight(await start(), 'SIGINT');
  });

  test('a request that arrives while draining gets the 503 of its API with Retry-After: RFC 6749 on /as, the PingOne body on /v1', async () => {
    const f = await start();
    const envId = f.refreshPath.split('/')[3]!;
    const form = 'grant_type=client_credentials';
    const token = await halfSentRequest(f.server.port, 'POST', `/${envId}/as/token`, `content-type: application/x-www-form-urlencoded\r\ncontent-length: ${form.length}\r\n\r\n${form}`);
    const list = await halfSentRequest(f.server.port, 'GET', '/v1/environments', `authorization: Bearer ${f.token}\r\n\r\n`);
    // Until the server has read a head's first bytes, its connection counts as idle and is closed.
    await new Promise((r) => setTimeout(r, 200));
    const exited = f.server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));

    const oauth = parseResponse(await token.finish());
    assert.equal(oauth.status, 503);
    assert.equal(oauth.headers.get('retry-after'), '5');
    assert.equal(oauth.headers.get('connection'), 'close');
    assert.equal(oauth.body.error, 'temporarily_unavailable');

    const management = parseResponse(await list.finish());
    assert.equal(management.status, 503);
    assert.equal(management.headers.get('retry-after'), '5');
    assert.equal(management.body.code, 'SERVICE_UNAVAILABLE');
    assert.equal(typeof management.body.id, 'string');
    assert.equal(await exited, 0);
  });

  test('a request that outlasts KEYWAY_SHUTDOWN_TIMEOUT_SECONDS is cut and the process exits 1 at the bound', async () => {
    const f = await start({ KEYWAY_SHUTDOWN_TIMEOUT_SECONDS: '1' });
    delayMs = 2_800;
    const { answer } = await inFlightRefresh(f);
    const signalled = performance.now();
    const exit = await f.server.stop('SIGTERM').then((code) => ({ code, at: performance.now() }));
    const elapsed = exit.at - signalled;
    assert.ok(elapsed >= 900 && elapsed < 2_000, `exited ${Math.round(elapsed)} ms after SIGTERM with a 1 s bound`);
    assert.equal(exit.code, 1, 'a request had to be cut');
    const done = await answer;
    assert.ok('error' in done, 'the request in flight was cut, not answered');
  });
});

const schema = scratchSchemaName('keyway_shutdown');
if (await postgresAnswers('graceful shutdown (PostgreSQL)')) {
  describe('graceful shutdown (PostgreSQL: pool and LISTEN connection closed after the server)', () => {
    before(async () => {
      await adminQuery(`CREATE SCHEMA ${schema}`);
    });
    after(() => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {}));

    test('SIGTERM: the request in flight answered, exit 0 right after it', async () => {
      await drainsInFlight(await start({ KEYWAY_DATABASE_URL: schemaUrl(schema) }), 'SIGTERM');
    });
  });
}
