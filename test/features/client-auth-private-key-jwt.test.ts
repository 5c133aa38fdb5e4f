/**
 * PRIVATE_KEY_JWT at /as/token, in-process through `inject`, with real keys from node:crypto and
 * assertions signed by jose: every allow-listed algorithm, access tokens that verify with the
 * environment's JWKS, single use of `jti`, and a representative hostile set that must fail the
 * right way with nothing issued and nothing consumed (RFC 7523 §3, OpenID Connect Core §9,
 * RFC 8725). The exhaustive battery is the unit suite's; this proves the HTTP wiring.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  ASSERTION_ALGS,
  assertionForm,
  clientAuthEvents,
  clientKey,
  createClient,
  createCustomScope,
  createEnvironment,
  expectOAuthError,
  expectStatus,
  issuerOf,
  jwksString,
  postForm,
  signAssertion,
  signWith,
  startInProcess,
  unsecuredAssertion,
  type ClientKey,
  type GrantableScope,
  type InProcess,
  type Reply,
} from '../support/harness.js';

let h: InProcess;
let envId: string;
let issuer: string;
let orders: GrantableScope;

before(async () => {
  h = await startInProcess();
  envId = await createEnvironment(h, 'Private key JWT');
  issuer = issuerOf(h, envId);
  orders = await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read');
});
after(() => h.close());

const token = (form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Reply> =>
  postForm(h, `/${envId}/as/token`, form, headers);

async function pkjwtClient(...keys: ClientKey[]): Promise<string> {
  return createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(...keys) }, orders);
}

async function verifyAccessToken(accessToken: string, clientId: string): Promise<void> {
  const jwks = expectStatus(await h.inject('GET', `/${envId}/as/jwks`, { token: null }), 200).body;
  const { payload, protectedHeader } = await jwtVerify(accessToken, createLocalJWKSet(jwks), {
    issuer,
    audience: orders.audience,
    algorithms: ['RS256'],
  });
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(payload.client_id, clientId);
  assert.equal(payload.scope, orders.scope);
  assert.deepEqual(payload.aud, [orders.audience]);
}

describe('every allow-listed algorithm gets a token', () => {
  let keys: ClientKey[];
  let clientId: string;
  before(async () => {
    keys = await Promise.all(ASSERTION_ALGS.map((alg) => clientKey(alg, `key-${alg}`)));
    clientId = await pkjwtClient(...keys);
  });

  for (const alg of ASSERTION_ALGS) {
    test(`${alg}: one application holding ten keys, the assertion names its key by kid`, async () => {
      const key = keys.find((k) => k.alg === alg) as ClientKey;
      const res = expectStatus(await token(assertionForm(await signWith(key, clientId, { aud: issuer }))), 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.scope, orders.scope);
      await verifyAccessToken(res.body.access_token as string, clientId);
    });
  }

  test('the RFC 9864 name Ed25519 and the typ values JWT / client-authentication+jwt are accepted', async () => {
    const ed = keys.find((k) => k.alg === 'EdDSA') as ClientKey;
    for (const header of [{}, { typ: 'JWT' }, { typ: 'client-authentication+jwt' }, { typ: 'application/client-authentication+jwt' }]) {
      const assertion = await signAssertion(ed.privateKey, 'Ed25519', clientId, { aud: issuer, header: { kid: ed.kid, ...header } });
      expectStatus(await token(assertionForm(assertion)), 200);
    }
  });

  test('a single-key application accepts an assertion without kid; a several-key one refuses it (KID_REQUIRED)', async () => {
    const single = await clientKey('ES256');
    const singleId = await pkjwtClient(single);
    const ok = await token(assertionForm(await signAssertion(single.privateKey, 'ES256', singleId, { aud: issuer })));
    await verifyAccessToken(expectStatus(ok, 200).body.access_token as string, singleId);

    const rs = keys.find((k) => k.alg === 'RS256') as ClientKey;
    const unnamed = await signAssertion(rs.privateKey, 'RS256', clientId, { aud: issuer });
    expectOAuthError(await token(assertionForm(unnamed)), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.some((x) => x.reason === 'KID_REQUIRED'));
    assert.ok(events.some((e) => e.reason === 'KID_REQUIRED' && e.alg === 'RS256' && e.kid === undefined), JSON.stringify(events));
  });
});

describe('jti is single use', () => {
  test('the same assertion replayed is 401 invalid_client, recorded as REPLAYED with kid, alg and audience form', async () => {
    const key = await clientKey('PS256', 'replay-key');
    const clientId = await pkjwtClient(key);
    const assertion = await signWith(key, clientId, { aud: issuer });
    expectStatus(await token(assertionForm(assertion)), 200);
    const replay = await token(assertionForm(assertion));
    expectOAuthError(replay, 401, 'invalid_client');
    assert.deepEqual(replay.body, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.some((x) => x.reason === 'REPLAYED'));
    const replayed = events.find((e) => e.reason === 'REPLAYED');
    assert.ok(replayed, JSON.stringify(events));
    assert.equal(replayed.outcome, 'FAILURE');
    assert.equal(replayed.method, 'PRIVATE_KEY_JWT');
    assert.equal(replayed.kid, 'replay-key');
    assert.equal(replayed.alg, 'PS256');
    assert.equal(replayed.audienceForm, 'ISSUER_STRING');
    assert.equal(replayed.endpoint, `${issuer}/token`);
    assert.ok(!JSON.stringify(events).includes(assertion.split('.')[2] as string), 'the assertion is never recorded');
  });
});

describe('a request refused after authentication consumes nothing', () => {
  test('invalid_scope, then the same assertion with a granted scope gets a token (RFC 6749 §5.2; the jti is recorded last)', async () => {
    const key = await clientKey('ES256');
    const clientId = await pkjwtClient(key);
    const assertion = await signWith(key, clientId, { aud: issuer });
    expectOAuthError(await token(assertionForm(assertion, { scope: 'orders:write' })), 400, 'invalid_scope');
    expectStatus(await token(assertionForm(assertion, { scope: 'orders:read' })), 200);
    expectOAuthError(await token(assertionForm(assertion, { scope: 'orders:read' })), 401, 'invalid_client');
  });

  test('unauthorized_client (no CLIENT_CREDENTIALS) leaves the jti unrecorded', async () => {
    const key = await clientKey('ES256');
    const clientId = await createClient(h, envId, { type: 'WEB_APP', grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: ['https://app.example/cb'], tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) });
    const assertion = await signWith(key, clientId, { aud: issuer });
    expectOAuthError(await token(assertionForm(assertion)), 400, 'unauthorized_client');
    const events = await clientAuthEvents(h, envId, clientId, () => true);
    assert.equal(events.filter((e) => e.outcome === 'FAILURE').length, 0, 'client authentication itself succeeded');
    // Same assertion at introspection: accepted, so it was not consumed by the refused token request.
    const introspected = await postForm(h, `/${envId}/as/introspect`, assertionForm(assertion, { token: 'x' }));
    expectStatus(introspected, 200);
  });

  test('PAR (RFC 9126 §2.1): a pushed request refused as invalid leaves the jti usable for the corrected one', async () => {
    const key = await clientKey('ES256');
    const clientId = await createClient(h, envId, { type: 'WEB_APP', grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: ['https://app.example/cb'], tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) });
    const assertion = await signWith(key, clientId, { aud: issuer });
    const push = (redirectUri: string) => {
      const form = { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, response_type: 'code', scope: 'openid', redirect_uri: redirectUri };
      return postForm(h, `/${envId}/as/par`, form);
    };
    expectOAuthError(await push('https://evil.example/cb'), 400, 'invalid_request');
    const pushed = expectStatus(await push('https://app.example/cb'), 201);
    assert.match(String(pushed.body.request_uri), /^urn:ietf:params:oauth:request_uri:/);
    expectOAuthError(await push('https://app.example/cb'), 401, 'invalid_client');
  });

  test('an unsupported grant_type is refused before the client authenticates', async () => {
    const key = await clientKey('ES256');
    const clientId = await pkjwtClient(key);
    const assertion = await signWith(key, clientId, { aud: issuer });
    expectOAuthError(await token(assertionForm(assertion, { grant_type: 'password' })), 400, 'unsupported_grant_type');
    expectStatus(await token(assertionForm(assertion)), 200);
  });
});

describe('the replay store: atomic and fail-closed', () => {
  test('the same assertion sent five times at once is accepted exactly once', async () => {
    const key = await clientKey('ES256');
    const clientId = await pkjwtClient(key);
    const form = assertionForm(await signWith(key, clientId, { aud: issuer }));
    const replies = await Promise.all(Array.from({ length: 5 }, () => token(form)));
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 401, 401, 401, 401]);
  });

  test('when the jti cannot be recorded: 503 temporarily_unavailable, nothing issued, the jti still usable', async () => {
    const key = await clientKey('ES256');
    const clientId = await pkjwtClient(key);
    const store = h.app.store as unknown as { recordAssertionJti: (...args: unknown[]) => Promise<boolean> };
    const original = store.recordAssertionJti;
    store.recordAssertionJti = () => Promise.reject(new Error('disk full'));
    const form = assertionForm(await signWith(key, clientId, { aud: issuer, jti: 'store-down' }));
    let res: Reply;
    try {
      res = await token(form);
    } finally {
      store.recordAssertionJti = original;
    }
    expectOAuthError(res, 503, 'temporarily_unavailable');
    assert.equal(res.headers['retry-after'], '5');
    assert.ok(!JSON.stringify(res.body).includes('disk full'), 'no internals in the answer');
    expectStatus(await token(form), 200);
  });
});

interface HostileCase {
  title: string;
  /** The request, given the jti to put in the assertion (when it has one). */
  request: (jti: string) => Promise<{ form: Record<string, string> | string; sent?: string }>;
  status: 400 | 401;
  error: 'invalid_client' | 'invalid_request';
  /** The reason recorded for the application; undefined when the failure precedes knowing the client. */
  reason?: string;
  /** Whether a valid assertion with the same jti must succeed afterwards (the failure consumed nothing). */
  jtiReusable: boolean;
}

describe('hostile assertions through HTTP: generic 401/400, nothing issued, nothing consumed', () => {
  let victim: ClientKey;
  let attacker: ClientKey;
  let clientId: string;
  let otherClientId: string;
  let secret: string;
  const now = () => Math.floor(Date.now() / 1000);
  const signed = async (jti: string, opts: Partial<Parameters<typeof signWith>[2]> = {}) => {
    const sent = await signWith(victim, clientId, { aud: issuer, jti, ...opts });
    return { form: assertionForm(sent), sent };
  };

  before(async () => {
    victim = await clientKey('RS256', 'victim-key');
    attacker = await clientKey('RS256', 'attacker-key');
    clientId = await pkjwtClient(victim);
    otherClientId = await pkjwtClient(attacker);
    secret = expectStatus(await h.inject('GET', `/v1/environments/${envId}/applications/${clientId}/secret`), 200).body.secret as string;
  });

  const cases: HostileCase[] = [
    { title: 'alg none', request: async (jti) => ({ form: assertionForm(unsecuredAssertion(clientId, issuer, jti)) }), status: 401, error: 'invalid_client', reason: 'ALG_NOT_ALLOWED', jtiReusable: true },
    { title: 'alg "nOnE"', request: async (jti) => ({ form: assertionForm(unsecuredAssertion(clientId, issuer, jti, 'nOnE')) }), status: 401, error: 'invalid_client', reason: 'ALG_NOT_ALLOWED', jtiReusable: true },
    {
      title: 'HS256 keyed with the registered public key (algorithm confusion)',
      request: async (jti) => {
        const pem = Buffer.from(victim.publicKey.export({ format: 'pem', type: 'spki' }).toString());
        const sent = await signAssertion(pem, 'HS256', clientId, { aud: issuer, jti, header: { kid: victim.kid } });
        return { form: assertionForm(sent), sent };
      },
      status: 401, error: 'invalid_client', reason: 'ALG_NOT_ALLOWED', jtiReusable: true,
    },
    { title: 'unknown kid', request: (jti) => signed(jti, { header: { kid: 'no-such-kid' } }), status: 401, error: 'invalid_client', reason: 'KID_UNKNOWN', jtiReusable: true },
    { title: 'aud of another server', request: (jti) => signed(jti, { aud: 'https://elsewhere.example/as' }), status: 401, error: 'invalid_client', reason: 'AUD_MISMATCH', jtiReusable: true },
    { title: 'aud of another environment', request: (jti) => signed(jti, { aud: issuerOf(h, h.adminEnvId) }), status: 401, error: 'invalid_client', reason: 'AUD_MISMATCH', jtiReusable: true },
    { title: 'expired', request: (jti) => signed(jti, { iat: now() - 600, exp: now() - 120 }), status: 401, error: 'invalid_client', reason: 'EXPIRED', jtiReusable: true },
    { title: 'lifetime over 3600 s', request: (jti) => signed(jti, { exp: now() + 3700 }), status: 401, error: 'invalid_client', reason: 'LIFETIME_TOO_LONG', jtiReusable: true },
    { title: 'typ at+jwt (another kind of JWT)', request: (jti) => signed(jti, { header: { typ: 'at+jwt' } }), status: 401, error: 'invalid_client', reason: 'TYP_INVALID', jtiReusable: true },
    // RFC 7519 §5.2 / RFC 8725 §3.11: cty JWT declares a nested JWT; a client assertion is never one.
    { title: 'cty JWT over an ordinary claims set', request: (jti) => signed(jti, { header: { cty: 'JWT' } }), status: 401, error: 'invalid_client', reason: 'CTY_UNSUPPORTED', jtiReusable: true },
    { title: 'missing jti', request: () => signed('unused', { claims: { jti: undefined } }), status: 401, error: 'invalid_client', reason: 'JTI_MISSING', jtiReusable: false },
    {
      title: 'jwk header carrying the attacker key, signed by it',
      request: async (jti) => {
        const { kid: _kid, ...attackerJwk } = attacker.jwk;
        const sent = await signAssertion(attacker.privateKey, 'RS256', clientId, { aud: issuer, jti, header: { jwk: attackerJwk } });
        return { form: assertionForm(sent), sent };
      },
      status: 401, error: 'invalid_client', reason: 'SIGNATURE_INVALID', jtiReusable: true,
    },
    {
      title: 'signed by another client\'s registered key under the victim\'s kid',
      request: async (jti) => {
        const sent = await signAssertion(attacker.privateKey, 'RS256', clientId, { aud: issuer, jti, header: { kid: victim.kid } });
        return { form: assertionForm(sent), sent };
      },
      status: 401, error: 'invalid_client', reason: 'SIGNATURE_INVALID', jtiReusable: true,
    },
    { title: 'iss differs from sub', request: (jti) => signed(jti, { sub: otherClientId }), status: 401, error: 'invalid_client', jtiReusable: true },
    {
      title: 'client_id parameter names another client',
      request: async (jti) => {
        const { form, sent } = await signed(jti);
        return { form: { ...(form as Record<string, string>), client_id: otherClientId }, sent };
      },
      status: 401, error: 'invalid_client', jtiReusable: true,
    },
    {
      title: 'client_secret_post to a PRIVATE_KEY_JWT application',
      request: async () => ({ form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } }),
      status: 401, error: 'invalid_client', reason: 'METHOD_MISMATCH', jtiReusable: false,
    },
    {
      title: 'client_assertion repeated (RFC 6749 §3.2)',
      request: async (jti) => {
        const { form, sent } = await signed(jti);
        const once = new URLSearchParams(form as Record<string, string>).toString();
        return { form: `${once}&client_assertion=${encodeURIComponent(sent as string)}`, sent };
      },
      status: 400, error: 'invalid_request', jtiReusable: true,
    },
  ];

  const sentAssertions: string[] = [];
  for (const c of cases) {
    test(`${c.title} → ${c.status} ${c.error}${c.reason ? ` (${c.reason})` : ''}`, async () => {
      const jti = `hostile-${randomUUID()}`;
      const { form, sent } = await c.request(jti);
      if (sent) sentAssertions.push(sent);
      const res = await token(form);
      expectOAuthError(res, c.status, c.error);
      if (c.error === 'invalid_client') {
        assert.deepEqual(res.body, { error: 'invalid_client', error_description: 'Client authentication failed' });
        assert.equal(res.headers['www-authenticate'], undefined, 'no Authorization header was used');
      }
      if (c.reason) {
        const events = await clientAuthEvents(h, envId, clientId, (e) => e.some((x) => x.reason === c.reason));
        assert.ok(events.some((e) => e.reason === c.reason && e.outcome === 'FAILURE'), `${c.reason} in ${JSON.stringify(events)}`);
      }
      if (c.jtiReusable) {
        const valid = await token(assertionForm(await signWith(victim, clientId, { aud: issuer, jti })));
        await verifyAccessToken(expectStatus(valid, 200).body.access_token as string, clientId);
      }
    });
  }

  test('the events carry reason, method, kid, alg and audience form, and never the assertion', async () => {
    const events = await clientAuthEvents(h, envId, clientId);
    const byReason = (reason: string) => events.find((e) => e.reason === reason) ?? assert.fail(`no ${reason} in ${JSON.stringify(events)}`);
    assert.deepEqual(
      { ...byReason('KID_UNKNOWN'), id: 0, at: 0, detail: 0 },
      { id: 0, at: 0, detail: 0, outcome: 'FAILURE', reason: 'KID_UNKNOWN', endpoint: `${issuer}/token`, method: 'PRIVATE_KEY_JWT', kid: 'no-such-kid', alg: 'RS256', audienceForm: 'ISSUER_STRING' },
    );
    assert.equal(byReason('AUD_MISMATCH').audienceForm, 'INVALID');
    assert.equal(byReason('EXPIRED').kid, victim.kid);
    assert.equal(byReason('METHOD_MISMATCH').method, 'CLIENT_SECRET_POST');
    assert.ok(events.some((e) => e.reason === 'ALG_NOT_ALLOWED' && e.alg === 'HS256'));
    assert.ok(events.some((e) => e.reason === 'ALG_NOT_ALLOWED' && e.alg === 'none'));
    const text = JSON.stringify(events);
    for (const sent of sentAssertions) {
      const [header, payload, signature] = sent.split('.') as [string, string, string];
      for (const part of [header, payload, signature].filter((p) => p.length > 0)) assert.ok(!text.includes(part), 'no assertion segment is recorded');
    }
    assert.ok(!text.includes(secret), 'no secret is recorded');
  });

  test(
    'failures that name this client only through iss (iss ≠ sub, client_id mismatch) are recorded for it too',
    async () => {
      const events = await clientAuthEvents(h, envId, clientId, (e) => e.some((x) => x.reason === 'ISS_SUB_MISMATCH'));
      assert.ok(events.some((e) => e.reason === 'ISS_SUB_MISMATCH'), JSON.stringify(events.map((e) => e.reason)));
      assert.ok(events.some((e) => e.reason === 'CLIENT_ID_MISMATCH'), JSON.stringify(events.map((e) => e.reason)));
    },
  );
});
