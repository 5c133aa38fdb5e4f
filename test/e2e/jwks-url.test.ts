/**
 * End-to-end: `jwksUrl` client keys and jti persistence with the built server as a real process.
 * A local HTTPS server (fixture certificate, trusted through NODE_EXTRA_CA_CERTS) publishes the
 * client's JWK Set; KEYWAY_FETCH_ALLOW=127.0.0.1/32 lets the guarded fetcher reach it. Covers
 * authentication, rotation with one refetch on an unknown kid (after the cool-down, shortened to
 * a few seconds with KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS), no refetch within the cool-down, the
 * last good set when the server is down, the admin cache endpoints, the refusal without the
 * allow-list (at registration, and at fetch time for a URL registered while it was allowed), a
 * hostile document whose text must reach neither the admin API nor the log, and a replay refused
 * after a restart.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { organizationLicense } from '../support/e2e.js';
import { assertionForm, clientKey, signWith, type ClientKey } from '../support/harness.js';
import { startProcess, type RunningServer } from '../support/process.js';
import { startTlsServer, type TestServer } from '../unit/adapters/tls-server.js';

const PUBLIC_URL = 'http://keyway.test';
const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '7b2e3d4c-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'jwks-url-e2e-secret-0123456789abcdefgh',
};
const FIXTURE_CERT = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
/** The kid-miss refetch cool-down of the main process: long enough for a few requests, short enough to wait for. */
const COOLDOWN_SECONDS = 4;
const COOLDOWN_MS = COOLDOWN_SECONDS * 1000;

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-jwks-url-'));
  dirs.push(dir);
  return dir;
}

interface Answer {
  status: number;
  body: any;
}

/** A Keyway process with an admin token and small helpers. */
class Keyway {
  private adminToken = '';
  private constructor(readonly server: RunningServer) {}

  static async start(dir: string, env: Record<string, string> = {}): Promise<Keyway> {
    const server = await startProcess({ KEYWAY_DATA_DIR: dir, KEYWAY_PUBLIC_URL: PUBLIC_URL, NODE_EXTRA_CA_CERTS: FIXTURE_CERT, ...PINS, ...env });
    const keyway = new Keyway(server);
    const basic = Buffer.from(`${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`).toString('base64');
    const issued = await keyway.form(PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID, 'token', { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    keyway.adminToken = issued.body.access_token as string;
    return keyway;
  }

  async api(method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${this.server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.api(method, path, body);
    if (answer.status >= 300) assert.fail(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async form(envId: string, endpoint: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.server.baseUrl}/${envId}/as/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** An environment with a CUSTOM resource and scope, and a PRIVATE_KEY_JWT SERVICE app granted it. */
  async privateKeyJwtApp(keys: { jwks: string } | { jwksUrl: string }, environmentName = 'jwksUrl'): Promise<{ envId: string; appId: string; issuer: string }> {
    const envId = (await this.ok('POST', '/v1/environments', { name: environmentName, region: 'NA', type: 'SANDBOX', license: await organizationLicense((path) => this.ok('GET', path)) })).id as string;
    const resource = (await this.ok('POST', `/v1/environments/${envId}/resources`, { name: 'orders', audience: 'https://orders.example' })).id as string;
    const scope = (await this.ok('POST', `/v1/environments/${envId}/resources/${resource}/scopes`, { name: 'orders:read' })).id as string;
    const app = await this.ok('POST', `/v1/environments/${envId}/applications`, {
      name: 'remote-keys',
      enabled: true,
      type: 'SERVICE',
      protocol: 'OPENID_CONNECT',
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      ...keys,
    });
    await this.ok('POST', `/v1/environments/${envId}/applications/${app.id}/grants`, { resource: { id: resource }, scopes: [{ id: scope }] });
    return { envId, appId: app.id as string, issuer: `${PUBLIC_URL}/${envId}/as` };
  }

  async events(envId: string, appId: string, until: (events: any[]) => boolean): Promise<any[]> {
    const deadline = Date.now() + 3_000;
    for (;;) {
      const events = (await this.ok('GET', `/v1/environments/${envId}/applications/${appId}/clientAuthEvents`))._embedded.clientAuthEvents as any[];
      if (until(events) || Date.now() > deadline) return events;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): Promise<number | null> {
    return this.server.stop();
  }
}

/** Planted in every member of the hostile document; it must never come back out of Keyway. */
const MARK = 'PLANTED9x4';
const PLANT = `${MARK}<script>alert(1)</script>\u001b[2J\r\nLOG: ${MARK}`;

function hostileDocument(key: ClientKey): string {
  const keys = [
    { ...key.jwk, kid: PLANT, alg: PLANT },
    { kty: PLANT, kid: `${PLANT}-2` },
    { ...key.jwk, kid: `${PLANT}-3`, use: PLANT, key_ops: [PLANT, PLANT] },
  ];
  const text = JSON.stringify({ keys });
  return `${text.slice(0, -1)},${JSON.stringify(PLANT)}:1,${JSON.stringify(PLANT)}:2}`;
}

let jwksServer: TestServer;
let published: ClientKey[] = [];
let k1: ClientKey;
let k2: ClientKey;
/** The process with KEYWAY_FETCH_ALLOW, and its jwksUrl application. */
let keyway: Keyway;
let app: { envId: string; appId: string; issuer: string };
/** When the first fetch had certainly started (its response was back): the cool-down runs from before then. */
let firstFetchDone = 0;

const cacheUrl = () => `/v1/environments/${app.envId}/applications/${app.appId}/jwksCache`;
const authenticate = async (key: ClientKey) => keyway.form(app.envId, 'token', assertionForm(await signWith(key, app.appId, { aud: app.issuer })));

before(async () => {
  [k1, k2] = await Promise.all([clientKey('ES256', 'k1'), clientKey('RS256', 'k2')]);
  published = [k1];
  jwksServer = await startTlsServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'max-age=600' });
    res.end(req.url === '/hostile' ? hostileDocument(k1) : JSON.stringify({ keys: published.map((k) => k.jwk) }));
  });
  // The default log level (info), so that the hostile-document test also reads the OAuth error log.
  keyway = await Keyway.start(dataDir(), {
    KEYWAY_FETCH_ALLOW: '127.0.0.1/32',
    KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
    KEYWAY_LOG_LEVEL: 'info',
  });
  app = await keyway.privateKeyJwtApp({ jwksUrl: jwksServer.url('/jwks') });
});
after(async () => {
  await keyway?.stop();
  await jwksServer?.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

// Order matters: the first fetch starts the application's kid-miss cool-down; the other suites
// run while it passes, and the rotation suite comes last.

describe('jwksUrl with KEYWAY_FETCH_ALLOW (real process)', () => {
  test('an application with jwksUrl authenticates; the set is fetched once and cached', async () => {
    const fetchesBefore = jwksServer.requests.length;
    const res = await authenticate(k1);
    firstFetchDone = Date.now();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.scope, 'orders:read');
    assert.equal((await authenticate(k1)).status, 200);
    assert.equal(jwksServer.requests.length - fetchesBefore, 1);
    assert.equal(jwksServer.requests.at(-1)?.path, '/jwks');
    // The app's metrics see the fetcher's outcomes (src/app.ts wires the observer).
    const scrape = await (await fetch(`${keyway.server.baseUrl}/metrics`)).text();
    const value = (line: RegExp): number => Number(scrape.split('\n').find((l) => line.test(l))?.split(' ').pop() ?? NaN);
    assert.ok(value(/^keyway_jwks_url_fetches_total\{[^}]*\} /) >= 1, scrape.split('\n').filter((l) => l.includes('jwks')).join('\n'));
    assert.ok(value(/^keyway_jwks_url_cache_hits_total /) >= 1, 'the second request was answered from the cached set');
  });

  test('GET .../jwksCache shows the cached keys, fetch time and a TTL from Cache-Control', async () => {
    const cache = await keyway.ok('GET', cacheUrl());
    assert.equal(cache.jwksUrl, jwksServer.url('/jwks'));
    assert.deepEqual(cache.keys.map((k: { kid: string }) => k.kid), ['k1']);
    assert.equal(cache.keys[0].d, undefined);
    assert.equal(cache.lastError, undefined);
    assert.equal(Date.parse(cache.expiresAt) - Date.parse(cache.fetchedAt), 600_000);
  });
});

describe('a hostile jwksUrl document (real process, default log level)', () => {
  test('its text reaches neither jwksCache, clientAuthEvents nor the log (fingerprints only)', async () => {
    const hostile = await keyway.privateKeyJwtApp({ jwksUrl: jwksServer.url('/hostile') }, 'hostile jwksUrl');
    const cachePath = `/v1/environments/${hostile.envId}/applications/${hostile.appId}/jwksCache`;
    const refreshed = await keyway.ok('POST', `${cachePath}/refresh`);
    assert.ok(!JSON.stringify(refreshed).includes(MARK), `lastError repeats the document's text: ${String(refreshed.lastError)}`);
    assert.match(String(refreshed.lastError), /^DOCUMENT: the document is not an acceptable JWK Set: /);
    assert.match(String(refreshed.lastError), /kid a \d+-character string \(sha256 [0-9a-f]{8}…\)/);
    assert.deepEqual(refreshed.keys, []);
    const res = await keyway.form(hostile.envId, 'token', assertionForm(await signWith(k1, hostile.appId, { aud: hostile.issuer })));
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const events = await keyway.events(hostile.envId, hostile.appId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'JWKS_FETCH_FAILED', JSON.stringify(events));
    assert.match(String(events[0]?.detail), /not an acceptable JWK Set/);
    const cache = await keyway.ok('GET', cachePath);
    // The failure was logged at the default level, so the log check below reads the line that matters.
    await waitFor(() => keyway.server.stdout().includes('not an acceptable JWK Set'));
    const outputs: Array<[string, string]> = [
      ['the refresh answer', JSON.stringify(refreshed)],
      ['jwksCache', JSON.stringify(cache)],
      ['clientAuthEvents', JSON.stringify(events)],
      ['the log', keyway.server.stdout()],
    ];
    for (const [where, text] of outputs) assert.ok(!text.includes(MARK), `${where} repeats the document's text`);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition not met within 3 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('jwksUrl without KEYWAY_FETCH_ALLOW (real processes)', () => {
  test('a loopback jwksUrl is refused at registration: 400 INVALID_DATA on jwksUrl', async () => {
    const blocked = await Keyway.start(dataDir());
    try {
      const envId = (await blocked.ok('POST', '/v1/environments', { name: 'blocked', region: 'NA', type: 'SANDBOX', license: await organizationLicense((path) => blocked.ok('GET', path)) })).id as string;
      const body = { name: 'loopback-keys', enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwksUrl: jwksServer.url('/jwks') };
      const refused = await blocked.api('POST', `/v1/environments/${envId}/applications`, body);
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 'INVALID_DATA');
      assert.deepEqual(refused.body.details.map((d: { code: string; target: string }) => [d.code, d.target]), [['INVALID_VALUE', 'jwksUrl']]);
      assert.match(refused.body.details[0].message, /loopback/);
    } finally {
      await blocked.stop();
    }
  });

  test('registered while allowed, then fetched after a restart without the allow-list: refused at connect time, no connection made', async () => {
    const dir = dataDir();
    const allowed = await Keyway.start(dir, { KEYWAY_FETCH_ALLOW: '127.0.0.1/32' });
    const other = await allowed.privateKeyJwtApp({ jwksUrl: jwksServer.url('/jwks') }).finally(() => allowed.stop());
    const blocked = await Keyway.start(dir);
    try {
      const connections = jwksServer.connections();
      const res = await blocked.form(other.envId, 'token', assertionForm(await signWith(k1, other.appId, { aud: other.issuer })));
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { error: 'invalid_client', error_description: 'Client authentication failed' });
      const events = await blocked.events(other.envId, other.appId, (e) => e.length > 0);
      assert.equal(events[0]?.reason, 'JWKS_FETCH_FAILED', JSON.stringify(events));
      assert.match(String(events[0]?.detail), /BLOCKED_ADDRESS/);
      assert.equal(jwksServer.connections(), connections, 'the refused address was never connected to');
      const cache = await blocked.ok('GET', `/v1/environments/${other.envId}/applications/${other.appId}/jwksCache`);
      assert.match(String(cache.lastError), /BLOCKED_ADDRESS/);
      assert.deepEqual(cache.keys, []);
    } finally {
      await blocked.stop();
    }
  });
});

describe('jti single use survives a restart (real process)', () => {
  test('an assertion used before a restart is refused after it, on the same data directory', async () => {
    const dir = dataDir();
    const key = await clientKey('EdDSA', 'restart-key');
    const first = await Keyway.start(dir);
    const used = await first.privateKeyJwtApp({ jwks: JSON.stringify({ keys: [key.jwk] }) }).then(async (created) => {
      const assertion = await signWith(key, created.appId, { aud: created.issuer, exp: Math.floor(Date.now() / 1000) + 300 });
      const res = await first.form(created.envId, 'token', assertionForm(assertion));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { ...created, assertion };
    }).finally(() => first.stop());

    const second = await Keyway.start(dir);
    try {
      const replay = await second.form(used.envId, 'token', assertionForm(used.assertion));
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error, 'invalid_client');
      const events = await second.events(used.envId, used.appId, (e) => e.length > 0);
      assert.equal(events[0]?.reason, 'REPLAYED', JSON.stringify(events));
      const fresh = await second.form(used.envId, 'token', assertionForm(await signWith(key, used.appId, { aud: used.issuer })));
      assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    } finally {
      await second.stop();
    }
  });
});

describe('jwksUrl rotation, refresh and outage (real process, after the cool-down)', () => {
  test('key rotation: an assertion with the new kid makes Keyway refetch once and succeed', async () => {
    // The first fetch started the per-application cool-down; a kid miss refetches only after it.
    const wait = firstFetchDone + COOLDOWN_MS + 100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    published = [k2];
    const fetchesBefore = jwksServer.requests.length;
    const refetchAt = Date.now();
    const [a, b] = await Promise.all([authenticate(k2), authenticate(k2)]);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(jwksServer.requests.length - fetchesBefore, 1, 'one fetch for concurrent kid misses');

    // The retired key is gone, and a kid miss within the cool-down costs no fetch.
    const retired = await authenticate(k1);
    assert.ok(Date.now() - refetchAt < COOLDOWN_MS, `the kid miss came ${Date.now() - refetchAt} ms after the refetch, not within the ${COOLDOWN_MS} ms cool-down`);
    assert.equal(retired.status, 401);
    assert.equal(jwksServer.requests.length - fetchesBefore, 1);
    const events = await keyway.events(app.envId, app.appId, (e) => e.some((x) => x.reason === 'KID_UNKNOWN'));
    assert.equal(events[0]?.reason, 'KID_UNKNOWN');
    assert.equal(events[0]?.kid, 'k1');
  });

  test('POST .../jwksCache/refresh refetches now', async () => {
    const before = await keyway.ok('GET', cacheUrl());
    const fetchesBefore = jwksServer.requests.length;
    const refreshed = await keyway.ok('POST', `${cacheUrl()}/refresh`);
    assert.equal(jwksServer.requests.length - fetchesBefore, 1);
    assert.deepEqual(refreshed.keys.map((k: { kid: string }) => k.kid), ['k2']);
    assert.ok(Date.parse(refreshed.fetchedAt) > Date.parse(before.fetchedAt));
    assert.equal(refreshed.lastError, undefined);
  });

  test('the JWKS server down: a refresh fails, the last good set is kept and keeps working', async () => {
    await jwksServer.close();
    const refreshed = await keyway.ok('POST', `${cacheUrl()}/refresh`);
    assert.equal(typeof refreshed.lastError, 'string');
    assert.match(refreshed.lastError as string, /CONNECT|NETWORK/);
    assert.deepEqual(refreshed.keys.map((k: { kid: string }) => k.kid), ['k2']);
    const res = await authenticate(k2);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
});
