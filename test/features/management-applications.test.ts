/**
 * Applications through the management API, in-process: the seed workflow's PUT, PingOne's
 * response shape, validation that leaves the stored application byte-for-byte unchanged,
 * ETag/If-Match, secrets, and environment isolation.
 */
import { before, after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createEnvironment, expectDetail, expectSchema, expectStatus, startInProcess, type InProcess, type Reply } from '../support/harness.js';
import { rsaKeyPair } from '../support/rsa-keys.js';
import { newKeyPairSync } from '../../src/keys/key-pair.js';

function rsaJwks(): string {
  const jwk = rsaKeyPair().publicKey.export({ format: 'jwk' });
  return JSON.stringify({ keys: [{ ...jwk, kid: 'seed-key', use: 'sig', alg: 'RS256' }] });
}

/** A public JWK with `member` (n or e) re-encoded with a leading zero octet, which RFC 7518 §6.3.1 forbids. */
function leadingZeroJwks(member: 'n' | 'e'): string {
  const jwk = rsaKeyPair().publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const padded = Buffer.concat([Buffer.alloc(1), Buffer.from(jwk[member] as string, 'base64url')]).toString('base64url');
  return JSON.stringify({ keys: [{ ...jwk, [member]: padded, kid: 'padded' }] });
}

/** The fixture certificate (test/fixtures/tls) and the JWK of its key, for x5c cases (RFC 7517 §4.7-§4.9). */
const FIXTURE_CERT = new X509Certificate(readFileSync(new URL('../fixtures/tls/cert.pem', import.meta.url)));
const FIXTURE_X5C = FIXTURE_CERT.raw.toString('base64');
const FIXTURE_JWK = createPublicKey(readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url))).export({ format: 'jwk' });
const thumbprint = (hash: 'sha1' | 'sha256', der: Buffer = FIXTURE_CERT.raw) => createHash(hash).update(der).digest('base64url');
const certJwks = (members: Record<string, unknown>, jwk: object = FIXTURE_JWK): string => JSON.stringify({ keys: [{ ...jwk, kid: 'cert', ...members }] });

const SEED_DESCRIPTION =
  'Application using PRIVATE_KEY_JWT - a JWT signed with a private key for the highest level of security. No shared secrets - asymmetric cryptography.';

function seedBody(jwks: string): Record<string, unknown> {
  return {
    enabled: true,
    name: 'Shared-Web-App',
    description: SEED_DESCRIPTION,
    type: 'WEB_APP',
    protocol: 'OPENID_CONNECT',
    grantTypes: ['AUTHORIZATION_CODE'],
    redirectUris: ['http://localhost:3000/callback'],
    responseTypes: ['CODE'],
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    jwks,
  };
}

let h: InProcess;
let envId: string;
before(async () => {
  h = await startInProcess();
  envId = await createEnvironment(h, 'Applications');
});
after(() => h.close());

async function createWebApp(): Promise<string> {
  const res = await h.inject('POST', `/v1/environments/${envId}/applications`, {
    body: { name: 'Shared-Web-App', enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT', redirectUris: ['http://localhost:3000/callback'] },
  });
  return expectStatus(res, 201).body.id as string;
}

describe('the seed: "Update app with PRIVATE_KEY_JWT"', () => {
  test('PUT with the seed body returns 200 and every field of the seed response', async () => {
    const appId = await createWebApp();
    const jwks = rsaJwks();
    const res = expectStatus(await h.inject('PUT', `/v1/environments/${envId}/applications/${appId}`, { body: seedBody(jwks) }), 200);
    const body = res.body;
    const base = `${h.publicUrl}/v1/environments/${envId}`;
    // PingOne's `metadata` link is left out: it names no operation Keyway (or PingOne's API description) serves.
    assert.deepEqual(Object.keys(body._links).sort(), ['attributes', 'environment', 'grants', 'secret', 'self']);
    assert.equal(body._links.self.href, `${base}/applications/${appId}`);
    assert.equal(body._links.environment.href, base);
    assert.equal(body._links.secret.href, `${base}/applications/${appId}/secret`);
    assert.deepEqual(body.environment, { id: envId });
    assert.equal(body.id, appId);
    assert.equal(body.clientId, appId);
    assert.equal(body.name, 'Shared-Web-App');
    assert.equal(body.description, SEED_DESCRIPTION);
    assert.equal(body.enabled, true);
    assert.equal(body.type, 'WEB_APP');
    assert.equal(body.protocol, 'OPENID_CONNECT');
    assert.equal(body.assignActorRoles, false);
    assert.deepEqual(body.responseTypes, ['CODE']);
    assert.deepEqual(body.grantTypes, ['AUTHORIZATION_CODE']);
    assert.equal(body.jwks, jwks, 'jwks is returned exactly as sent');
    assert.equal(body.tokenEndpointAuthMethod, 'PRIVATE_KEY_JWT');
    assert.equal(body.pkceEnforcement, 'OPTIONAL');
    assert.equal(body.requestScopesForMultipleResourcesEnabled, false);
    assert.equal(body.parRequirement, 'OPTIONAL');
    assert.equal(body.devicePollingInterval, 5);
    assert.deepEqual(body.redirectUris, ['http://localhost:3000/callback']);
    assert.equal(body.parTimeout, 60);
    assert.equal(body.deviceTimeout, 600);
    assert.match(body.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.match(body.updatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal('secret' in body || 'clientSecret' in body, false, 'no secret in the application body');
    expectSchema('ApplicationOIDC', body);
    // A GET returns the same document.
    const read = expectStatus(await h.inject('GET', `/v1/environments/${envId}/applications/${appId}`), 200);
    assert.deepEqual(read.body, body);
  });

  test('PUT is a full replacement: omitted optional fields return to their defaults', async () => {
    const appId = await createWebApp();
    const url = `/v1/environments/${envId}/applications/${appId}`;
    expectStatus(await h.inject('PUT', url, { body: { ...seedBody(rsaJwks()), pkceEnforcement: 'S256_REQUIRED', parTimeout: 120 } }), 200);
    const { jwks: _jwks, tokenEndpointAuthMethod: _m, description: _d, ...rest } = seedBody('');
    const res = expectStatus(await h.inject('PUT', url, { body: rest }), 200);
    assert.equal(res.body.pkceEnforcement, 'OPTIONAL');
    assert.equal(res.body.parTimeout, 60);
    assert.equal(res.body.tokenEndpointAuthMethod, 'CLIENT_SECRET_BASIC');
    assert.equal('jwks' in res.body, false);
    assert.equal('description' in res.body, false);
  });

  test('server-owned fields in a body are ignored', async () => {
    const appId = await createWebApp();
    const res = expectStatus(
      await h.inject('PUT', `/v1/environments/${envId}/applications/${appId}`, {
        body: { ...seedBody(rsaJwks()), id: 'other', clientId: 'other', createdAt: '2000-01-01T00:00:00.000Z', environment: { id: 'x' } },
      }),
      200,
    );
    assert.equal(res.body.id, appId);
    assert.equal(res.body.clientId, appId);
    assert.deepEqual(res.body.environment, { id: envId });
    assert.notEqual(res.body.createdAt, '2000-01-01T00:00:00.000Z');
  });
});

describe('invalid bodies get the right 400 and change nothing', () => {
  const privateJwk = (): string => {
    const jwk = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    return JSON.stringify({ keys: [jwk] });
  };
  const weakJwks = (): string =>
    JSON.stringify({ keys: [newKeyPairSync({ type: 'rsa', modulusLength: 1024 }).publicKey.export({ format: 'jwk' })] });
  const cases: Array<[string, (b: Record<string, unknown>) => Record<string, unknown>, string, string]> = [
    ['missing name', ({ name: _n, ...b }) => b, 'REQUIRED_VALUE', 'name'],
    ['missing enabled', ({ enabled: _e, ...b }) => b, 'REQUIRED_VALUE', 'enabled'],
    ['enabled as a string', (b) => ({ ...b, enabled: 'true' }), 'INVALID_VALUE', 'enabled'],
    ['unknown type', (b) => ({ ...b, type: 'MAINFRAME' }), 'INVALID_VALUE', 'type'],
    ['type changed', (b) => ({ ...b, type: 'NATIVE_APP' }), 'CONSTRAINT_VIOLATION', 'type'],
    ['SAML protocol', (b) => ({ ...b, protocol: 'SAML' }), 'INVALID_VALUE', 'protocol'],
    ['unknown grant type', (b) => ({ ...b, grantTypes: ['PASSWORD'] }), 'INVALID_VALUE', 'grantTypes[0]'],
    ['unknown auth method', (b) => ({ ...b, tokenEndpointAuthMethod: 'MTLS' }), 'INVALID_VALUE', 'tokenEndpointAuthMethod'],
    ['pkceEnforcement bad enum', (b) => ({ ...b, pkceEnforcement: 'ALWAYS' }), 'INVALID_VALUE', 'pkceEnforcement'],
    ['parTimeout 0', (b) => ({ ...b, parTimeout: 0 }), 'OUT_OF_RANGE', 'parTimeout'],
    ['parTimeout 601', (b) => ({ ...b, parTimeout: 601 }), 'OUT_OF_RANGE', 'parTimeout'],
    ['devicePollingInterval 61', (b) => ({ ...b, devicePollingInterval: 61 }), 'OUT_OF_RANGE', 'devicePollingInterval'],
    ['deviceTimeout 3601', (b) => ({ ...b, deviceTimeout: 3601 }), 'OUT_OF_RANGE', 'deviceTimeout'],
    ['redirect with fragment', (b) => ({ ...b, redirectUris: ['https://app.example/cb#x'] }), 'INVALID_VALUE', 'redirectUris[0]'],
    ['http redirect to a remote host', (b) => ({ ...b, redirectUris: ['http://app.example/cb'] }), 'INVALID_VALUE', 'redirectUris[0]'],
    ['wildcard redirect not allowed', (b) => ({ ...b, redirectUris: ['https://*.example.com/cb'] }), 'INVALID_VALUE', 'redirectUris[0]'],
    ['javascript: redirect', (b) => ({ ...b, redirectUris: ['javascript:alert(1)'] }), 'INVALID_VALUE', 'redirectUris[0]'],
    ['private key in jwks', (b) => ({ ...b, jwks: privateJwk() }), 'INVALID_VALUE', 'jwks'],
    ['1024-bit RSA key in jwks', (b) => ({ ...b, jwks: weakJwks() }), 'INVALID_VALUE', 'jwks'],
    ['jwks not JSON', (b) => ({ ...b, jwks: '{keys:' }), 'INVALID_VALUE', 'jwks'],
    ['both jwks and jwksUrl', (b) => ({ ...b, jwksUrl: 'https://keys.example/jwks' }), 'CONSTRAINT_VIOLATION', 'jwks'],
    ['jwksUrl over http', ({ jwks: _j, ...b }) => ({ ...b, jwksUrl: 'http://keys.example/jwks' }), 'INVALID_VALUE', 'jwksUrl'],
    ['RSA n with a leading zero octet (RFC 7518 §6.3.1.1)', (b) => ({ ...b, jwks: leadingZeroJwks('n') }), 'INVALID_VALUE', 'jwks'],
    ['RSA e with a leading zero octet (RFC 7518 §6.3.1.2)', (b) => ({ ...b, jwks: leadingZeroJwks('e') }), 'INVALID_VALUE', 'jwks'],
    ['x5c whose first certificate holds another key (RFC 7517 §4.7)', (b) => ({ ...b, jwks: certJwks({ x5c: [FIXTURE_X5C] }, rsaKeyPair().publicKey.export({ format: 'jwk' })) }), 'INVALID_VALUE', 'jwks'],
    ['x5c[0] not a certificate (RFC 7517 §4.7)', (b) => ({ ...b, jwks: certJwks({ x5c: [Buffer.from('not a certificate').toString('base64')] }) }), 'INVALID_VALUE', 'jwks'],
    ['x5t#S256 of another certificate (RFC 7517 §4.9)', (b) => ({ ...b, jwks: certJwks({ x5c: [FIXTURE_X5C], 'x5t#S256': thumbprint('sha256', Buffer.from('other')) }) }), 'INVALID_VALUE', 'jwks'],
    ['x5t of another certificate (RFC 7517 §4.8)', (b) => ({ ...b, jwks: certJwks({ x5c: [FIXTURE_X5C], x5t: thumbprint('sha1', Buffer.from('other')) }) }), 'INVALID_VALUE', 'jwks'],
    ...[
      'https:/keys.example/jwks',
      'https:keys.example/jwks',
      'https:///keys.example/jwks',
      'HTTPS://keys.example/jwks',
      'https://@keys.example/jwks',
      'https://keys.example\\@evil.example/jwks',
      'https:\\\\evil.example/jwks',
      'https://keys.example/a/../jwks',
      'https://0x7f.1/jwks',
      'https://2130706433/jwks',
      'https://127.0.0.1/jwks',
      'https://127.0.0.1:8443/jwks',
      'https://localhost/jwks',
      'https://keys.localhost/jwks',
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/jwks',
      'https://192.168.0.10/jwks',
      'https://[::1]/jwks',
      'https://[::ffff:7f00:1]/jwks',
      'https://[fd00::1]/jwks',
      'https://[fe80::1]/jwks',
      'https://0.0.0.0/jwks',
    ].map((jwksUrl): [string, (b: Record<string, unknown>) => Record<string, unknown>, string, string] => [
      `jwksUrl ${jwksUrl}`,
      ({ jwks: _j, ...b }) => ({ ...b, jwksUrl }),
      'INVALID_VALUE',
      'jwksUrl',
    ]),
    ['PRIVATE_KEY_JWT without keys', ({ jwks: _j, ...b }) => b, 'REQUIRED_VALUE', 'jwks'],
    ['U+0000 in name', (b) => ({ ...b, name: 'a\u0000b' }), 'INVALID_VALUE', 'name'],
    ['name too long', (b) => ({ ...b, name: 'x'.repeat(257) }), 'SIZE_LIMIT_EXCEEDED', 'name'],
    ['refresh durations inverted', (b) => ({ ...b, grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], refreshTokenDuration: 7200, refreshTokenRollingDuration: 3600 }), 'CONSTRAINT_VIOLATION', 'refreshTokenDuration'],
  ];

  let appId: string;
  let url: string;
  before(async () => {
    appId = await createWebApp();
    url = `/v1/environments/${envId}/applications/${appId}`;
    expectStatus(await h.inject('PUT', url, { body: seedBody(rsaJwks()) }), 200);
  });

  for (const [name, mutate, code, target] of cases) {
    test(`${name} → ${code} on ${target}, stored application unchanged`, async () => {
      const before_ = await h.app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.token}` } });
      const current = JSON.parse(before_.body) as Record<string, unknown>;
      const detail = expectDetail(await h.inject('PUT', url, { body: mutate(seedBody(current.jwks as string)) }), code, target);
      assert.equal(typeof detail.message, 'string');
      assert.doesNotMatch(JSON.stringify(detail), /"d"\s*:/, 'no private key member is echoed');
      const after_ = await h.app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.token}` } });
      assert.equal(after_.body, before_.body, 'the stored application is byte-for-byte unchanged');
      assert.equal(after_.headers.etag, before_.headers.etag);
    });
  }

  test('POST refuses the same keys and jwksUrl values, and creates nothing', async () => {
    const list = `/v1/environments/${envId}/applications`;
    const count = async () => expectStatus(await h.inject('GET', list), 200).body.count as number;
    const before_ = await count();
    const { jwks: _j, ...noKeys } = seedBody('');
    expectDetail(await h.inject('POST', list, { body: seedBody(leadingZeroJwks('n')) }), 'INVALID_VALUE', 'jwks');
    expectDetail(await h.inject('POST', list, { body: seedBody(certJwks({ x5c: [FIXTURE_X5C], x5t: thumbprint('sha1', Buffer.from('x')) })) }), 'INVALID_VALUE', 'jwks');
    expectDetail(await h.inject('POST', list, { body: { ...noKeys, jwksUrl: 'https:/keys.example/jwks' } }), 'INVALID_VALUE', 'jwksUrl');
    const metadata = expectDetail(await h.inject('POST', list, { body: { ...noKeys, jwksUrl: 'https://169.254.169.254/jwks' } }), 'INVALID_VALUE', 'jwksUrl');
    assert.match(String(metadata.message), /link-local/);
    assert.equal(await count(), before_);
  });

  test('accepted: x5c holding the key with matching x5t and x5t#S256; x5t without x5c; public hosts and addresses', async () => {
    const list = `/v1/environments/${envId}/applications`;
    const { jwks: _j, ...noKeys } = seedBody('');
    const matching = certJwks({ x5c: [FIXTURE_X5C], x5t: thumbprint('sha1'), 'x5t#S256': thumbprint('sha256') });
    expectStatus(await h.inject('POST', list, { body: seedBody(matching) }), 201);
    // RFC 7517 §4.8/§4.9 let x5t name a certificate held elsewhere; with none at hand there is nothing to compare.
    expectStatus(await h.inject('POST', list, { body: seedBody(certJwks({ x5t: thumbprint('sha1', Buffer.from('elsewhere')) })) }), 201);
    for (const jwksUrl of ['https://keys.example.com/.well-known/jwks.json', 'https://Keys.Example.com:443/jwks?tenant=a', 'https://93.184.215.14/jwks', 'https://[2606:4700::1111]/jwks']) {
      const created = expectStatus(await h.inject('POST', list, { body: { ...noKeys, jwksUrl } }), 201);
      assert.equal(created.body.jwksUrl, jwksUrl, 'stored as sent');
    }
  });

  test('malformed JSON is 400 INVALID_REQUEST and a non-JSON content type is 415', async () => {
    const bad = await h.app.server.inject({
      method: 'PUT',
      url,
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).code, 'INVALID_REQUEST');
    const text = await h.app.server.inject({
      method: 'PUT',
      url,
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    assert.equal(text.statusCode, 415);
    assert.equal(JSON.parse(text.body).code, 'INVALID_REQUEST');
  });

  test('a body over the 1 MiB limit is 413', async () => {
    const res = await h.inject('PUT', url, { body: { ...seedBody('x'), description: 'x'.repeat(1_100_000) } });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });
});

describe('ETag and If-Match (Keyway extension)', () => {
  test('a PUT naming a stale version gets 412 and writes nothing', async () => {
    const appId = await createWebApp();
    const url = `/v1/environments/${envId}/applications/${appId}`;
    const first = await h.inject('GET', url);
    const etag = first.headers.etag as string;
    assert.match(etag, /^"\d+"$/);
    const updated = expectStatus(await h.inject('PUT', url, { body: seedBody(rsaJwks()), headers: { 'if-match': etag } }), 200);
    assert.notEqual(updated.headers.etag, etag);
    const stale = await h.inject('PUT', url, { body: { ...seedBody(rsaJwks()), name: 'Lost update' }, headers: { 'if-match': etag } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, 'PRECONDITION_FAILED');
    assert.equal((await h.inject('GET', url)).body.name, 'Shared-Web-App');
    const del = await h.inject('DELETE', url, { headers: { 'if-match': etag } });
    assert.equal(del.status, 412);
    expectStatus(await h.inject('DELETE', url, { headers: { 'if-match': updated.headers.etag as string } }), 204);
    expectStatus(await h.inject('GET', url), 404);
  });
});

describe('secret', () => {
  test('rotation keeps the previous secret only when asked, for at most 30 days', async () => {
    const appId = await createWebApp();
    const url = `/v1/environments/${envId}/applications/${appId}/secret`;
    const first = expectStatus(await h.inject('GET', url), 200).body.secret as string;
    assert.equal(first.length, 64);
    const plain = expectStatus(await h.inject('POST', url), 200).body;
    assert.notEqual(plain.secret, first);
    assert.equal(plain.previous, undefined);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const kept = expectStatus(await h.inject('POST', url, { body: { previous: { expiresAt } } }), 200).body;
    assert.equal(kept.previous.secret, plain.secret);
    assert.equal(kept.previous.expiresAt, expiresAt);
    const tooLong = new Date(Date.now() + 31 * 86_400_000).toISOString();
    expectDetail(await h.inject('POST', url, { body: { previous: { expiresAt: tooLong } } }), 'INVALID_VALUE', 'previous.expiresAt');
    assert.equal(expectStatus(await h.inject('GET', url), 200).body.secret, kept.secret, 'a failed rotation changes nothing');
    expectStatus(await h.inject('DELETE', url), 204);
    assert.equal(expectStatus(await h.inject('GET', url), 200).body.previous, undefined);
    expectStatus(await h.inject('DELETE', url), 404);
  });

  test('the rotated secret authenticates at the token endpoint and the old one stops', async () => {
    const created = expectStatus(
      await h.inject('POST', `/v1/environments/${envId}/applications`, {
        body: { name: 'svc', enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' },
      }),
      201,
    );
    const appId = created.body.id as string;
    const url = `/v1/environments/${envId}/applications/${appId}/secret`;
    const old = expectStatus(await h.inject('GET', url), 200).body.secret as string;
    const rotated = expectStatus(await h.inject('POST', url), 200).body.secret as string;
    const post = (secret: string) =>
      h.app.server.inject({
        method: 'POST',
        url: `/${envId}/as/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: secret }).toString(),
      });
    const withOld = await post(old);
    assert.equal(withOld.statusCode, 401);
    assert.equal(JSON.parse(withOld.body).error, 'invalid_client');
    // The application has no grants and no roles: authenticated, but nothing to issue.
    const withNew = await post(rotated);
    assert.equal(withNew.statusCode, 400);
    assert.equal(JSON.parse(withNew.body).error, 'invalid_scope');
  });
});

describe('isolation', () => {
  test('an application id from another environment is 404, everywhere', async () => {
    const other = await createEnvironment(h, 'Other');
    const appId = await createWebApp();
    for (const [method, suffix] of [['GET', ''], ['PUT', ''], ['DELETE', ''], ['GET', '/secret'], ['POST', '/secret']] as const) {
      const res = await h.inject(method, `/v1/environments/${other}/applications/${appId}${suffix}`, {
        ...(method === 'PUT' ? { body: seedBody(rsaJwks()) } : {}),
      });
      assert.equal(res.status, 404, `${method} ${suffix}`);
      assert.equal(res.body.code, 'NOT_FOUND');
    }
    expectStatus(await h.inject('GET', `/v1/environments/${envId}/applications/${appId}`), 200);
  });

  test('no token is 401 ACCESS_FAILED; a garbage token too', async () => {
    const none = await h.inject('GET', `/v1/environments/${envId}/applications`, { token: null });
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'ACCESS_FAILED');
    const garbage = await h.inject('GET', `/v1/environments/${envId}/applications`, { token: 'a.b.c' });
    assert.equal(garbage.status, 401);
    assert.equal(garbage.body.code, 'ACCESS_FAILED');
  });

  test('list pages with a cursor', async () => {
    const env = await createEnvironment(h, 'Paging');
    for (let i = 0; i < 5; i++) {
      expectStatus(await h.inject('POST', `/v1/environments/${env}/applications`, { body: { name: `a${i}`, enabled: true, type: 'WORKER', protocol: 'OPENID_CONNECT' } }), 201);
    }
    const seen: string[] = [];
    let next: string | undefined = `/v1/environments/${env}/applications?limit=2`;
    while (next) {
      const page: Reply["body"] = expectStatus(await h.inject('GET', next), 200).body;
      assert.equal(page.count, 5);
      assert.ok(page.size <= 2);
      seen.push(...(page._embedded.applications as Array<{ id: string }>).map((a) => a.id));
      next = page._links.next ? new URL(page._links.next.href as string).pathname + new URL(page._links.next.href as string).search : undefined;
    }
    assert.equal(new Set(seen).size, 5);
  });
});
