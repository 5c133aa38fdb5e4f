import { strict as assert } from 'node:assert';
import type { LookupAddress } from 'node:dns';
import { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TLSSocket } from 'node:tls';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, FetchFailed, FetchRefused, guardedFetch, type FetchFailedReason, type FetchRefusedReason, type GuardOptions } from '../../../src/adapters/jwks-url/guarded-fetch.js';
import { blockedRange, isBlockedAddress } from '../../../src/adapters/jwks-url/ip-ranges.js';
import { parseFetchAllowList } from '../../../src/config/fetch-allow-list.js';
import { LOCAL_GUARD, TEST_CA, startTlsServer, type TestServer } from './tls-server.js';

const BLOCKED: ReadonlyArray<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'this network'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.0.1', 'link-local'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.255', 'CGNAT'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['192.0.0.8', 'IETF'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['[::]', 'unspecified'],
  ['[::1]', 'loopback'],
  ['::ffff:127.0.0.1', 'IPv4-mapped 127.0.0.1, loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped 127.0.0.1, loopback'],
  ['::ffff:10.0.0.1', 'IPv4-mapped 10.0.0.1, private'],
  ['::ffff:a9fe:a9fe', 'IPv4-mapped 169.254.169.254'],
  ['0:0:0:0:0:ffff:0:0', 'IPv4-mapped 0.0.0.0'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::8.8.8.8', 'IPv4-compatible'],
  ['::ffff:0:a00:1', 'IPv4-translated'],
  ['64:ff9b::a00:1', 'NAT64'],
  ['64:ff9b::8.8.8.8', 'NAT64'],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['2002:a00:1::', '6to4 10.0.0.1, private'],
  ['2002:7f00:1::1', '6to4 127.0.0.1, loopback'],
  ['2002:a9fe:a9fe::', '6to4 169.254.169.254'],
  ['2001::1', 'Teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['2001:2::1', 'IETF'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['100::1', 'discard'],
  ['fc00::1', 'unique local'],
  ['fd12:3456::1', 'unique local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['ff0e::1', 'multicast'],
  ['4000::1', 'outside 2000::/3'],
  ['', 'not an IP'],
  ['localhost', 'not an IP'],
  ['1.2.3', 'not an IP'],
  ['010.0.0.1', 'not an IP'],
];

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '11.0.0.1',
  '172.15.255.255',
  '172.32.0.1',
  '100.63.255.255',
  '100.128.0.1',
  '169.253.255.255',
  '169.255.0.1',
  '192.167.1.1',
  '192.169.0.1',
  '198.17.255.255',
  '198.20.0.1',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '2a00:1450:4001:81b::200e',
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '2002:808:808::1',
  '[2606:4700:4700::1111]',
];

describe('isBlockedAddress', () => {
  for (const [ip, label] of BLOCKED) {
    test(`refuses ${JSON.stringify(ip)} (${label})`, () => {
      assert.equal(isBlockedAddress(ip), true);
      assert.ok(blockedRange(ip)?.includes(label), `range of ${ip} is ${blockedRange(ip)}, expected it to mention ${label}`);
    });
  }
  for (const ip of ALLOWED) {
    test(`allows public ${ip}`, () => assert.equal(isBlockedAddress(ip), false, blockedRange(ip)));
  }
});

describe('parseFetchAllowList', () => {
  test('splits CIDR blocks, bare addresses and host names', () => {
    assert.deepEqual(parseFetchAllowList(' 127.0.0.1/32, ::1/128 ,LocalHost,10.0.0.0/8,,192.168.1.5 ,fd00::1'), {
      allowCidrs: ['127.0.0.1/32', '::1/128', '10.0.0.0/8', '192.168.1.5', 'fd00::1'],
      allowHosts: ['localhost'],
    });
  });

  test('an empty value allows nothing', () => {
    assert.deepEqual(parseFetchAllowList(''), { allowCidrs: [], allowHosts: [] });
  });

  for (const bad of ['http://localhost', '10.0.0.0/33', '::1/129', '1.2.3.4/abc', '999.1.1.1', 'a b', '*.example.com', '10.0.0.0/-1']) {
    test(`rejects ${JSON.stringify(bad)} naming the entry`, () => {
      assert.throws(() => parseFetchAllowList(`127.0.0.1,${bad}`), (err: Error) => err instanceof TypeError && err.message.includes('KEYWAY_FETCH_ALLOW'));
    });
  }
});

async function refused(promise: Promise<unknown>, reason: FetchRefusedReason): Promise<FetchRefused> {
  const err = await promise.then(
    () => assert.fail('expected FetchRefused'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FetchRefused, `expected FetchRefused(${reason}), got ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  return err;
}

async function failed(promise: Promise<unknown>, reason: FetchFailedReason): Promise<FetchFailed> {
  const err = await promise.then(
    () => assert.fail('expected FetchFailed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FetchFailed, `expected FetchFailed(${reason}), got ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  return err;
}

/** Resolves every name to the given addresses, without DNS. */
function resolveTo(...addresses: string[]): GuardOptions['resolve'] {
  return async () => addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
}

const JWKS_BODY = JSON.stringify({ keys: [] });

describe('guardedFetch against a local HTTPS server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTlsServer((req, res) => {
      switch (new URL(req.url ?? '/', 'https://127.0.0.1').pathname) {
        case '/jwks':
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
          res.end(JWKS_BODY);
          return;
        case '/redirect':
          res.writeHead(302, { location: '/jwks' });
          res.end();
          return;
        case '/missing':
          res.writeHead(404);
          res.end('no');
          return;
        case '/broken':
          res.writeHead(500);
          res.end();
          return;
        case '/never':
          return; // holds the request open
        case '/trickle':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"keys": ['); // and never finishes
          return;
        case '/big-declared':
          res.writeHead(200, { 'content-length': String(DEFAULT_MAX_BODY_BYTES + 1) });
          res.end(Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 1, 0x20));
          return;
        case '/big-chunked':
          sendChunked(res, 1024 * 1024);
          return;
        case '/exact':
          res.writeHead(200);
          res.end(Buffer.alloc(1024, 0x20));
          return;
        case '/gzip':
          res.writeHead(200, { 'content-encoding': 'gzip' });
          res.end('not really gzip');
          return;
        default:
          res.writeHead(400);
          res.end();
      }
    });
  });
  after(() => server.close());

  test('fetches with the allow-list and the test CA, sending Accept and User-Agent', async () => {
    const response = await guardedFetch(server.url('/jwks?x=1'), LOCAL_GUARD);
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), JWKS_BODY);
    assert.equal(response.headers['cache-control'], 'max-age=600');
    const seen = server.requests.at(-1);
    assert.equal(seen?.path, '/jwks?x=1');
    assert.equal(seen?.headers.accept, 'application/jwk-set+json, application/json');
    assert.equal(seen?.headers['user-agent'], 'Keyway');
  });

  test('connects to the checked address and verifies the certificate for the host name', async () => {
    const response = await guardedFetch(`https://keys.keyway.test:${server.port}/jwks`, { ...LOCAL_GUARD, resolve: resolveTo('127.0.0.1') });
    assert.equal(response.status, 200);
  });

  test('allowHosts lets a named host reach a blocked address', async () => {
    const response = await guardedFetch(`https://keys.keyway.test:${server.port}/jwks`, {
      ca: TEST_CA,
      allowHosts: ['keys.keyway.test'],
      resolve: resolveTo('127.0.0.1'),
    });
    assert.equal(response.status, 200);
  });

  test('refuses 127.0.0.1 without the allow-list, before connecting', async () => {
    const before = server.connections();
    const err = await refused(guardedFetch(server.url('/jwks'), { ca: TEST_CA }), 'BLOCKED_ADDRESS');
    assert.match(err.message, /127\.0\.0\.1.*loopback/);
    assert.equal(server.connections(), before);
  });

  test('refuses localhost (resolved with dns.lookup) without the allow-list', async () => {
    const before = server.connections();
    await refused(guardedFetch(`https://localhost:${server.port}/jwks`, { ca: TEST_CA }), 'BLOCKED_ADDRESS');
    assert.equal(server.connections(), before);
  });

  test('refuses a name when any resolved address is blocked, even if another is allowed', async () => {
    const before = server.connections();
    const opts = { ...LOCAL_GUARD, resolve: resolveTo('127.0.0.1', '127.0.0.2') };
    await refused(guardedFetch(`https://keys.keyway.test:${server.port}/jwks`, opts), 'BLOCKED_ADDRESS');
    assert.equal(server.connections(), before);
  });

  test('refuses names resolving to metadata, private, mapped or NAT64 addresses', async () => {
    for (const address of ['169.254.169.254', '10.0.0.1', '::ffff:127.0.0.1', '64:ff9b::a9fe:a9fe', 'fd00::1']) {
      await refused(guardedFetch('https://keys.keyway.test/jwks', { resolve: resolveTo(address) }), 'BLOCKED_ADDRESS');
    }
  });

  test('the allow-list matches IPv4-mapped forms of allowed IPv4 addresses', async () => {
    const opts = { ...LOCAL_GUARD, resolve: resolveTo('::ffff:127.0.0.1') };
    const response = await guardedFetch(`https://keys.keyway.test:${server.port}/jwks`, opts);
    assert.equal(response.status, 200);
  });

  test('checks the connected peer again after connect, before any request is sent', async () => {
    // The pinned lookup makes a mismatch impossible to provoke honestly, so the client socket
    // is made to report the metadata address as its peer.
    const real = Object.getOwnPropertyDescriptor(Socket.prototype, 'remoteAddress')?.get;
    assert.ok(real);
    Object.defineProperty(TLSSocket.prototype, 'remoteAddress', {
      configurable: true,
      get(this: TLSSocket) {
        const address = real.call(this) as string | undefined;
        return address !== undefined && this.remotePort === server.port ? '169.254.169.254' : address;
      },
    });
    const count = server.requests.length;
    try {
      const err = await refused(guardedFetch(server.url('/jwks'), LOCAL_GUARD), 'BLOCKED_ADDRESS');
      assert.match(err.message, /169\.254\.169\.254/);
    } finally {
      delete (TLSSocket.prototype as { remoteAddress?: unknown }).remoteAddress;
    }
    assert.equal(server.requests.length, count);
    assert.equal((await guardedFetch(server.url('/jwks'), LOCAL_GUARD)).status, 200);
  });

  test('refuses other schemes, credentials and fragments before any lookup', async () => {
    const resolve = async (): Promise<LookupAddress[]> => assert.fail('no lookup expected');
    const opts = { ...LOCAL_GUARD, resolve };
    await refused(guardedFetch(`http://127.0.0.1:${server.port}/jwks`, opts), 'SCHEME');
    await refused(guardedFetch(`ftp://127.0.0.1:${server.port}/jwks`, opts), 'SCHEME');
    await refused(guardedFetch(`https://user:secret@127.0.0.1:${server.port}/jwks`, opts), 'CREDENTIALS');
    await refused(guardedFetch(`https://user@127.0.0.1:${server.port}/jwks`, opts), 'CREDENTIALS');
    await refused(guardedFetch(`https://127.0.0.1:${server.port}/jwks#k`, opts), 'FRAGMENT');
    await refused(guardedFetch(`https://127.0.0.1:${server.port}/jwks#`, opts), 'FRAGMENT');
    await refused(guardedFetch('/jwks', opts), 'INVALID_URL');
  });

  test('refuses a stored value that is not written as https:// + host (one host in the text, another fetched), before any lookup', async () => {
    const resolve = async (): Promise<LookupAddress[]> => assert.fail('no lookup expected');
    const opts = { ...LOCAL_GUARD, resolve };
    for (const url of [
      `https:/127.0.0.1:${server.port}/jwks`,
      `https:127.0.0.1:${server.port}/jwks`,
      `https:///127.0.0.1:${server.port}/jwks`,
      `https://@127.0.0.1:${server.port}/jwks`,
      `https:\\\\127.0.0.1:${server.port}/jwks`,
      `https://0x7f.1:${server.port}/jwks`,
    ]) {
      await refused(guardedFetch(url, opts), 'INVALID_URL');
    }
  });

  test('always verifies TLS: the self-signed certificate fails without the CA', async () => {
    await failed(guardedFetch(server.url('/jwks'), { allowCidrs: ['127.0.0.1/32'] }), 'TLS');
  });

  test('verifies the host name against the certificate', async () => {
    const opts = { ...LOCAL_GUARD, resolve: resolveTo('127.0.0.1') };
    await failed(guardedFetch(`https://other.keyway.test:${server.port}/jwks`, opts), 'TLS');
  });

  test('does not follow redirects', async () => {
    const count = server.requests.length;
    const err = await refused(guardedFetch(server.url('/redirect'), LOCAL_GUARD), 'REDIRECT');
    assert.match(err.message, /302/);
    assert.equal(server.requests.length, count + 1);
  });

  test('a status other than 200 is a failure', async () => {
    assert.equal((await failed(guardedFetch(server.url('/missing'), LOCAL_GUARD), 'STATUS')).status, 404);
    assert.equal((await failed(guardedFetch(server.url('/broken'), LOCAL_GUARD), 'STATUS')).status, 500);
  });

  test('a server that never answers fails at the deadline', async () => {
    const started = Date.now();
    const err = await failed(guardedFetch(server.url('/never'), { ...LOCAL_GUARD, timeoutMs: 300 }), 'TIMEOUT');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 1500, `took ${elapsed} ms`);
    assert.match(err.message, /300 ms/);
  });

  test('the deadline covers the body, not just the headers', async () => {
    const started = Date.now();
    await failed(guardedFetch(server.url('/trickle'), { ...LOCAL_GUARD, timeoutMs: 300 }), 'TIMEOUT');
    assert.ok(Date.now() - started < 1500);
  });

  test('the deadline covers DNS resolution', async () => {
    const started = Date.now();
    const resolve = (): Promise<LookupAddress[]> => new Promise(() => {});
    await failed(guardedFetch('https://keys.keyway.test/jwks', { timeoutMs: 200, resolve }), 'TIMEOUT');
    assert.ok(Date.now() - started < 1500);
  });

  test('the default deadline is 3 seconds and the default body limit 64 KiB', () => {
    assert.equal(DEFAULT_FETCH_TIMEOUT_MS, 3000);
    assert.equal(DEFAULT_MAX_BODY_BYTES, 65536);
  });

  test('an abort signal cancels the fetch', async () => {
    const controller = new AbortController();
    const pending = guardedFetch(server.url('/never'), { ...LOCAL_GUARD, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await failed(pending, 'ABORTED');
  });

  test('refuses a body whose Content-Length exceeds the limit', async () => {
    await failed(guardedFetch(server.url('/big-declared'), LOCAL_GUARD), 'BODY_TOO_LARGE');
  });

  test('refuses a chunked body without Content-Length once it exceeds the limit', async () => {
    const err = await failed(guardedFetch(server.url('/big-chunked'), LOCAL_GUARD), 'BODY_TOO_LARGE');
    assert.match(err.message, /65536/);
  });

  test('a body of exactly the limit is accepted; one byte less of limit is not', async () => {
    assert.equal((await guardedFetch(server.url('/exact'), { ...LOCAL_GUARD, maxBodyBytes: 1024 })).body.length, 1024);
    await failed(guardedFetch(server.url('/exact'), { ...LOCAL_GUARD, maxBodyBytes: 1023 }), 'BODY_TOO_LARGE');
  });

  test('refuses an encoded body', async () => {
    await failed(guardedFetch(server.url('/gzip'), LOCAL_GUARD), 'ENCODING');
  });

  test('a closed port is a connect failure', async () => {
    const closed = await startTlsServer(() => {});
    const url = closed.url('/jwks');
    await closed.close();
    await failed(guardedFetch(url, LOCAL_GUARD), 'CONNECT');
  });
});

function sendChunked(res: import('node:http').ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  assert.equal(res.hasHeader('content-length'), false);
  const chunk = Buffer.alloc(8 * 1024, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => {});
  pump();
}
