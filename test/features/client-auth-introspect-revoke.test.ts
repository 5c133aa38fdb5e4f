/**
 * Token introspection (RFC 7662) and revocation (RFC 7009) behind the shared client
 * authentication: active and inactive answers, client authentication required, revocation only
 * by the owning client, revoked management tokens refused, and private_key_jwt assertions whose
 * `aud` is the endpoint's own URL (PINGONE_COMPATIBLE), with one jti space across endpoints.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  assignRole,
  clientAuthEvents,
  clientKey,
  createApp,
  createClient,
  createCustomScope,
  createEnvironment,
  expectOAuthError,
  expectStatus,
  issuerOf,
  jwksString,
  JWT_BEARER,
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
let orders: GrantableScope;
let key: ClientKey;
/** PRIVATE_KEY_JWT client. */
let owner: string;
/** CLIENT_SECRET_BASIC client of the same environment. */
let other: { id: string; secret: string };

before(async () => {
  h = await startInProcess();
  envId = await createEnvironment(h, 'Introspect and revoke');
  issuer = issuerOf(h, envId);
  orders = await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read');
  key = await clientKey('ES256', 'owner-key');
  owner = await createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) }, orders);
  const otherId = await createClient(h, envId, {}, orders);
  other = { id: otherId, secret: expectStatus(await h.inject('GET', `/v1/environments/${envId}/applications/${otherId}/secret`), 200).body.secret as string };
});
after(() => h.close());

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

/** A form authenticated by the owner's assertion, `aud` defaulting to the endpoint's own URL. */
async function asOwner(endpoint: 'introspect' | 'revoke' | 'token', params: Record<string, string>, opts: { aud?: unknown; jti?: string } = {}) {
  const assertion = await signWith(key, owner, { aud: opts.aud ?? `${issuer}/${endpoint}`, ...(opts.jti === undefined ? {} : { jti: opts.jti }) });
  return { ...params, client_assertion_type: JWT_BEARER, client_assertion: assertion };
}

const call = (endpoint: 'introspect' | 'revoke' | 'token', form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Reply> =>
  postForm(h, `/${envId}/as/${endpoint}`, form, headers);

async function ownerToken(): Promise<string> {
  const res = await call('token', await asOwner('token', { grant_type: 'client_credentials' }, { aud: issuer }));
  return expectStatus(res, 200).body.access_token as string;
}

describe('introspection (RFC 7662)', () => {
  test('a fresh token is active with its claims; authenticated by private_key_jwt with aud = .../as/introspect', async () => {
    const token = await ownerToken();
    const res = expectStatus(await call('introspect', await asOwner('introspect', { token })), 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body.active, true);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.client_id, owner);
    assert.equal(res.body.scope, orders.scope);
    assert.equal(res.body.iss, issuer);
    assert.deepEqual(res.body.aud, [orders.audience]);
    assert.equal(typeof res.body.exp, 'number');
    assert.equal(typeof res.body.iat, 'number');
    assert.equal(typeof res.body.jti, 'string');
  });

  test('garbage, tampered and foreign tokens are {"active": false}', async () => {
    const token = await ownerToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, scope: 'admin' })).toString('base64url')}.${signature}`;
    for (const candidate of ['garbage', 'a.b.c', tampered, h.token]) {
      const res = expectStatus(await call('introspect', { token: candidate }, basic(other.id, other.secret)), 200);
      assert.deepEqual(res.body, { active: false }, candidate.slice(0, 20));
    }
  });

  test('another client of the environment may introspect (resource servers are applications)', async () => {
    const token = await ownerToken();
    const res = expectStatus(await call('introspect', { token }, basic(other.id, other.secret)), 200);
    assert.equal(res.body.active, true);
  });

  test('client authentication is required: none → 401; a wrong secret → 401 with WWW-Authenticate', async () => {
    const token = await ownerToken();
    expectOAuthError(await call('introspect', { token }), 401, 'invalid_client');
    const wrong = await call('introspect', { token }, basic(other.id, 'wrong-secret'));
    expectOAuthError(wrong, 401, 'invalid_client');
    assert.match(String(wrong.headers['www-authenticate']), /^Basic/);
    expectOAuthError(await call('introspect', { token: 'x', client_id: owner }), 401, 'invalid_client');
  });

  test('a missing token parameter is invalid_request', async () => {
    expectOAuthError(await call('introspect', {}, basic(other.id, other.secret)), 400, 'invalid_request');
  });
});

describe('revocation (RFC 7009)', () => {
  test('by the owning client (aud = .../as/revoke): 200, then introspection says inactive; revoking again is 200', async () => {
    const token = await ownerToken();
    const res = expectStatus(await call('revoke', await asOwner('revoke', { token })), 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body, undefined);
    assert.deepEqual(expectStatus(await call('introspect', { token }, basic(other.id, other.secret)), 200).body, { active: false });
    expectStatus(await call('revoke', await asOwner('revoke', { token, token_type_hint: 'access_token' })), 200);
  });

  test('by another client: 400 unauthorized_client, and the token stays active', async () => {
    const token = await ownerToken();
    expectOAuthError(await call('revoke', { token }, basic(other.id, other.secret)), 400, 'unauthorized_client');
    assert.equal(expectStatus(await call('introspect', { token }, basic(other.id, other.secret)), 200).body.active, true);
  });

  test('an unknown or malformed token: 200', async () => {
    expectStatus(await call('revoke', { token: 'no-such-token' }, basic(other.id, other.secret)), 200);
    expectStatus(await call('revoke', await asOwner('revoke', { token: 'x.y.z' })), 200);
  });

  test('client authentication is required: none → 401, nothing revoked', async () => {
    const token = await ownerToken();
    expectOAuthError(await call('revoke', { token }), 401, 'invalid_client');
    expectOAuthError(await call('revoke', { token, client_id: owner }), 401, 'invalid_client');
    assert.equal(expectStatus(await call('introspect', { token }, basic(other.id, other.secret)), 200).body.active, true);
  });

  test('a revoked management token no longer opens the management API', async () => {
    const admin = await createApp(h, h.adminEnvId, 'revocable-admin');
    const organizationAdmin = '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d01';
    expectStatus(await assignRole(h, h.adminEnvId, admin.id, organizationAdmin, { type: 'ORGANIZATION', id: h.organizationId }), 201);
    const token = expectStatus(await h.clientCredentials(h.adminEnvId, admin.id, admin.secret), 200).body.access_token as string;
    expectStatus(await h.inject('GET', '/v1/environments', { token }), 200);
    expectStatus(await postForm(h, `/${h.adminEnvId}/as/revoke`, { token }, basic(admin.id, admin.secret)), 200);
    const refused = await h.inject('GET', '/v1/environments', { token });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'ACCESS_FAILED');
  });
});

describe('assertion audiences and jti across endpoints', () => {
  test('introspect accepts aud = issuer or token endpoint, refuses the revocation URL (AUD_MISMATCH)', async () => {
    const token = await ownerToken();
    expectStatus(await call('introspect', await asOwner('introspect', { token }, { aud: issuer })), 200);
    expectStatus(await call('introspect', await asOwner('introspect', { token }, { aud: `${issuer}/token` })), 200);
    expectOAuthError(await call('introspect', await asOwner('introspect', { token }, { aud: `${issuer}/revoke` })), 401, 'invalid_client');
    expectOAuthError(await call('revoke', await asOwner('revoke', { token }, { aud: `${issuer}/introspect` })), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, owner, (e) => e.filter((x) => x.reason === 'AUD_MISMATCH').length >= 2);
    const mismatches = events.filter((e) => e.reason === 'AUD_MISMATCH');
    assert.deepEqual(new Set(mismatches.map((e) => e.endpoint)), new Set([`${issuer}/introspect`, `${issuer}/revoke`]));
    assert.equal(expectStatus(await call('introspect', { token }, basic(other.id, other.secret)), 200).body.active, true, 'the failed revoke revoked nothing');
  });

  test('the endpoint URL as aud is a legacy form, recorded with the endpoint', async () => {
    const token = await ownerToken();
    expectStatus(await call('introspect', await asOwner('introspect', { token })), 200);
    const events = await clientAuthEvents(h, envId, owner, (e) => e.some((x) => x.outcome === 'LEGACY_SUCCESS' && x.audienceForm === 'ENDPOINT_URL'));
    const legacy = events.find((e) => e.outcome === 'LEGACY_SUCCESS' && e.audienceForm === 'ENDPOINT_URL');
    assert.ok(legacy, JSON.stringify(events));
    assert.ok([`${issuer}/introspect`, `${issuer}/revoke`].includes(legacy.endpoint as string));
  });

  test('ISSUER_ONLY on the application refuses the endpoint URL at introspect', async () => {
    const strict = await createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key), clientAssertionAudiencePolicy: 'ISSUER_ONLY' }, orders);
    const form = async (aud: string) => ({ token: 'x', client_assertion_type: JWT_BEARER, client_assertion: await signWith(key, strict, { aud }) });
    expectOAuthError(await call('introspect', await form(`${issuer}/introspect`)), 401, 'invalid_client');
    expectStatus(await call('introspect', await form(issuer)), 200);
  });

  test('a jti used at /as/introspect cannot be replayed at /as/token or /as/revoke', async () => {
    const token = await ownerToken();
    const assertion = await signWith(key, owner, { aud: issuer });
    const auth = { client_assertion_type: JWT_BEARER, client_assertion: assertion };
    expectStatus(await call('introspect', { token, ...auth }), 200);
    expectOAuthError(await call('token', { grant_type: 'client_credentials', ...auth }), 401, 'invalid_client');
    expectOAuthError(await call('revoke', { token, ...auth }), 401, 'invalid_client');
    assert.equal(expectStatus(await call('introspect', { token }, basic(other.id, other.secret)), 200).body.active, true);
  });

  test('a failed assertion at introspect consumes nothing: the same jti then succeeds', async () => {
    const token = await ownerToken();
    expectOAuthError(await call('introspect', await asOwner('introspect', { token }, { aud: 'https://elsewhere.example', jti: 'introspect-once' })), 401, 'invalid_client');
    expectStatus(await call('introspect', await asOwner('introspect', { token }, { jti: 'introspect-once' })), 200);
  });
});
