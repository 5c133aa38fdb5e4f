import { strict as assert } from 'node:assert';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { FetchFailed, type FetchResponse } from '../../../src/adapters/jwks-url/guarded-fetch.js';
import {
  DEFAULT_JWKS_COOLDOWN_MS,
  RemoteJwks,
  type RemoteJwksClient,
  type RemoteJwksOptions,
} from '../../../src/adapters/jwks-url/remote-jwks.js';
import { InvalidClient } from '../../../src/protocol/errors.js';
import { LOCAL_GUARD, startTlsServer, type TestServer } from './tls-server.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

type Jwk = Record<string, unknown>;

function ecKey(kid: string, extra: Jwk = {}): { pub: Jwk; priv: Jwk } {
  const pair = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
  return {
    pub: { ...(pair.publicKey.export({ format: 'jwk' }) as Jwk), kid, ...extra },
    priv: { ...(pair.privateKey.export({ format: 'jwk' }) as Jwk), kid, ...extra },
  };
}

const k1 = ecKey('k1');
const k2 = ecKey('k2');
const k3 = ecKey('k3');

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function jwks(keys: Jwk[], cacheControl?: string | IncomingHttpHeaders): FetchResponse {
  const headers = typeof cacheControl === 'string' ? { 'cache-control': cacheControl } : (cacheControl ?? {});
  return { status: 200, headers, body: Buffer.from(JSON.stringify({ keys })) };
}

type Answer = FetchResponse | Error | (() => Promise<FetchResponse>);

/** A fetch function answering from a script, counting calls; never touches the network. */
function scripted(...answers: Answer[]) {
  const calls: string[] = [];
  let last: Answer | undefined;
  const fetch = async (url: string): Promise<FetchResponse> => {
    calls.push(url);
    const answer = answers.shift() ?? last;
    last = answer;
    if (answer === undefined) throw new Error('no scripted answer');
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer() : answer;
  };
  return { calls, fetch, push: (...more: Answer[]) => answers.push(...more) };
}

function clock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const client: RemoteJwksClient = { environmentId: 'env-1', id: 'app-1', jwksUrl: 'https://keys.example.com/jwks' };

function setup(answers: Answer[], options: Partial<RemoteJwksOptions> = {}) {
  const fetch = scripted(...answers);
  const time = clock();
  const remote = new RemoteJwks({ fetch: fetch.fetch, clock: time.now, ...options });
  return { remote, fetch, time };
}

const kids = (keys: readonly { kid?: string }[]): Array<string | undefined> => keys.map((k) => k.kid);

async function fetchFailure(promise: Promise<unknown>): Promise<InvalidClient> {
  const err = await promise.then(
    () => assert.fail('expected InvalidClient'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof InvalidClient, String(err));
  assert.equal(err.reason, 'JWKS_FETCH_FAILED');
  assert.equal(err.status, 401);
  assert.equal(err.description, 'Client authentication failed');
  return err;
}

/** expiresAt - fetchedAt of the cached set of env-1/app-1. */
function lifetime(remote: RemoteJwks): number {
  const snap = remote.snapshot('env-1', 'app-1');
  assert.ok(snap?.expiresAt && snap.fetchedAt, 'no set cached');
  return snap.expiresAt.getTime() - snap.fetchedAt.getTime();
}

describe('RemoteJwks', () => {
  test('fetches once and serves the cached set as verification keys', async () => {
    const { remote, fetch } = setup([jwks([k1.pub, k2.pub])]);
    const keys = await remote.keys(client);
    assert.deepEqual(kids(keys), ['k1', 'k2']);
    for (const key of keys) {
      assert.equal(key.source, 'jwksUrl');
      assert.equal(key.kty, 'EC');
      assert.equal(key.crv, 'P-256');
      assert.equal(key.key.type, 'public');
    }
    assert.equal(await remote.keys(client), keys);
    assert.deepEqual(fetch.calls, [client.jwksUrl]);
  });

  test('the TTL from Cache-Control decides when the set is fetched again', async () => {
    const { remote, fetch, time } = setup([jwks([k1.pub], 'max-age=600'), jwks([k2.pub], 'max-age=600')]);
    await remote.keys(client);
    assert.equal(lifetime(remote), 10 * MINUTE);
    time.advance(10 * MINUTE - 1);
    assert.deepEqual(kids(await remote.keys(client)), ['k1']);
    assert.equal(fetch.calls.length, 1);
    time.advance(1);
    assert.deepEqual(kids(await remote.keys(client)), ['k2']);
    assert.equal(fetch.calls.length, 2);
  });

  for (const [cacheControl, ttl] of [
    ['max-age=31536000', 24 * HOUR],
    ['max-age=10', 5 * MINUTE],
    ['no-store', 5 * MINUTE],
    [undefined, HOUR],
  ] as const) {
    test(`Cache-Control ${String(cacheControl)} is clamped to ${ttl / MINUTE} min`, async () => {
      const { remote, fetch, time } = setup([jwks([k1.pub], cacheControl)]);
      await remote.keys(client);
      assert.equal(lifetime(remote), ttl);
      time.advance(ttl - 1);
      await remote.keys(client);
      assert.equal(fetch.calls.length, 1);
      time.advance(1);
      await remote.keys(client);
      assert.equal(fetch.calls.length, 2);
    });
  }

  // The reported case: these were cached for the default hour instead of the 5-minute floor.
  for (const [what, headers] of [
    ['Expires in the past', { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }],
    ['an invalid Expires ("0")', { expires: '0' }],
    ['a negative max-age', { 'cache-control': 'max-age=-3600' }],
    ['max-age and Age beyond it', { 'cache-control': 'max-age=600', age: '900' }],
  ] as const) {
    test(`${what} is cached for the 5-minute floor (RFC 9111 §4.2.1, §5.3)`, async () => {
      const { remote, fetch, time } = setup([jwks([k1.pub], headers)]);
      await remote.keys(client);
      assert.equal(lifetime(remote), 5 * MINUTE);
      time.advance(5 * MINUTE);
      await remote.keys(client);
      assert.equal(fetch.calls.length, 2);
    });
  }

  test('single flight: concurrent callers share one fetch', async () => {
    let release!: (r: FetchResponse) => void;
    const { remote, fetch } = setup([() => new Promise<FetchResponse>((resolve) => (release = resolve))]);
    const first = remote.keys(client);
    const second = remote.keys(client);
    const third = remote.refresh('env-1', 'app-1', client);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fetch.calls.length, 1);
    release(jwks([k1.pub]));
    const [a, b, snap] = await Promise.all([first, second, third]);
    assert.equal(a, b);
    assert.deepEqual(kids(a), ['k1']);
    assert.deepEqual(snap?.keys.map((k) => k.kid), ['k1']);
    assert.equal(fetch.calls.length, 1);
  });

  test('an unknown kid refetches at most once per cool-down', async () => {
    const { remote, fetch, time } = setup([jwks([k1.pub]), jwks([k1.pub, k2.pub]), jwks([k1.pub, k2.pub, k3.pub])]);
    await remote.keys(client);
    // A known kid never refetches.
    await remote.keys(client, { refreshForKid: 'k1' });
    assert.equal(fetch.calls.length, 1);
    // Within the cool-down after the first fetch: no request.
    time.advance(10 * SECOND);
    assert.deepEqual(kids(await remote.keys(client, { refreshForKid: 'k2' })), ['k1']);
    assert.equal(fetch.calls.length, 1);
    time.advance(DEFAULT_JWKS_COOLDOWN_MS);
    assert.deepEqual(kids(await remote.keys(client, { refreshForKid: 'k2' })), ['k1', 'k2']);
    assert.equal(fetch.calls.length, 2);
    // A second miss within the cool-down makes no request.
    time.advance(DEFAULT_JWKS_COOLDOWN_MS - 1);
    assert.deepEqual(kids(await remote.keys(client, { refreshForKid: 'k3' })), ['k1', 'k2']);
    assert.equal(fetch.calls.length, 2);
    time.advance(1);
    assert.deepEqual(kids(await remote.keys(client, { refreshForKid: 'k3' })), ['k1', 'k2', 'k3']);
    assert.equal(fetch.calls.length, 3);
  });

  test('the cool-down is per application', async () => {
    const { remote, fetch, time } = setup([jwks([k1.pub])]);
    const other = { ...client, id: 'app-2' };
    await remote.keys(client);
    await remote.keys(other);
    time.advance(DEFAULT_JWKS_COOLDOWN_MS);
    await remote.keys(client, { refreshForKid: 'kx' });
    await remote.keys(client, { refreshForKid: 'ky' });
    await remote.keys(other, { refreshForKid: 'kx' });
    assert.equal(fetch.calls.length, 4);
  });

  test('a failed fetch keeps and returns the last good set, and is not retried before the cool-down', async () => {
    const { remote, fetch, time } = setup([jwks([k1.pub], 'max-age=300'), new FetchFailed('TIMEOUT', 'no complete answer within 3000 ms'), jwks([k2.pub])]);
    const good = await remote.keys(client);
    time.advance(5 * MINUTE);
    assert.equal(await remote.keys(client), good);
    assert.equal(fetch.calls.length, 2);
    const snap = remote.snapshot('env-1', 'app-1');
    assert.match(snap?.lastError ?? '', /^TIMEOUT: no complete answer/);
    assert.equal(snap?.lastAttemptAt?.getTime(), time.now());
    assert.deepEqual(snap?.keys.map((k) => k.kid), ['k1']);
    // Expired, but the failure is recent: no retry storm.
    time.advance(DEFAULT_JWKS_COOLDOWN_MS - 1);
    assert.equal(await remote.keys(client), good);
    assert.equal(await remote.keys(client, { refreshForKid: 'k2' }), good);
    assert.equal(fetch.calls.length, 2);
    time.advance(1);
    assert.deepEqual(kids(await remote.keys(client)), ['k2']);
    assert.equal(remote.snapshot('env-1', 'app-1')?.lastError, undefined);
  });

  test('without any good set a failure is InvalidClient(JWKS_FETCH_FAILED), not retried before the cool-down', async () => {
    const { remote, fetch, time } = setup([new FetchFailed('STATUS', 'the server answered HTTP 503; 200 is required', 503), jwks([k1.pub])]);
    const err = await fetchFailure(remote.keys(client));
    assert.match(err.detail ?? '', /https:\/\/keys\.example\.com\/jwks.*STATUS.*503/);
    time.advance(DEFAULT_JWKS_COOLDOWN_MS - 1);
    await fetchFailure(remote.keys(client));
    assert.equal(fetch.calls.length, 1);
    time.advance(1);
    assert.deepEqual(kids(await remote.keys(client)), ['k1']);
    assert.equal(fetch.calls.length, 2);
  });

  test('a document with a private key counts as a failed fetch', async () => {
    const { remote } = setup([jwks([k1.priv])]);
    const err = await fetchFailure(remote.keys(client));
    assert.match(err.detail ?? '', /private key member "d"/);
    assert.doesNotMatch(err.detail ?? '', new RegExp(String(k1.priv.d)));
  });

  test('an invalid document leaves the last good set in place', async () => {
    const { remote, time } = setup([jwks([k1.pub]), jwks([k2.pub, k1.priv])]);
    const good = await remote.keys(client);
    time.advance(HOUR);
    assert.equal(await remote.keys(client), good);
    assert.match(remote.snapshot('env-1', 'app-1')?.lastError ?? '', /not an acceptable JWK Set.*private key/);
  });

  const invalidBodies: ReadonlyArray<[string, FetchResponse]> = [
    ['not JSON', { status: 200, headers: {}, body: Buffer.from('<html>') }],
    ['no keys member', { status: 200, headers: {}, body: Buffer.from('{"kty":"EC"}') }],
    ['empty keys', { status: 200, headers: {}, body: Buffer.from('{"keys":[]}') }],
    ['a symmetric key', jwks([{ kty: 'oct', k: 'c2VjcmV0', kid: 's' }])],
    ['duplicate members', { status: 200, headers: {}, body: Buffer.from(`{"keys":[${JSON.stringify(k1.pub)}],"keys":[]}`) }],
    ['a non-200 status from the fetch function', { ...jwks([k1.pub]), status: 204 }],
  ];
  for (const [what, response] of invalidBodies) {
    test(`${what} is a failed fetch`, async () => {
      await fetchFailure(setup([response]).remote.keys(client));
    });
  }

  test('accepts a byte order mark before the JSON', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), jwks([k1.pub]).body]);
    assert.deepEqual(kids(await setup([{ status: 200, headers: {}, body }]).remote.keys(client)), ['k1']);
  });

  test('leaves out keys whose key_ops exclude verify, keeps use:enc keys for the protocol to refuse by name', async () => {
    const enc = ecKey('enc', { use: 'enc' });
    const wrap = ecKey('wrap', { key_ops: ['encrypt'] });
    const { remote } = setup([jwks([k1.pub, enc.pub, wrap.pub])]);
    assert.deepEqual(kids(await remote.keys(client)), ['k1', 'enc']);
    assert.deepEqual(remote.snapshot('env-1', 'app-1')?.keys.map((k) => k.kid), ['k1', 'enc', 'wrap']);
  });

  test('a changed jwksUrl starts afresh', async () => {
    const { remote, fetch } = setup([jwks([k1.pub]), jwks([k2.pub])]);
    await remote.keys(client);
    const moved = { ...client, jwksUrl: 'https://keys.example.com/v2/jwks' };
    assert.deepEqual(kids(await remote.keys(moved)), ['k2']);
    assert.deepEqual(fetch.calls, [client.jwksUrl, moved.jwksUrl]);
    assert.equal(remote.snapshot('env-1', 'app-1')?.jwksUrl, moved.jwksUrl);
  });

  test('forget drops one application or a whole environment', async () => {
    const { remote, fetch } = setup([jwks([k1.pub])]);
    const sibling = { ...client, id: 'app-2' };
    const elsewhere = { ...client, environmentId: 'env-2' };
    await Promise.all([remote.keys(client), remote.keys(sibling), remote.keys(elsewhere)]);
    assert.equal(fetch.calls.length, 3);
    remote.forget('env-1', 'app-1');
    assert.equal(remote.snapshot('env-1', 'app-1'), undefined);
    assert.ok(remote.snapshot('env-1', 'app-2'));
    remote.forget('env-1');
    assert.equal(remote.snapshot('env-1', 'app-2'), undefined);
    assert.ok(remote.snapshot('env-2', 'app-1'));
    await Promise.all([remote.keys(client), remote.keys(sibling), remote.keys(elsewhere)]);
    assert.equal(fetch.calls.length, 5);
  });

  test('refresh fetches now whatever the TTL and cool-down, and reports the outcome', async () => {
    const { remote, fetch, time } = setup([jwks([k1.pub], 'max-age=3600'), jwks([k2.pub], 'max-age=900'), new FetchFailed('DNS', 'could not resolve keys.example.com: ENOTFOUND')]);
    await remote.keys(client);
    time.advance(SECOND);
    const snap = await remote.refresh('env-1', 'app-1', client);
    assert.equal(fetch.calls.length, 2);
    assert.deepEqual(snap, {
      jwksUrl: client.jwksUrl,
      keys: [k2.pub],
      fetchedAt: new Date(time.now()),
      expiresAt: new Date(time.now() + 15 * MINUTE),
      lastAttemptAt: new Date(time.now()),
    });
    const failed = await remote.refresh('env-1', 'app-1', client);
    assert.equal(fetch.calls.length, 3);
    assert.match(failed?.lastError ?? '', /^DNS: could not resolve/);
    assert.deepEqual(failed?.keys, [k2.pub]);
    assert.equal(await remote.refresh('env-1', 'app-1', {}), undefined);
    assert.equal(remote.snapshot('env-1', 'app-1'), undefined);
  });

  test('the snapshot of an application never fetched successfully has no keys and the error', async () => {
    const { remote } = setup([new FetchFailed('TIMEOUT', 'no complete answer within 3000 ms')]);
    await fetchFailure(remote.keys(client));
    const snap = remote.snapshot('env-1', 'app-1');
    assert.deepEqual(snap?.keys, []);
    assert.equal(snap?.fetchedAt, undefined);
    assert.match(snap?.lastError ?? '', /TIMEOUT/);
  });

  test('snapshot keys are copies', async () => {
    const { remote } = setup([jwks([k1.pub])]);
    await remote.keys(client);
    const snap = remote.snapshot('env-1', 'app-1');
    snap!.keys[0]!.kid = 'changed';
    assert.equal(remote.snapshot('env-1', 'app-1')?.keys[0]?.kid, 'k1');
  });

  test('the cache is bounded, dropping the least recently used application', async () => {
    const { remote, fetch } = setup([jwks([k1.pub])], { maxEntries: 2 });
    const app = (id: string) => ({ ...client, id });
    await remote.keys(app('a'));
    await remote.keys(app('b'));
    await remote.keys(app('a'));
    await remote.keys(app('c'));
    assert.ok(remote.snapshot('env-1', 'a'));
    assert.equal(remote.snapshot('env-1', 'b'), undefined);
    assert.ok(remote.snapshot('env-1', 'c'));
    assert.equal(fetch.calls.length, 3);
  });

  test('the default fetcher is the guarded fetcher (a blocked address is refused, no connection)', async () => {
    const remote = new RemoteJwks();
    const err = await fetchFailure(remote.keys({ ...client, jwksUrl: 'https://127.0.0.1:9/jwks' }));
    assert.match(err.detail ?? '', /BLOCKED_ADDRESS/);
    const insecure = await fetchFailure(remote.keys({ ...client, id: 'app-2', jwksUrl: 'http://keys.example.com/jwks' }));
    assert.match(insecure.detail ?? '', /SCHEME/);
  });
});

describe('RemoteJwks over the guarded fetcher (local HTTPS server, 127.0.0.1 allow-listed)', () => {
  let server: TestServer;
  let headers: Record<string, string> = {};
  before(async () => {
    server = await startTlsServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/jwk-set+json', ...headers });
      res.end(JSON.stringify({ keys: [k1.pub] }));
    });
  });
  after(() => server.close());

  // RFC 9111 §4.2.1 and §5.3: a past Expires or an invalid max-age is no reason to keep a set for an hour.
  for (const [what, sent] of [
    ['a past Expires (with Date)', { date: new Date().toUTCString(), expires: 'Mon, 01 Jan 2024 00:00:00 GMT' }],
    ['a negative max-age', { 'cache-control': 'max-age=-1' }],
  ] as const) {
    test(`${what} is cached for the 5-minute floor`, async () => {
      headers = sent;
      const time = clock(Date.now());
      const remote = new RemoteJwks({ guard: LOCAL_GUARD, clock: time.now });
      const count = server.requests.length;
      assert.deepEqual(kids(await remote.keys({ ...client, jwksUrl: server.url('/jwks') })), ['k1']);
      assert.equal(server.requests.length, count + 1);
      assert.equal(lifetime(remote), 5 * MINUTE);
    });
  }
});
