/**
 * A known path with a method it does not take answers 405 Method Not Allowed with `Allow` (RFC 9110
 * §15.5.6), not the 404 of an unknown path: RFC 6749's `invalid_request` body on the authorization
 * server, PingOne's `{id, code, message}` (`INVALID_REQUEST`) on the management and flow APIs.
 * Nothing is issued or consumed by such a request.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createEnvironment, startInProcess, type InProcess } from '../support/harness.js';

type Method = 'DELETE' | 'GET' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'POST' | 'PUT';

let h: InProcess;
let envId: string;

before(async () => {
  h = await startInProcess();
  envId = await createEnvironment(h, 'Methods');
});
after(() => h?.close());

async function send(method: Method, url: string, headers: Record<string, string> = {}, payload?: string) {
  const res = await h.app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  return { status: res.statusCode, headers: res.headers, text: res.body };
}

function expectOAuth405(r: Awaited<ReturnType<typeof send>>, method: Method, allow: string): void {
  assert.equal(r.status, 405, `${method}: ${r.status} ${r.text}`);
  assert.equal(r.headers.allow, allow);
  if (method === 'HEAD') return;
  assert.deepEqual(JSON.parse(r.text), { error: 'invalid_request', error_description: 'the request method is not allowed for this endpoint' });
  assert.equal(r.headers['cache-control'], 'no-store');
}

describe('authorization server (RFC 9110 §15.5.6, RFC 6749 §5.2 body)', () => {
  for (const path of ['token', 'introspect', 'revoke', 'par']) {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH'] as const) {
      test(`${method} /as/${path} → 405, Allow: OPTIONS, POST`, async () => {
        expectOAuth405(await send(method, `/${envId}/as/${path}`), method, 'OPTIONS, POST');
      });
    }
  }

  test('GET on the token endpoint with credentials in the query issues nothing', async () => {
    const bootstrap = h.app.bootstrap.summary;
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: bootstrap.clientId!, client_secret: bootstrap.clientSecret! });
    const r = await send('GET', `/${h.adminEnvId}/as/token?${query.toString()}`);
    expectOAuth405(r, 'GET', 'OPTIONS, POST');
    assert.ok(!r.text.includes('access_token'));
  });

  test('the CORS answer of the open endpoints applies to the 405 as well; preflights still answer 204', async () => {
    const r = await send('GET', `/${envId}/as/token`, { origin: 'https://spa.example' });
    expectOAuth405(r, 'GET', 'OPTIONS, POST');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    const preflight = await send('OPTIONS', `/${envId}/as/token`, { origin: 'https://spa.example', 'access-control-request-method': 'POST' });
    assert.equal(preflight.status, 204);
  });

  const others: Array<[Method, string, string]> = [
    ['POST', 'jwks', 'GET, HEAD, OPTIONS'],
    ['DELETE', '.well-known/openid-configuration', 'GET, HEAD, OPTIONS'],
    ['PUT', 'authorize', 'GET, HEAD, OPTIONS, POST'],
    ['DELETE', 'userinfo', 'GET, HEAD, OPTIONS, POST'],
    ['POST', 'resume', 'GET, HEAD, OPTIONS'],
    ['PATCH', 'signoff', 'GET, HEAD, OPTIONS, POST'],
  ];
  for (const [method, path, allow] of others) {
    test(`${method} /as/${path} → 405, Allow: ${allow}`, async () => {
      expectOAuth405(await send(method, `/${envId}/as/${path}`), method, allow);
    });
  }

  test('an unknown path is still 404', async () => {
    const r = await send('GET', `/${envId}/as/nothing-here`);
    assert.equal(r.status, 404);
    assert.equal(r.headers.allow, undefined);
  });
});

describe("management and flow APIs (PingOne's error body)", () => {
  const bearer = () => ({ authorization: `Bearer ${h.token}` });

  function expectPingOne405(r: Awaited<ReturnType<typeof send>>, allow: string): void {
    assert.equal(r.status, 405, r.text);
    assert.equal(r.headers.allow, allow);
    const body = JSON.parse(r.text);
    assert.equal(body.code, 'INVALID_REQUEST');
    assert.equal(body.message, 'The request method is not supported for this resource.');
    assert.match(body.id, /^[0-9a-f-]{36}$/);
  }

  test('PATCH /v1/environments → 405, Allow: GET, HEAD, POST', async () => {
    expectPingOne405(await send('PATCH', '/v1/environments', bearer()), 'GET, HEAD, POST');
  });

  test('POST /v1/environments/{id} → 405 naming the methods of the environment resource', async () => {
    const r = await send('POST', `/v1/environments/${envId}`, { ...bearer(), 'content-type': 'application/json' }, '{}');
    const allow = String(r.headers.allow);
    expectPingOne405(r, allow);
    assert.ok(allow.includes('GET') && allow.includes('PUT') && !allow.includes('POST'), allow);
  });

  test('without a token the management API still answers 401 first', async () => {
    const r = await send('PATCH', '/v1/environments');
    assert.equal(r.status, 401);
  });

  test('PUT on the flow API → 405 with PingOne’s body', async () => {
    expectPingOne405(await send('PUT', `/${envId}/flows/${'f'.repeat(43)}`), 'GET, HEAD, OPTIONS, POST');
  });
});
