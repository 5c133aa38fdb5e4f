/**
 * Cross-origin access (Fetch standard, "CORS protocol"): the token-bearing endpoints answer every
 * origin without credentials, as PingOne's do, so that a single-page application can exchange its
 * code and call userinfo; the session-cookie endpoints and the management API answer none.
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

describe('session-cookie endpoints and the management API: no origin is allowed', () => {
  for (const path of ['as/authorize', 'as/resume', 'as/signoff', 'signon/', `flows/00000000-0000-4000-8000-000000000000`]) {
    test(`/${path}: no preflight, and no Access-Control-Allow-Origin on the response`, async () => {
      const pre = await preflight(`/${env}/${path}`);
      assert.equal(pre.headers['access-control-allow-origin'], undefined);
      assert.notEqual(pre.status, 204);
      const res = await send('GET', `/${env}/${path}`);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
    });
  }

  test('/v1: no Access-Control-Allow-Origin', async () => {
    const res = await send('GET', '/v1/environments', { authorization: `Bearer ${h.token}` });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});
