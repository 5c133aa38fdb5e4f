/**
 * CLIENT_SECRET_JWT at /as/token (RFC 7523 §2.2 with an HMAC over the client secret, OpenID
 * Connect Core §9): HS256/384/512 with the secret read from `GET .../secret`, the previous secret
 * during a rotation's grace period (and not after it), and no asymmetric algorithm.
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
  expectOAuthError,
  expectStatus,
  issuerOf,
  jwtPayload,
  postForm,
  signAssertion,
  startInProcess,
  type GrantableScope,
  type InProcess,
  type Reply,
} from '../support/harness.js';

// The app's clock: real time plus an offset the tests move forward.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

let h: InProcess;
let envId: string;
let issuer: string;
let orders: GrantableScope;

before(async () => {
  h = await startInProcess({ now: clock });
  envId = await createEnvironment(h, 'Client secret JWT');
  issuer = issuerOf(h, envId);
  orders = await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read');
});
after(() => h.close());

const secretUrl = (appId: string) => `/v1/environments/${envId}/applications/${appId}/secret`;
const readSecret = async (appId: string) => expectStatus(await h.inject('GET', secretUrl(appId)), 200).body.secret as string;
const secretJwtClient = (extra: Record<string, unknown> = {}) => createClient(h, envId, { tokenEndpointAuthMethod: 'CLIENT_SECRET_JWT', ...extra }, orders);

async function withSecret(clientId: string, secret: string, alg = 'HS256', opts: { jti?: string } = {}): Promise<Reply> {
  const assertion = await signAssertion(Buffer.from(secret, 'utf8'), alg, clientId, { aud: issuer, now: clock(), ...opts });
  return postForm(h, `/${envId}/as/token`, assertionForm(assertion));
}

describe('CLIENT_SECRET_JWT', () => {
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    test(`${alg} signed with the secret from GET .../secret gets a token`, async () => {
      const clientId = await secretJwtClient();
      const res = expectStatus(await withSecret(clientId, await readSecret(clientId), alg), 200);
      assert.equal(res.body.scope, orders.scope);
      assert.equal(jwtPayload(res.body.access_token as string).client_id, clientId);
    });
  }

  test('a wrong secret is SIGNATURE_INVALID; the same jti then works with the right secret (nothing consumed)', async () => {
    const clientId = await secretJwtClient();
    const jti = 'csj-not-consumed';
    expectOAuthError(await withSecret(clientId, 'not-the-secret-but-long-enough-0123456789', 'HS256', { jti }), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'SIGNATURE_INVALID');
    assert.equal(events[0]?.method, 'CLIENT_SECRET_JWT');
    assert.equal(events[0]?.alg, 'HS256');
    expectStatus(await withSecret(clientId, await readSecret(clientId), 'HS256', { jti }), 200);
  });

  test('the jti is single use for CLIENT_SECRET_JWT too', async () => {
    const clientId = await secretJwtClient();
    const assertion = await signAssertion(Buffer.from(await readSecret(clientId)), 'HS256', clientId, { aud: issuer, now: clock() });
    expectStatus(await postForm(h, `/${envId}/as/token`, assertionForm(assertion)), 200);
    expectOAuthError(await postForm(h, `/${envId}/as/token`, assertionForm(assertion)), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'REPLAYED');
  });

  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    test(`${alg} is refused for a CLIENT_SECRET_JWT application (ALG_NOT_ALLOWED)`, async () => {
      const clientId = await secretJwtClient();
      const key = await clientKey(alg);
      const res = await postForm(h, `/${envId}/as/token`, assertionForm(await signAssertion(key.privateKey, alg, clientId, { aud: issuer, now: clock() })));
      expectOAuthError(res, 401, 'invalid_client');
      const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
      assert.equal(events[0]?.reason, 'ALG_NOT_ALLOWED');
    });
  }

  test('HS256 is refused for a PRIVATE_KEY_JWT application even when keyed with its client secret', async () => {
    const key = await clientKey('RS256');
    const clientId = await createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: JSON.stringify({ keys: [key.jwk] }) }, orders);
    expectOAuthError(await withSecret(clientId, await readSecret(clientId)), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'ALG_NOT_ALLOWED');
  });

  test('cty JWT over an ordinary claims set is refused (RFC 7519 §5.2, RFC 8725 §3.11: CTY_UNSUPPORTED); the jti stays unused', async () => {
    const clientId = await secretJwtClient();
    const secret = Buffer.from(await readSecret(clientId), 'utf8');
    const jti = `csj-cty-${clientId}`;
    const nested = await signAssertion(secret, 'HS256', clientId, { aud: issuer, now: clock(), jti, header: { cty: 'JWT' } });
    expectOAuthError(await postForm(h, `/${envId}/as/token`, assertionForm(nested)), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'CTY_UNSUPPORTED');
    assert.equal(events[0]?.method, 'CLIENT_SECRET_JWT');
    expectStatus(await postForm(h, `/${envId}/as/token`, assertionForm(await signAssertion(secret, 'HS256', clientId, { aud: issuer, now: clock(), jti }))), 200);
  });

  test('client_secret_basic to a CLIENT_SECRET_JWT application is METHOD_MISMATCH', async () => {
    const clientId = await secretJwtClient();
    expectOAuthError(await h.clientCredentials(envId, clientId, await readSecret(clientId)), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'METHOD_MISMATCH');
  });

  test('tokenEndpointAuthSigningAlg HS512 refuses HS256 (ALG_PIN_MISMATCH)', async () => {
    const clientId = await secretJwtClient({ tokenEndpointAuthSigningAlg: 'HS512' });
    const secret = await readSecret(clientId);
    expectOAuthError(await withSecret(clientId, secret, 'HS256'), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'ALG_PIN_MISMATCH');
    expectStatus(await withSecret(clientId, secret, 'HS512'), 200);
  });
});

describe('secret rotation', () => {
  after(() => {
    offsetMs = 0;
  });

  test('with previous.expiresAt both secrets work; ending the previous one early stops it', async () => {
    const clientId = await secretJwtClient();
    const old = await readSecret(clientId);
    const expiresAt = new Date(clock().getTime() + 24 * 3600_000).toISOString();
    const rotated = expectStatus(await h.inject('POST', secretUrl(clientId), { body: { previous: { expiresAt } } }), 200).body;
    assert.notEqual(rotated.secret, old);
    assert.equal(rotated.previous?.secret, old);
    expectStatus(await withSecret(clientId, rotated.secret as string, 'HS256'), 200);
    expectStatus(await withSecret(clientId, old, 'HS384'), 200);

    expectStatus(await h.inject('DELETE', secretUrl(clientId)), 204);
    expectOAuthError(await withSecret(clientId, old), 401, 'invalid_client');
    expectStatus(await withSecret(clientId, rotated.secret as string), 200);
  });

  test('without previous the old secret stops at once', async () => {
    const clientId = await secretJwtClient();
    const old = await readSecret(clientId);
    const rotated = expectStatus(await h.inject('POST', secretUrl(clientId)), 200).body;
    expectOAuthError(await withSecret(clientId, old), 401, 'invalid_client');
    expectStatus(await withSecret(clientId, rotated.secret as string), 200);
  });

  test('the previous secret stops working once previous.expiresAt has passed', async () => {
    const clientId = await secretJwtClient();
    const old = await readSecret(clientId);
    const expiresAt = new Date(clock().getTime() + 3600_000).toISOString();
    const rotated = expectStatus(await h.inject('POST', secretUrl(clientId), { body: { previous: { expiresAt } } }), 200).body;
    expectStatus(await withSecret(clientId, old), 200);
    offsetMs += 2 * 3600_000;
    expectOAuthError(await withSecret(clientId, old), 401, 'invalid_client');
    expectStatus(await withSecret(clientId, rotated.secret as string), 200);
  });
});
