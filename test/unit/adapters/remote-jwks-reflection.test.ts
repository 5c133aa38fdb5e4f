/**
 * A `jwksUrl` document is written by whoever controls the URL, while `lastError` (the jwksCache
 * view), the JWKS_FETCH_FAILED and key-mismatch details (clientAuthEvents) and the logs are read
 * by administrators. None of them may repeat the document's text: problems are described by
 * positions, counts and SHA-256 fingerprints. Inline `jwks` problems still quote the values, since
 * the answer goes back to the administrator who just sent them.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FetchResponse } from '../../../src/adapters/jwks-url/guarded-fetch.js';
import { RemoteJwks, type RemoteJwksClient } from '../../../src/adapters/jwks-url/remote-jwks.js';
import { parseJwkSet } from '../../../src/jose/jwk-set.js';
import { FETCHED, fingerprint } from '../../../src/jose/jwk-values.js';
import { InvalidClient } from '../../../src/protocol/errors.js';
import { assertionParams, claims, harness, invalidClient, p256, profile, rawEc, signedRaw, verificationKey } from '../protocol/client-auth-fixtures.js';
import { LOCAL_GUARD, startTlsServer, type TestServer } from './tls-server.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

type Jwk = Record<string, unknown>;

const MARK = 'PLANTED7q3';
/** Text a hostile document would like an administrator to read, with HTML and control characters. */
const PLANT = `${MARK} <img src=x onerror=alert(1)> \u0000\u001b[31m\r\nSee https://evil.example/${MARK}`;

const ec = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
const ecJwk = ec.publicKey.export({ format: 'jwk' }) as Jwk;

/** Every member a problem message used to quote, each carrying the planted text. */
function hostileDocument(): string {
  const keys: Jwk[] = [
    { kty: `RSA${PLANT}`, kid: `${PLANT}-1` },
    { ...ecJwk, kid: `${PLANT}-2`, alg: PLANT },
    { ...ecJwk, kid: `${PLANT}-3`, use: PLANT },
    { ...ecJwk, kid: `${PLANT}-4`, crv: PLANT },
    { ...ecJwk, kid: `${PLANT}-5`, key_ops: [PLANT, PLANT] },
    { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', alg: PLANT, kid: `${PLANT}-6` },
    { ...ecJwk, kid: `${PLANT}-2` },
  ];
  const text = JSON.stringify({ keys });
  // A repeated member name, also planted (RFC 7517 §4: Keyway refuses duplicates).
  return `${text.slice(0, -1)},${JSON.stringify(PLANT)}:1,${JSON.stringify(PLANT)}:2}`;
}

const client: RemoteJwksClient = { environmentId: 'env-1', id: 'app-1', jwksUrl: 'https://keys.example.com/jwks' };

function assertClean(text: string | undefined, where: string): void {
  assert.ok(text !== undefined && text.length > 0, `${where} is empty`);
  assert.ok(!text.includes(MARK), `${where} repeats the document's text: ${text}`);
  assert.ok(!/[<>\u0000-\u001f]/.test(text), `${where} holds markup or control characters: ${JSON.stringify(text)}`);
}

describe('fingerprint', () => {
  test('shows a string by its length and a SHA-256 prefix, other values by type', () => {
    const digest = createHash('sha256').update(PLANT).digest('hex').slice(0, 8);
    assert.equal(fingerprint(PLANT), `a ${PLANT.length}-character string (sha256 ${digest}…)`);
    assert.equal(fingerprint(7), 'a number');
    assert.equal(fingerprint(null), 'null');
    assert.equal(fingerprint([PLANT]), 'an array');
  });
});

describe('parseJwkSet of a fetched document', () => {
  test('no problem message repeats a value of the document', () => {
    const result = parseJwkSet(hostileDocument(), 'jwksUrl', FETCHED);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(result.problems.length >= 7, JSON.stringify(result.problems));
    for (const problem of result.problems) assertClean(problem.message, 'a problem');
    const all = result.problems.map((p) => p.message).join('\n');
    assert.match(all, /jwksUrl key #1 \(kid a \d+-character string \(sha256 [0-9a-f]{8}…\)\): kty a \d+-character string/);
    assert.match(all, /repeats the member name a \d+-character string/);
    assert.match(all, /key #7 .*kid is already used by key #2/);
  });

  test('an inline jwks still quotes what the administrator sent', () => {
    const result = parseJwkSet(JSON.stringify({ keys: [{ ...ecJwk, use: 'wrap' }] }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.problems[0]?.message ?? '', /use "wrap" is not allowed/);
  });
});

describe('RemoteJwks: lastError and the JWKS_FETCH_FAILED detail', () => {
  test('a hostile document is described without its text (RFC 7517 §5 checks, fingerprints only)', async () => {
    const body = Buffer.from(hostileDocument());
    const remote = new RemoteJwks({ fetch: async (): Promise<FetchResponse> => ({ status: 200, headers: {}, body }) });
    const err = await remote.keys(client).then(() => assert.fail('accepted'), (e: unknown) => e);
    assert.ok(err instanceof InvalidClient && err.reason === 'JWKS_FETCH_FAILED');
    assertClean(err.detail, 'the detail');
    const snapshot = remote.snapshot('env-1', 'app-1');
    assertClean(snapshot?.lastError, 'lastError');
    assert.match(snapshot?.lastError ?? '', /^DOCUMENT: the document is not an acceptable JWK Set: jwksUrl repeats the member name a \d+-character string/);
    assert.deepEqual(snapshot?.keys, []);
  });

  test('an unexpected error is described by a fixed text, not its message', async () => {
    const remote = new RemoteJwks({ fetch: () => Promise.reject(new Error(PLANT)) });
    assert.equal((await remote.refresh('env-1', 'app-1', client))?.lastError, 'UNEXPECTED: the fetched keys could not be prepared for verification');
  });
});

describe('over the guarded fetcher (local HTTPS server, 127.0.0.1 allow-listed)', () => {
  let server: TestServer;
  let answer: (res: import('node:http').ServerResponse) => void = () => undefined;
  before(async () => {
    server = await startTlsServer((_req, res) => answer(res));
  });
  after(() => server.close());

  test('a Content-Encoding value is not repeated', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-encoding': `${MARK}-gzip` });
      res.end('{}');
    };
    const snapshot = await new RemoteJwks({ guard: LOCAL_GUARD }).refresh('env-1', 'app-1', { jwksUrl: server.url('/jwks') });
    assertClean(snapshot?.lastError, 'lastError');
    assert.match(snapshot?.lastError ?? '', /^ENCODING: /);
  });

  test('a hostile document served over https is described without its text', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(hostileDocument());
    };
    const snapshot = await new RemoteJwks({ guard: LOCAL_GUARD }).refresh('env-1', 'app-1', { jwksUrl: server.url('/jwks') });
    assertClean(snapshot?.lastError, 'lastError');
  });
});

describe('client-authentication details name a jwksUrl key by fingerprint', () => {
  test('KEY_ALG_MISMATCH (RFC 8725 §3.1) for the only key of a fetched set, no kid in the assertion', async () => {
    const h = harness();
    h.directory.add(profile('remote', 'PRIVATE_KEY_JWT', { jwksUrl: 'https://keys.example.com/jwks' }));
    h.keys.keys.set('remote', [verificationKey(p256.publicKey, { kid: PLANT, source: 'jwksUrl' })]);
    const err = await invalidClient(h.authenticate(assertionParams(signedRaw({ alg: 'ES384' }, claims('remote'), rawEc(p256.privateKey, 'sha384')))));
    assert.equal(err.reason, 'KEY_ALG_MISMATCH');
    assertClean(err.detail, 'the detail');
    assert.match(err.detail ?? '', /^jwksUrl key with kid a \d+-character string \(sha256 [0-9a-f]{8}…\) cannot verify ES384/);
    for (const { event } of h.events.events) assertClean(JSON.stringify(event), 'the recorded event');
  });

  test('an inline key keeps its kid in the detail', async () => {
    const h = harness();
    const err = await invalidClient(h.authenticate(assertionParams(signedRaw({ alg: 'ES384' }, claims('pkj-p256'), rawEc(p256.privateKey, 'sha384')))));
    assert.match(err.detail ?? '', /^jwks key "p256" cannot verify ES384/);
  });
});
