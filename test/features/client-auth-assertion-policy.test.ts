/**
 * The environment's client-authentication settings (Keyway extension
 * `/v1/environments/{envId}/clientAuthenticationSettings`) and the per-application assertion
 * settings, seen through /as/token: audience policies (docs/decisions.md, "Client assertion
 * audience policy": PINGONE_COMPATIBLE, ISSUER_ONLY per RFC 7523bis, ISSUER_ONLY_STRING per
 * FAPI 2.0) with the application override, legacy-audience diagnostics, detailed errors, the
 * `tokenEndpointAuthSigningAlg` pin, clock tolerance and maximum lifetime, and settings
 * validation.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  assertionForm,
  clientAuthEvents,
  clientKey,
  createClient,
  createCustomScope,
  createEnvironment,
  expectDetail,
  expectOAuthError,
  expectStatus,
  issuerOf,
  jwksString,
  postForm,
  signWith,
  startInProcess,
  type ClientKey,
  type GrantableScope,
  type InProcess,
  type Reply,
} from '../support/harness.js';

let h: InProcess;
let envId: string;
let issuer: string;
let tokenEndpoint: string;
let orders: GrantableScope;
let key: ClientKey;

before(async () => {
  h = await startInProcess();
  envId = await createEnvironment(h, 'Assertion policy');
  issuer = issuerOf(h, envId);
  tokenEndpoint = `${issuer}/token`;
  orders = await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read');
  key = await clientKey('ES256', 'policy-key');
});
after(() => h.close());

const settingsUrl = () => `/v1/environments/${envId}/clientAuthenticationSettings`;
const putSettings = async (body: Record<string, unknown>) => expectStatus(await h.inject('PUT', settingsUrl(), { body }), 200).body;
const client = (extra: Record<string, unknown> = {}) =>
  createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key), ...extra }, orders);
const withAud = async (clientId: string, aud: unknown, opts: Partial<Parameters<typeof signWith>[2]> = {}): Promise<Reply> =>
  postForm(h, `/${envId}/as/token`, assertionForm(await signWith(key, clientId, { aud, ...opts })));

describe('clientAuthenticationSettings', () => {
  test('GET shows the defaults; PUT replaces them and answers the result', async () => {
    const initial = expectStatus(await h.inject('GET', settingsUrl()), 200).body;
    assert.deepEqual(
      { policy: initial.clientAssertionAudiencePolicy, tolerance: initial.clockToleranceSeconds, lifetime: initial.maxAssertionLifetimeSeconds, detailed: initial.detailedErrors },
      { policy: 'PINGONE_COMPATIBLE', tolerance: 15, lifetime: 3600, detailed: false },
    );
    assert.deepEqual(initial.environment, { id: envId });
    const updated = await putSettings({ clientAssertionAudiencePolicy: 'ISSUER_ONLY', clockToleranceSeconds: 5 });
    assert.equal(updated.clientAssertionAudiencePolicy, 'ISSUER_ONLY');
    assert.equal(updated.clockToleranceSeconds, 5);
    assert.equal(updated.maxAssertionLifetimeSeconds, 3600);
    assert.deepEqual(expectStatus(await h.inject('GET', settingsUrl()), 200).body, updated);
    await putSettings({});
  });

  const invalid: Array<[string, Record<string, unknown>, string, string]> = [
    ['unknown audience policy', { clientAssertionAudiencePolicy: 'ANY_AUDIENCE' }, 'INVALID_VALUE', 'clientAssertionAudiencePolicy'],
    ['tolerance above 300 s', { clockToleranceSeconds: 301 }, 'OUT_OF_RANGE', 'clockToleranceSeconds'],
    ['negative tolerance', { clockToleranceSeconds: -1 }, 'OUT_OF_RANGE', 'clockToleranceSeconds'],
    ['fractional tolerance', { clockToleranceSeconds: 1.5 }, 'INVALID_VALUE', 'clockToleranceSeconds'],
    ['tolerance as a string', { clockToleranceSeconds: '15' }, 'INVALID_VALUE', 'clockToleranceSeconds'],
    ['lifetime below 60 s', { maxAssertionLifetimeSeconds: 59 }, 'OUT_OF_RANGE', 'maxAssertionLifetimeSeconds'],
    ['lifetime above a day', { maxAssertionLifetimeSeconds: 86_401 }, 'OUT_OF_RANGE', 'maxAssertionLifetimeSeconds'],
    ['detailedErrors not a boolean', { detailedErrors: 'yes' }, 'INVALID_VALUE', 'detailedErrors'],
  ];
  for (const [title, body, code, target] of invalid) {
    test(`${title} → 400 INVALID_DATA ${code} on ${target}, settings unchanged`, async () => {
      const before = expectStatus(await h.inject('GET', settingsUrl()), 200).body;
      expectDetail(await h.inject('PUT', settingsUrl(), { body: { detailedErrors: true, ...body } }), code, target);
      assert.deepEqual(expectStatus(await h.inject('GET', settingsUrl()), 200).body, before);
    });
  }
});

describe('audience policies', () => {
  let clientId: string;
  before(async () => {
    clientId = await client();
  });
  after(() => putSettings({}));

  const cases: Array<[policy: string, label: string, aud: () => unknown, accepted: boolean]> = [
    ['PINGONE_COMPATIBLE', 'the issuer', () => issuer, true],
    ['PINGONE_COMPATIBLE', 'the token endpoint', () => tokenEndpoint, true],
    ['PINGONE_COMPATIBLE', '[issuer, token endpoint]', () => [issuer, tokenEndpoint], true],
    ['PINGONE_COMPATIBLE', '[issuer]', () => [issuer], true],
    ['PINGONE_COMPATIBLE', 'the introspection endpoint (not the endpoint called)', () => `${issuer}/introspect`, false],
    ['PINGONE_COMPATIBLE', 'the issuer with a trailing slash (exact comparison)', () => `${issuer}/`, false],
    ['PINGONE_COMPATIBLE', '[issuer, another server]', () => [issuer, 'https://other.example/as'], false],
    ['ISSUER_ONLY', 'the issuer', () => issuer, true],
    ['ISSUER_ONLY', '[issuer]', () => [issuer], true],
    ['ISSUER_ONLY', 'the token endpoint', () => tokenEndpoint, false],
    ['ISSUER_ONLY', '[issuer, token endpoint]', () => [issuer, tokenEndpoint], false],
    ['ISSUER_ONLY_STRING', 'the issuer', () => issuer, true],
    ['ISSUER_ONLY_STRING', '[issuer]', () => [issuer], false],
    ['ISSUER_ONLY_STRING', 'the token endpoint', () => tokenEndpoint, false],
  ];
  for (const [policy, label, aud, accepted] of cases) {
    test(`${policy} ${accepted ? 'accepts' : 'refuses'} ${label}`, async () => {
      await putSettings({ clientAssertionAudiencePolicy: policy });
      const res = await withAud(clientId, aud());
      if (accepted) expectStatus(res, 200);
      else {
        expectOAuthError(res, 401, 'invalid_client');
        const events = await clientAuthEvents(h, envId, clientId, (e) => e[0]?.reason === 'AUD_MISMATCH');
        assert.equal(events[0]?.reason, 'AUD_MISMATCH');
      }
    });
  }

  test("the application's clientAssertionAudiencePolicy overrides the environment's, both ways", async () => {
    await putSettings({ clientAssertionAudiencePolicy: 'ISSUER_ONLY_STRING' });
    const lenient = await client({ clientAssertionAudiencePolicy: 'PINGONE_COMPATIBLE' });
    expectStatus(await withAud(lenient, tokenEndpoint), 200);
    expectStatus(await withAud(lenient, [issuer, tokenEndpoint]), 200);
    expectOAuthError(await withAud(clientId, tokenEndpoint), 401, 'invalid_client');

    await putSettings({ clientAssertionAudiencePolicy: 'PINGONE_COMPATIBLE' });
    const strict = await client({ clientAssertionAudiencePolicy: 'ISSUER_ONLY' });
    expectOAuthError(await withAud(strict, tokenEndpoint), 401, 'invalid_client');
    expectStatus(await withAud(strict, [issuer]), 200);
    expectStatus(await withAud(clientId, tokenEndpoint), 200);
  });

  test('a success with a legacy audience is recorded as LEGACY_SUCCESS; the issuer string records nothing', async () => {
    await putSettings({});
    const legacy = await client();
    expectStatus(await withAud(legacy, issuer), 200);
    expectStatus(await withAud(legacy, tokenEndpoint), 200);
    const events = await clientAuthEvents(h, envId, legacy, (e) => e.length > 0);
    assert.equal(events.length, 1, JSON.stringify(events));
    const [event] = events as [Record<string, unknown>];
    assert.equal(event.outcome, 'LEGACY_SUCCESS');
    assert.equal(event.reason, 'LEGACY_AUDIENCE');
    assert.equal(event.audienceForm, 'TOKEN_ENDPOINT');
    assert.equal(event.kid, key.kid);
    assert.equal(event.alg, 'ES256');
    assert.equal(event.method, 'PRIVATE_KEY_JWT');
  });
});

describe('detailed errors (opt-in per environment)', () => {
  after(() => putSettings({}));

  test('default: generic description; detailedErrors true: the precise detail; back to generic when turned off', async () => {
    const clientId = await client();
    const generic = await withAud(clientId, 'https://elsewhere.example');
    expectOAuthError(generic, 401, 'invalid_client');

    await putSettings({ detailedErrors: true });
    const detailed = await withAud(clientId, 'https://elsewhere.example');
    assert.equal(detailed.status, 401);
    assert.equal(detailed.body.error, 'invalid_client');
    assert.equal(detailed.headers['cache-control'], 'no-store');
    assert.notEqual(detailed.body.error_description, 'Client authentication failed');
    assert.match(detailed.body.error_description as string, /aud/);
    assert.match(detailed.body.error_description as string, /elsewhere\.example/);

    const expired = await withAud(clientId, issuer, { iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 300 });
    assert.match(expired.body.error_description as string, /exp .* in the past/);

    await putSettings({ detailedErrors: false });
    expectOAuthError(await withAud(clientId, 'https://elsewhere.example'), 401, 'invalid_client');
  });

  test("one environment's detailedErrors does not change another's answers", async () => {
    await putSettings({ detailedErrors: true });
    const otherEnv = await createEnvironment(h, 'Generic elsewhere');
    const otherScope = await createCustomScope(h, otherEnv, 'o', 'https://o.example', 'o:read');
    const otherClient = await createClient(h, otherEnv, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) }, otherScope);
    const res = await postForm(h, `/${otherEnv}/as/token`, assertionForm(await signWith(key, otherClient, { aud: 'https://elsewhere.example' })));
    expectOAuthError(res, 401, 'invalid_client');
  });
});

describe('clock tolerance and maximum lifetime', () => {
  after(() => putSettings({}));
  const now = () => Math.floor(Date.now() / 1000);

  test('an exp 5 s past passes the default 15 s tolerance, and fails with tolerance 0 (EXPIRED)', async () => {
    const clientId = await client();
    expectStatus(await withAud(clientId, issuer, { iat: now() - 30, exp: now() - 5 }), 200);
    await putSettings({ clockToleranceSeconds: 0 });
    expectOAuthError(await withAud(clientId, issuer, { iat: now() - 30, exp: now() - 5 }), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e[0]?.reason === 'EXPIRED');
    assert.equal(events[0]?.reason, 'EXPIRED');
  });

  test('maxAssertionLifetimeSeconds 120 refuses exp 300 s ahead (LIFETIME_TOO_LONG) and accepts 100 s', async () => {
    await putSettings({ maxAssertionLifetimeSeconds: 120 });
    const clientId = await client();
    expectOAuthError(await withAud(clientId, issuer, { exp: now() + 300 }), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e[0]?.reason === 'LIFETIME_TOO_LONG');
    assert.equal(events[0]?.reason, 'LIFETIME_TOO_LONG');
    expectStatus(await withAud(clientId, issuer, { exp: now() + 100 }), 200);
  });
});

describe('tokenEndpointAuthSigningAlg pins the assertion alg', () => {
  test('pinned PS256: an RS256 assertion with the same key is refused (ALG_PIN_MISMATCH), PS256 passes', async () => {
    const rsa = await clientKey('RS256', 'pinned-rsa');
    const { alg: _alg, ...unlabelled } = rsa.jwk;
    const clientId = await createClient(
      h,
      envId,
      { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: JSON.stringify({ keys: [unlabelled] }), tokenEndpointAuthSigningAlg: 'PS256' },
      orders,
    );
    const res = await postForm(h, `/${envId}/as/token`, assertionForm(await signWith(rsa, clientId, { aud: issuer })));
    expectOAuthError(res, 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'ALG_PIN_MISMATCH');
    assert.equal(events[0]?.alg, 'RS256');
    const ps = { ...rsa, alg: 'PS256' as const };
    expectStatus(await postForm(h, `/${envId}/as/token`, assertionForm(await signWith(ps, clientId, { aud: issuer }))), 200);
  });

  test('a pin no registered key can verify, or outside the method allow-list, is 400 INVALID_DATA', async () => {
    const body = { name: 'pin', enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) };
    const url = `/v1/environments/${envId}/applications`;
    expectDetail(await h.inject('POST', url, { body: { ...body, tokenEndpointAuthSigningAlg: 'RS256' } }), 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthSigningAlg');
    expectDetail(await h.inject('POST', url, { body: { ...body, tokenEndpointAuthSigningAlg: 'HS256' } }), 'INVALID_VALUE', 'tokenEndpointAuthSigningAlg');
    expectDetail(await h.inject('POST', url, { body: { ...body, tokenEndpointAuthSigningAlg: 'none' } }), 'INVALID_VALUE', 'tokenEndpointAuthSigningAlg');
  });
});
