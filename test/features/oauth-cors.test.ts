/**
 * Cross-origin access (Fetch standard, "CORS protocol"), as PingOne's: the token-bearing endpoints
 * answer every origin without credentials, so that a single-page application can exchange its code
 * and call userinfo; the session-cookie endpoints answer only the origins of the application's
 * corsSettings, with credentials; the sign-on page and the management API answer none.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { startInProcess, type InProcess } from '../support/harness.js';

const ORIGIN = 'https://spa.example.org';
let h: InProcess;
let env: string;

before(async () => {
  h = await startInProcess();
  env = h.adminEnvId;
});
after(() => h?.close());

async function send(method: 'GET' | 'POST' | 'OPTIONS', url: string, headers: Record<string, string> = {}, payload?: string) {
  const res = await h.app.server.inject({ method, url, headers: { origin: ORIGIN, ...headers }, ...(payload === undefined ? {} : { payload }) });
  return { status: res.statusCode, headers: res.headers };
}

const preflight = (path: string, method = 'POST') =>
  send('OPTIONS', path, { 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' });

describe('token-bearing endpoints: every origin, never credentials', () => {
  for (const [path, method] of [
    ['token', 'POST'],
    ['introspect', 'POST'],
    ['revoke', 'POST'],
    ['par', 'POST'],
    ['userinfo', 'GET'],
    ['jwks', 'GET'],
    ['.well-known/openid-configuration', 'GET'],
  ] as const) {
    test(`a preflight for ${method} /as/${path} is allowed: 204, *, the method, Authorization and Content-Type`, async () => {
      const res = await preflight(`/${env}/as/${path}`, method);
      assert.equal(res.status, 204);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.ok(String(res.headers['access-control-allow-methods']).split(', ').includes(method));
      assert.equal(res.headers['access-control-allow-headers'], 'Authorization, Content-Type');
      assert.equal(res.headers['access-control-allow-credentials'], undefined, 'a credentialed request is never allowed');
    });
  }

  test('a token response, and an error response with its WWW-Authenticate, are readable cross-origin', async () => {
    const form = 'grant_type=client_credentials';
    const refused = await send('POST', `/${env}/as/token`, { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('nobody:wrong').toString('base64')}` }, form);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['access-control-allow-origin'], '*');
    assert.match(String(refused.headers['access-control-expose-headers']), /WWW-Authenticate/);
    const jwks = await send('GET', `/${env}/as/jwks`);
    assert.equal(jwks.status, 200);
    assert.equal(jwks.headers['access-control-allow-origin'], '*');
    assert.equal(jwks.headers['access-control-allow-credentials'], undefined);
  });

  test('without an Origin header nothing CORS is added', async () => {
    const res = await h.app.server.inject({ method: 'GET', url: `/${env}/as/jwks` });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});

describe("session-cookie endpoints: only the origins of the application's corsSettings, with credentials", () => {
  const OTHER = 'https://evil.example.com';
  let listed: string;
  let unlisted: string;

  before(async () => {
    const base = { enabled: true, type: 'SINGLE_PAGE_APP', protocol: 'OPENID_CONNECT', grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: ['https://spa.example.org/cb'], tokenEndpointAuthMethod: 'NONE' };
    const create = async (name: string, extra: Record<string, unknown>) => {
      const res = await h.inject('POST', `/v1/environments/${env}/applications`, { body: { name, ...base, ...extra } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };
    listed = await create('cors-listed', { corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: [ORIGIN, 'https://*.example.net'] } });
    unlisted = await create('cors-none', {});
  });

  const authorizeUrl = (clientId: string) =>
    `/${env}/as/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: 'https://spa.example.org/cb', response_type: 'code', scope: 'openid', response_mode: 'pi.flow', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`;
  const at = (origin: string) => ({ origin });

  test('pi.flow authorize: a listed origin reads the answer with credentials; any other gets no CORS header', async () => {
    const allowed = await send('GET', authorizeUrl(listed));
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
    assert.match(String(allowed.headers.vary), /Origin/);
    const other = await send('GET', authorizeUrl(listed), at(OTHER));
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    assert.match(String(other.headers.vary), /Origin/, 'the answer depends on Origin either way');
    const wildcard = await send('GET', authorizeUrl(listed), at('https://shop.example.net'));
    assert.equal(wildcard.headers['access-control-allow-origin'], 'https://shop.example.net');
    const none = await send('GET', authorizeUrl(unlisted));
    assert.equal(none.headers['access-control-allow-origin'], undefined, 'no corsSettings: no origin');
  });

  test("the flow API and resume answer the flow's application's origins, preflight included", async () => {
    const started = await h.app.server.inject({ method: 'GET', url: authorizeUrl(listed), headers: { origin: ORIGIN } });
    assert.equal(started.statusCode, 200);
    const flowId = JSON.parse(started.body).id as string;
    const pre = await send('OPTIONS', `/${env}/flows/${flowId}`, { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(pre.headers['access-control-allow-credentials'], 'true');
    assert.equal(pre.headers['access-control-allow-headers'], 'Content-Type');
    assert.ok(String(pre.headers['access-control-allow-methods']).includes('POST'));
    const refused = await send('OPTIONS', `/${env}/flows/${flowId}`, { origin: OTHER, 'access-control-request-method': 'POST' });
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    const read = await send('GET', `/${env}/flows/${flowId}`);
    assert.equal(read.headers['access-control-allow-origin'], ORIGIN);
    const resume = await send('GET', `/${env}/as/resume?flowId=${flowId}`);
    assert.equal(resume.headers['access-control-allow-origin'], ORIGIN);
    const unknownFlow = await send('GET', `/${env}/flows/00000000-0000-4000-8000-000000000000`);
    assert.equal(unknownFlow.headers['access-control-allow-origin'], undefined);
  });

  test('sign-off with a client_id answers that application\'s origins', async () => {
    const res = await send('GET', `/${env}/as/signoff?client_id=${listed}`);
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    const other = await send('GET', `/${env}/as/signoff?client_id=${unlisted}`);
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });
});

describe('the sign-on page and the management API: no origin is allowed', () => {
  test('/signon/: no Access-Control-Allow-Origin, no preflight', async () => {
    const pre = await preflight(`/${env}/signon/`);
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    const res = await send('GET', `/${env}/signon/`);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  test('/v1: no Access-Control-Allow-Origin', async () => {
    const res = await send('GET', '/v1/environments', { authorization: `Bearer ${h.token}` });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});
