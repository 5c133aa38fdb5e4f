import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { ClientKeys, type ClientCertificate } from '../../../src/adapters/client-auth/client-keys.js';
import { FetchFailed, type FetchResponse } from '../../../src/adapters/jwks-url/guarded-fetch.js';
import { DEFAULT_JWKS_COOLDOWN_MS, RemoteJwks } from '../../../src/adapters/jwks-url/remote-jwks.js';
import type { ClientPublicKey } from '../../../src/jose/client-public-key.js';
import { validateJwksString } from '../../../src/management/client-keys/jwks.js';
import type { Client, VerificationKey } from '../../../src/protocol/client-auth/ports.js';
import { InvalidClient } from '../../../src/protocol/errors.js';
import { LOCAL_GUARD, startTlsServer, type TestServer } from './tls-server.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

type Jwk = Record<string, unknown>;

function publicJwk(kid?: string, kind: 'ec' | 'ed25519' = 'ec'): Jwk {
  const pair = kind === 'ec' ? newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }) : newKeyPairSync({ type: 'ed25519' });
  const jwk = pair.publicKey.export({ format: 'jwk' }) as Jwk;
  return kid === undefined ? jwk : { ...jwk, kid };
}

function parsedJwks(...keys: Jwk[]): ClientPublicKey[] {
  const result = validateJwksString(JSON.stringify({ keys }));
  if (!result.ok) assert.fail(JSON.stringify(result.details));
  return result.keys;
}

function makeClient(overrides: Partial<Client> = {}): Client {
  return {
    environmentId: 'env-1',
    id: 'app-1',
    enabled: true,
    type: 'WORKER',
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    grantTypes: ['CLIENT_CREDENTIALS'],
    requestScopesForMultipleResourcesEnabled: false,
    includeTyp: false,
    ...overrides,
  };
}

const kids = (keys: readonly VerificationKey[]): Array<string | undefined> => keys.map((k) => k.kid);
const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function certificate(id: string, notBefore: Date | string, notAfter: Date | string): ClientCertificate {
  return { id, publicJwk: publicJwk(), notBefore, notAfter };
}

/** A certificate loader over a fixed list, counting loads per application. */
function loader(records: Record<string, ClientCertificate[]>) {
  const loads: string[] = [];
  const load = async (environmentId: string, applicationId: string): Promise<ClientCertificate[]> => {
    loads.push(`${environmentId}/${applicationId}`);
    return records[`${environmentId}/${applicationId}`] ?? [];
  };
  return { loads, load };
}

function fakeRemote(...answers: Array<FetchResponse | Error>) {
  const calls: string[] = [];
  let now = NOW.getTime();
  const remote = new RemoteJwks({
    clock: () => now,
    fetch: async (url) => {
      calls.push(url);
      const answer = answers.shift();
      if (answer === undefined || answer instanceof Error) throw answer ?? new Error('no answer');
      return answer;
    },
  });
  return { remote, calls, advance: (ms: number) => (now += ms) };
}

const jwksResponse = (...keys: Jwk[]): FetchResponse => ({ status: 200, headers: {}, body: Buffer.from(JSON.stringify({ keys })) });

describe('ClientKeys: inline jwks', () => {
  test('converts the parsed keys to public KeyObjects once per jwks', async () => {
    const jwks = parsedJwks(publicJwk('a'), publicJwk('b', 'ed25519'));
    const keys = new ClientKeys();
    const client = makeClient({ jwks });
    const first = await keys.keysFor(client, { now: NOW });
    assert.deepEqual(kids(first), ['a', 'b']);
    assert.deepEqual(first.map((k) => [k.kty, k.crv, k.source, k.key.type]), [
      ['EC', 'P-256', 'jwks', 'public'],
      ['OKP', 'Ed25519', 'jwks', 'public'],
    ]);
    const again = await keys.keysFor({ ...client }, { now: NOW });
    assert.equal(again[0], first[0]);
    assert.equal(again[1], first[1]);
    const reloaded = await keys.keysFor(makeClient({ jwks: parsedJwks(publicJwk('c')) }), { now: NOW });
    assert.deepEqual(kids(reloaded), ['c']);
  });

  test('keeps alg and use as registered', async () => {
    const jwks = parsedJwks({ ...publicJwk('a'), alg: 'ES256', use: 'sig' }, { ...publicJwk('e'), use: 'enc' });
    const keys = await new ClientKeys().keysFor(makeClient({ jwks }), { now: NOW });
    assert.deepEqual(keys.map((k) => [k.kid, k.alg, k.use]), [
      ['a', 'ES256', 'sig'],
      ['e', undefined, 'enc'],
    ]);
  });

  test('a client without keys has none', async () => {
    assert.deepEqual(await new ClientKeys().keysFor(makeClient(), { now: NOW }), []);
  });
});

describe('ClientKeys: uploaded certificates', () => {
  test('only certificates valid now count (notBefore <= now < notAfter), with the record id as kid', async () => {
    const notBefore = new Date(NOW.getTime() - DAY);
    const notAfter = new Date(NOW.getTime() + DAY);
    const { load } = loader({ 'env-1/app-1': [certificate('cert-1', notBefore, notAfter)] });
    const keys = new ClientKeys({ certificates: load });
    const client = makeClient();
    const at = async (t: number) => kids(await keys.keysFor(client, { now: new Date(t) }));
    assert.deepEqual(await at(notBefore.getTime() - 1), []);
    assert.deepEqual(await at(notBefore.getTime()), ['cert-1']);
    assert.deepEqual(await at(notAfter.getTime() - 1), ['cert-1']);
    assert.deepEqual(await at(notAfter.getTime()), []);
    const [key] = await keys.keysFor(client, { now: NOW });
    assert.equal(key?.source, 'certificate');
    assert.equal(key?.key.type, 'public');
  });

  test('accepts ISO strings for the validity window (store records) and ignores unreadable ones', async () => {
    const { load } = loader({
      'env-1/app-1': [
        certificate('iso', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
        certificate('expired', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
        certificate('garbled', 'yesterday', 'tomorrow'),
        { id: 'not-a-key', publicJwk: { kty: 'oct', k: 'c2VjcmV0' }, notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z' },
      ],
    });
    assert.deepEqual(kids(await new ClientKeys({ certificates: load }).keysFor(makeClient(), { now: NOW })), ['iso']);
  });

  test('certificates count in addition to inline jwks', async () => {
    const { load } = loader({ 'env-1/app-1': [certificate('cert-1', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')] });
    const keys = await new ClientKeys({ certificates: load }).keysFor(makeClient({ jwks: parsedJwks(publicJwk('inline')) }), { now: NOW });
    assert.deepEqual(kids(keys), ['inline', 'cert-1']);
  });

  test('loads once per application until forget', async () => {
    const records = { 'env-1/app-1': [certificate('c1', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')] };
    const { load, loads } = loader(records);
    const keys = new ClientKeys({ certificates: load });
    const app1 = makeClient();
    const app2 = makeClient({ id: 'app-2' });
    const env2 = makeClient({ environmentId: 'env-2' });
    await Promise.all([keys.keysFor(app1, { now: NOW }), keys.keysFor(app1, { now: NOW }), keys.keysFor(app2, { now: NOW }), keys.keysFor(env2, { now: NOW })]);
    await keys.keysFor(app1, { now: NOW });
    assert.deepEqual(loads, ['env-1/app-1', 'env-1/app-2', 'env-2/app-1']);

    records['env-1/app-1'].push(certificate('c2', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'));
    assert.deepEqual(kids(await keys.keysFor(app1, { now: NOW })), ['c1']);
    keys.forget('env-1', 'app-1');
    assert.deepEqual(kids(await keys.keysFor(app1, { now: NOW })), ['c1', 'c2']);
    assert.equal(loads.length, 4);

    keys.forget('env-1');
    await Promise.all([keys.keysFor(app1, { now: NOW }), keys.keysFor(app2, { now: NOW }), keys.keysFor(env2, { now: NOW })]);
    assert.deepEqual(loads.slice(4).sort(), ['env-1/app-1', 'env-1/app-2']);
  });

  test('a loader failure propagates and is not cached', async () => {
    let fail = true;
    const keys = new ClientKeys({
      certificates: async () => {
        if (fail) throw new Error('store unavailable');
        return [certificate('c1', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')];
      },
    });
    await assert.rejects(keys.keysFor(makeClient(), { now: NOW }), /store unavailable/);
    fail = false;
    assert.deepEqual(kids(await keys.keysFor(makeClient(), { now: NOW })), ['c1']);
  });
});

describe('ClientKeys: jwksUrl', () => {
  const jwksUrl = 'https://keys.example.com/jwks';

  test('adds the remote set to inline and certificate keys', async () => {
    const { remote } = fakeRemote(jwksResponse(publicJwk('r1')));
    const { load } = loader({ 'env-1/app-1': [certificate('c1', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')] });
    const keys = await new ClientKeys({ remote, certificates: load }).keysFor(makeClient({ jwksUrl, jwks: parsedJwks(publicJwk('i1')) }), { now: NOW });
    assert.deepEqual(kids(keys), ['i1', 'c1', 'r1']);
    assert.deepEqual(keys.map((k) => k.source), ['jwks', 'certificate', 'jwksUrl']);
  });

  test('refreshForKid refetches (subject to the cool-down) unless another source holds the kid', async () => {
    const { remote, calls, advance } = fakeRemote(jwksResponse(publicJwk('r1')), jwksResponse(publicJwk('r1'), publicJwk('r2')));
    const { load } = loader({ 'env-1/app-1': [certificate('c1', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')] });
    const keys = new ClientKeys({ remote, certificates: load });
    const client = makeClient({ jwksUrl, jwks: parsedJwks(publicJwk('i1')) });
    await keys.keysFor(client, { now: NOW });
    advance(DEFAULT_JWKS_COOLDOWN_MS);
    await keys.keysFor(client, { now: NOW, refreshForKid: 'i1' });
    await keys.keysFor(client, { now: NOW, refreshForKid: 'c1' });
    await keys.keysFor(client, { now: NOW, refreshForKid: 'r1' });
    assert.equal(calls.length, 1);
    assert.deepEqual(kids(await keys.keysFor(client, { now: NOW, refreshForKid: 'r2' })), ['i1', 'c1', 'r1', 'r2']);
    assert.equal(calls.length, 2);
    await keys.keysFor(client, { now: NOW, refreshForKid: 'r3' });
    assert.equal(calls.length, 2);
  });

  test('without any fetched set: JWKS_FETCH_FAILED, unless other keys can serve the assertion', async () => {
    const failure = new FetchFailed('TIMEOUT', 'no complete answer within 3000 ms');
    const alone = new ClientKeys({ remote: fakeRemote(failure).remote });
    await assert.rejects(alone.keysFor(makeClient({ jwksUrl }), { now: NOW }), (err: unknown) => err instanceof InvalidClient && err.reason === 'JWKS_FETCH_FAILED');

    const mixed = new ClientKeys({ remote: fakeRemote(failure).remote });
    const client = makeClient({ jwksUrl, jwks: parsedJwks(publicJwk('i1')) });
    assert.deepEqual(kids(await mixed.keysFor(client, { now: NOW })), ['i1']);
    assert.deepEqual(kids(await mixed.keysFor(client, { now: NOW, refreshForKid: 'i1' })), ['i1']);
    // The assertion names a kid only the remote set could hold: say why it cannot be had.
    await assert.rejects(mixed.keysFor(client, { now: NOW, refreshForKid: 'r1' }), (err: unknown) => err instanceof InvalidClient && err.reason === 'JWKS_FETCH_FAILED');
  });

  test('forget reaches the remote cache too', async () => {
    const { remote, calls } = fakeRemote(jwksResponse(publicJwk('r1')), jwksResponse(publicJwk('r2')));
    const keys = new ClientKeys({ remote });
    const client = makeClient({ jwksUrl });
    await keys.keysFor(client, { now: NOW });
    keys.forget('env-1', 'app-1');
    assert.deepEqual(kids(await keys.keysFor(client, { now: NOW })), ['r2']);
    assert.equal(calls.length, 2);
    assert.equal(keys.remote, remote);
  });
});

describe('ClientKeys: jwksUrl over HTTPS (local server, 127.0.0.1 allow-listed)', () => {
  let server: TestServer;
  let served: Jwk[] = [];
  let delayMs = 0;
  before(async () => {
    server = await startTlsServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'max-age=600' });
        res.end(JSON.stringify({ keys: served }));
      }, delayMs);
    });
  });
  after(() => server.close());

  test('two concurrent keysFor make one request', async () => {
    served = [publicJwk('k1')];
    delayMs = 50;
    const keys = new ClientKeys({ remote: new RemoteJwks({ guard: LOCAL_GUARD }) });
    const client = makeClient({ jwksUrl: server.url('/jwks') });
    const count = server.requests.length;
    const [a, b] = await Promise.all([keys.keysFor(client, { now: NOW }), keys.keysFor(client, { now: NOW })]);
    assert.equal(server.requests.length, count + 1);
    assert.deepEqual(kids(a), ['k1']);
    assert.equal(a[0], b[0]);
    assert.equal(server.requests.at(-1)?.headers.accept, 'application/jwk-set+json, application/json');
  });

  test('a kid miss refetches once per cool-down; a second miss within it makes no request', async () => {
    served = [publicJwk('k1')];
    delayMs = 0;
    let now = Date.now();
    const keys = new ClientKeys({ remote: new RemoteJwks({ guard: LOCAL_GUARD, clock: () => now }) });
    const client = makeClient({ jwksUrl: server.url('/jwks') });
    const count = server.requests.length;
    await keys.keysFor(client, { now: NOW });
    now += DEFAULT_JWKS_COOLDOWN_MS;
    served = [publicJwk('k1'), publicJwk('k2')];
    assert.deepEqual(kids(await keys.keysFor(client, { now: NOW, refreshForKid: 'k2' })), ['k1', 'k2']);
    now += 1000;
    assert.deepEqual(kids(await keys.keysFor(client, { now: NOW, refreshForKid: 'k3' })), ['k1', 'k2']);
    assert.equal(server.requests.length, count + 2);
  });

  test('the server is refused without the allow-list', async () => {
    const count = server.connections();
    const keys = new ClientKeys({ remote: new RemoteJwks({ guard: { ca: LOCAL_GUARD.ca } }) });
    await assert.rejects(
      keys.keysFor(makeClient({ jwksUrl: server.url('/jwks') }), { now: NOW }),
      (err: unknown) => err instanceof InvalidClient && err.reason === 'JWKS_FETCH_FAILED' && /BLOCKED_ADDRESS/.test(err.detail ?? ''),
    );
    assert.equal(server.connections(), count);
  });
});
