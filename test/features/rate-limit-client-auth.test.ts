/**
 * Failed client authentications are rate limited (docs/decisions.md, "Failed authentications are
 * rate limited"): per (environment, client, source address), and per (environment, source) at ten
 * times that, at every endpoint that authenticates clients (token, introspect, revoke, par). A
 * limited request answers 429 `temporarily_unavailable` with `Retry-After` (RFC 6585 §4) and
 * consumes nothing. The app runs on a test clock with a budget of 5 failures per minute.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import {
  clientAuthEvents,
  clientKey,
  createClient,
  createCustomScope,
  createEnvironment,
  expectOAuthError,
  expectStatus,
  issuerOf,
  jwksString,
  JWT_BEARER,
  signWith,
  startInProcess,
  type ClientKey,
  type GrantableScope,
  type InProcess,
  type Reply,
} from '../support/harness.js';

const LIMIT = 5;
/** RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/;

let h: InProcess;
let clockMs = Date.now();
const now = (): Date => new Date(clockMs);

let envA: string;
let envB: string;
/** Each environment's scope that its clients are granted, so client_credentials can issue. */
const scopes = new Map<string, GrantableScope>();
let key: ClientKey;
/** A key with the same kid that the applications never registered: its signatures fail. */
let forged: ClientKey;

before(async () => {
  h = await startInProcess({ now, env: { KEYWAY_RATE_LIMIT_CLIENT_AUTH: String(LIMIT) } });
  envA = await createEnvironment(h, 'Rate limit A');
  envB = await createEnvironment(h, 'Rate limit B');
  for (const envId of [envA, envB]) scopes.set(envId, await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read'));
  key = await clientKey('ES256', 'rate-limit-key');
  forged = await clientKey('ES256', 'rate-limit-key');
});
after(() => h.close());

/** A PRIVATE_KEY_JWT client of `envId` registered with `key`. */
const pkjClient = (envId: string): Promise<string> => createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) }, scopes.get(envId));

type Endpoint = 'token' | 'introspect' | 'revoke' | 'par';

/** The form an endpoint needs besides client authentication. */
const ENDPOINT_PARAMS: Record<Endpoint, Record<string, string>> = {
  token: { grant_type: 'client_credentials', scope: 'orders:read' },
  introspect: { token: 'not-a-token' },
  revoke: { token: 'not-a-token' },
  par: { response_type: 'code', redirect_uri: 'https://app.example/callback', scope: 'openid' },
};

/** POSTs to `/{envId}/as/{endpoint}` from the peer address `from`. */
async function post(envId: string, endpoint: Endpoint, form: Record<string, string>, from: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await h.app.server.inject({
    method: 'POST',
    url: `/${envId}/as/${endpoint}`,
    remoteAddress: from,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

/** An assertion of `clientId` signed with `signer` (the registered key or the forged one). */
async function assertionForm(envId: string, clientId: string, endpoint: Endpoint, signer: ClientKey, jti?: string): Promise<Record<string, string>> {
  const iat = Math.floor(clockMs / 1000);
  const assertion = await signWith(signer, clientId, { aud: issuerOf(h, envId), iat, exp: iat + 300, ...(jti === undefined ? {} : { jti }) });
  return { ...ENDPOINT_PARAMS[endpoint], client_assertion_type: JWT_BEARER, client_assertion: assertion };
}

const fail = async (envId: string, clientId: string, from: string, endpoint: Endpoint = 'token'): Promise<Reply> =>
  post(envId, endpoint, await assertionForm(envId, clientId, endpoint, forged), from);

const succeed = async (envId: string, clientId: string, from: string): Promise<Reply> =>
  post(envId, 'token', await assertionForm(envId, clientId, 'token', key), from);

/** Spends the client's budget from `from`: LIMIT answers of 401 invalid_client. */
async function spendBudget(envId: string, clientId: string, from: string, endpoint: Endpoint = 'token'): Promise<void> {
  for (let i = 0; i < LIMIT; i++) expectOAuthError(await fail(envId, clientId, from, endpoint), 401, 'invalid_client');
}

function expectLimited(reply: Reply, retryAfter: number): void {
  expectOAuthError(reply, 429, 'temporarily_unavailable');
  assert.equal(reply.headers['retry-after'], String(retryAfter));
  assert.equal(reply.body.error_description, 'Too many failed client authentications; retry later');
  assert.match(reply.body.error_description, DESCRIPTION_CHARSET);
  assert.deepEqual(Object.keys(reply.body).sort(), ['error', 'error_description']);
}

describe('failed client authentication is limited per (environment, client, source address)', () => {
  test('RFC 6585 §4: after the budget a request gets 429 with Retry-After; even a valid assertion is refused without consuming its jti, and accepted once the window ends', async () => {
    const client = await pkjClient(envA);
    const from = '198.51.100.10';
    await spendBudget(envA, client, from);
    const jti = randomUUID();
    const valid = await assertionForm(envA, client, 'token', key, jti);
    expectLimited(await post(envA, 'token', valid, from), 60);
    clockMs += 30_000;
    expectLimited(await post(envA, 'token', valid, from), 30);
    clockMs += 30_000;
    // The same assertion, same jti (RFC 7523 §3 single use): it was never recorded while refused.
    const res = expectStatus(await post(envA, 'token', valid, from), 200);
    assert.equal(typeof res.body.access_token, 'string');
    expectOAuthError(await post(envA, 'token', valid, from), 401, 'invalid_client');
  });

  test('another address, the same address as another client, and the same client id in another environment go on', async () => {
    const victim = await pkjClient(envA);
    const neighbour = await pkjClient(envA);
    const attacker = '198.51.100.20';
    await spendBudget(envA, victim, attacker);
    expectLimited(await fail(envA, victim, attacker), 60);
    // The victim, calling from its own address, is not locked out by someone failing as it.
    expectStatus(await succeed(envA, victim, '192.0.2.20'), 200);
    // The attacker's address as another client of the same environment.
    expectStatus(await succeed(envA, neighbour, attacker), 200);
    // Environment B: its own clients, and the victim's id there (unknown in B, so 401, not 429).
    expectStatus(await succeed(envB, await pkjClient(envB), attacker), 200);
    expectOAuthError(await fail(envB, victim, attacker), 401, 'invalid_client');
  });

  test('IPv6 sources count by /64: the rest of the /64 is limited with it, the next /64 is not', async () => {
    const client = await pkjClient(envA);
    await spendBudget(envA, client, '2001:db8:7:1::1');
    expectLimited(await succeed(envA, client, '2001:db8:7:1:ffff:ffff:ffff:fffe'), 60);
    expectStatus(await succeed(envA, client, '2001:db8:7:2::1'), 200);
  });

  test('successes cost no budget: a client may authenticate far more often than the limit', async () => {
    const client = await pkjClient(envA);
    for (let i = 0; i < LIMIT * 4; i++) expectStatus(await succeed(envA, client, '192.0.2.30'), 200);
    expectOAuthError(await fail(envA, client, '192.0.2.30'), 401, 'invalid_client');
  });

  for (const endpoint of ['introspect', 'revoke', 'par'] as const) {
    test(`/as/${endpoint} counts and refuses alike (${endpoint === 'par' ? 'RFC 9126 §2.1' : endpoint === 'revoke' ? 'RFC 7009 §2.1' : 'RFC 7662 §2.1'} authenticates the client as the token endpoint does)`, async () => {
      const client = await pkjClient(envA);
      const from = `198.51.100.${endpoint.length + 40}`;
      await spendBudget(envA, client, from, endpoint);
      expectLimited(await post(envA, endpoint, await assertionForm(envA, client, endpoint, key), from), 60);
      // One budget per client and source, whichever endpoint spent it.
      expectLimited(await succeed(envA, client, from), 60);
    });
  }

  test('client_secret_basic failures count too, and a limited request checks no secret', async () => {
    const created = await createClient(h, envA, {}, scopes.get(envA));
    const secret = expectStatus(await h.inject('GET', `/v1/environments/${envA}/applications/${created}/secret`), 200).body.secret as string;
    const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(`${created}:${s}`).toString('base64')}` });
    const from = '198.51.100.60';
    for (let i = 0; i < LIMIT; i++) expectOAuthError(await post(envA, 'token', ENDPOINT_PARAMS.token, from, basic('wrong')), 401, 'invalid_client');
    expectLimited(await post(envA, 'token', ENDPOINT_PARAMS.token, from, basic(secret)), 60);
    expectStatus(await post(envA, 'token', ENDPOINT_PARAMS.token, '198.51.100.61', basic(secret)), 200);
  });
});

describe('what a limited request leaves behind', () => {
  test('nothing: the failure that spends the budget is recorded once as RATE_LIMITED, the refused requests not at all', async () => {
    const client = await pkjClient(envA);
    const from = '203.0.113.70';
    await spendBudget(envA, client, from);
    const settled = (events: Array<Record<string, any>>) => events.length === LIMIT + 1;
    const events = await clientAuthEvents(h, envA, client, settled);
    assert.equal(events.filter((e) => e.reason === 'RATE_LIMITED').length, 1);
    assert.equal(events.filter((e) => e.reason === 'SIGNATURE_INVALID').length, LIMIT);
    const limited = events.find((e) => e.reason === 'RATE_LIMITED')!;
    assert.equal(limited.outcome, 'FAILURE');
    assert.match(limited.detail, /203\.0\.113\.70/);
    for (let i = 0; i < 20; i++) expectLimited(await fail(envA, client, from), 60);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await clientAuthEvents(h, envA, client)).length, LIMIT + 1);
  });
});

describe('failed client authentication is limited per (environment, source address)', () => {
  test('one address failing as many clients is refused after ten times the client budget, as any client; other addresses go on', async () => {
    const client = await pkjClient(envA);
    const sprayer = '198.51.100.80';
    for (let i = 0; i < LIMIT * 10; i++) expectOAuthError(await fail(envA, randomUUID(), sprayer), 401, 'invalid_client');
    expectLimited(await fail(envA, randomUUID(), sprayer), 60);
    expectLimited(await succeed(envA, client, sprayer), 60);
    // No credentials at all: refused before anything is read.
    expectLimited(await post(envA, 'token', ENDPOINT_PARAMS.token, sprayer), 60);
    expectStatus(await succeed(envA, client, '198.51.100.81'), 200);
    // Environment B does not share A's count for that address.
    expectStatus(await succeed(envB, await pkjClient(envB), sprayer), 200);
    clockMs += 60_000;
    expectStatus(await succeed(envA, client, sprayer), 200);
  });
});

describe('KEYWAY_RATE_LIMIT_CLIENT_AUTH=off and KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH=off', () => {
  test('nothing is limited', async () => {
    const off = await startInProcess({ env: { KEYWAY_RATE_LIMIT_CLIENT_AUTH: 'off', KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH: 'off' } });
    try {
      const envId = off.adminEnvId;
      for (let i = 0; i < 100; i++) {
        const res = await off.app.server.inject({
          method: 'POST',
          url: `/${envId}/as/token`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${randomUUID()}:x`).toString('base64')}` },
          payload: 'grant_type=client_credentials',
        });
        assert.equal(res.statusCode, 401);
        assert.equal(expectStatus(await off.inject('GET', '/v1/environments', { token: `random.${i}.token` }), 401).body.code, 'ACCESS_FAILED');
      }
    } finally {
      await off.close();
    }
  });
});
