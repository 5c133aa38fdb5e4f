/**
 * PingOne's redirectless workflow (response_mode=pi.flow + flow API + resume), PAR (RFC 9126)
 * and sign-off (OIDC RP-Initiated Logout), through `signInRoutes` over in-memory fakes.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ENV_ID, ISSUER, USER, cookieValue, fakes, signInServer } from '../support/sign-in-fakes.js';

const f = fakes({
  web: {},
  parOnly: { settings: { parRequirement: 'REQUIRED' } },
  spa: { method: 'NONE' },
});
const app = signInServer(f);
const CHECK = 'application/vnd.pingidentity.usernamePassword.check+json';
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${id}-secret-0123456789abcdef0123456789`).toString('base64')}` });
const authorizeForm = (extra: Record<string, string> = {}) => new URLSearchParams({
  client_id: 'web', redirect_uri: 'https://app.example.com/callback', response_type: 'code', scope: 'openid profile', response_mode: 'pi.flow', state: 'abc', ...extra,
}).toString();
const pathOf = (url: string) => { const u = new URL(url); return u.pathname + u.search; };

async function piFlow(extra: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: `/${ENV_ID}/as/authorize`, headers: form, payload: authorizeForm(extra) });
}
function check(flowId: string, body: unknown, contentType = CHECK) {
  return app.inject({ method: 'POST', url: `/${ENV_ID}/flows/${flowId}`, headers: { 'content-type': contentType }, payload: JSON.stringify(body) });
}

describe('pi.flow: PingOne workflow steps 1-3', () => {
  test('authorize → flows/{id} usernamePassword.check → resume → authorizeResponse.code', async () => {
    const started = await piFlow();
    assert.equal(started.statusCode, 200);
    const flow = started.json();
    assert.equal(flow.status, 'USERNAME_PASSWORD_REQUIRED');
    assert.equal(flow._links['usernamePassword.check'].href, `http://localhost:8080/${ENV_ID}/flows/${flow.id}`);
    assert.equal(flow.resumeUrl, `http://localhost:8080/${ENV_ID}/as/resume?flowId=${flow.id}`);

    const current = await app.inject({ method: 'GET', url: `/${ENV_ID}/flows/${flow.id}` });
    assert.equal(current.json().status, 'USERNAME_PASSWORD_REQUIRED');

    const done = await check(flow.id, { username: USER.username, password: USER.password });
    assert.equal(done.statusCode, 200);
    const body = done.json();
    assert.equal(body.status, 'COMPLETED');
    assert.equal(body.resumeUrl, flow.resumeUrl);
    assert.ok(body.session.id);
    assert.deepEqual(body._embedded, { user: { id: USER.id, username: USER.username }, application: { id: 'web' } });
    const st = cookieValue(done.headers['set-cookie'], 'ST');
    assert.ok(st);

    const resumed = await app.inject({ method: 'GET', url: pathOf(body.resumeUrl), headers: { cookie: `ST=${st}` } });
    assert.equal(resumed.statusCode, 200);
    assert.match(resumed.json().authorizeResponse.code, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(resumed.json().authorizeResponse.state, 'abc');
    // RFC 9207 §2: the issuer is part of the authorization response in pi.flow too.
    assert.equal(resumed.json().authorizeResponse.iss, ISSUER);
    assert.equal(f.grants.codes.at(-1)?.redirectUri, 'https://app.example.com/callback');
    assert.deepEqual(f.grants.codes.at(-1)?.scope, ['openid', 'profile']);
  });

  test('wrong password and unknown user give the same 400 INVALID_DATA; the flow keeps waiting', async () => {
    const flow = (await piFlow()).json();
    const wrong = await check(flow.id, { username: USER.username, password: 'nope' });
    const unknown = await check(flow.id, { username: 'mallory', password: 'nope' });
    const locked = await check(flow.id, { username: 'locked', password: 'nope' });
    for (const r of [wrong, unknown, locked]) {
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().code, 'INVALID_DATA');
      assert.equal(r.json().details[0].target, 'password');
    }
    assert.equal(wrong.json().message, unknown.json().message);
    assert.equal(wrong.json().message, locked.json().message);
    assert.equal((await app.inject({ method: 'GET', url: `/${ENV_ID}/flows/${flow.id}` })).json().status, 'USERNAME_PASSWORD_REQUIRED');
  });

  test('unknown or expired flows are 404; other media types 415; resume before completion is refused', async () => {
    assert.equal((await app.inject({ method: 'GET', url: `/${ENV_ID}/flows/${'x'.repeat(43)}` })).statusCode, 404);
    const flow = (await piFlow()).json();
    assert.equal((await check(flow.id, { username: 'a', password: 'b' }, 'application/json')).statusCode, 415);
    assert.equal((await app.inject({ method: 'GET', url: pathOf(flow.resumeUrl), headers: { accept: 'application/json' } })).statusCode, 400);
    f.clock.now = new Date(f.clock.now.getTime() + 601_000);
    assert.equal((await app.inject({ method: 'GET', url: `/${ENV_ID}/flows/${flow.id}` })).statusCode, 404);
  });

  test('RFC 7636 §4.4.1: a NONE client without code_challenge gets invalid_request as JSON', async () => {
    const res = await piFlow({ client_id: 'spa' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
    assert.equal(res.json().state, 'abc');
    // RFC 9207 §2: error responses carry iss as well.
    assert.equal(res.json().iss, ISSUER);
  });

  test('RFC 9207 §2: prompt=none without a session answers login_required with state and iss', async () => {
    const res = await piFlow({ prompt: 'none' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual({ ...(res.json() as Record<string, unknown>), error_description: undefined }, { error: 'login_required', error_description: undefined, state: 'abc', iss: ISSUER });
  });

  test('RFC 9207 §2: a signed-in browser gets authorizeResponse from authorize itself, with state and iss', async () => {
    const flow = (await piFlow()).json();
    const done = await check(flow.id, { username: USER.username, password: USER.password });
    const st = cookieValue(done.headers['set-cookie'], 'ST');
    assert.ok(st);
    const again = await app.inject({ method: 'POST', url: `/${ENV_ID}/as/authorize`, headers: { ...form, cookie: `ST=${st}` }, payload: authorizeForm() });
    assert.equal(again.statusCode, 200);
    const { authorizeResponse } = again.json();
    assert.match(authorizeResponse.code, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual({ ...authorizeResponse, code: undefined }, { code: undefined, state: 'abc', iss: ISSUER });
  });
});

describe('RFC 9126 pushed authorization requests', () => {
  const push = (id: string, extra: Record<string, string> = {}) => app.inject({
    method: 'POST', url: `/${ENV_ID}/as/par`, headers: { ...form, ...basic(id) },
    payload: new URLSearchParams({ redirect_uri: 'https://app.example.com/callback', response_type: 'code', scope: 'openid', response_mode: 'pi.flow', ...extra }).toString(),
  });

  test('§2.2: 201 {request_uri, expires_in}; §4: used once at /authorize with client_id, bound to the client', async () => {
    const pushed = await push('parOnly');
    assert.equal(pushed.statusCode, 201);
    const { request_uri, expires_in } = pushed.json();
    assert.match(request_uri, /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
    assert.equal(expires_in, 60);
    const other = await piFlow({ client_id: 'web', request_uri });
    assert.equal(other.statusCode, 400, 'another client cannot use it (and burns it)');
    const again = await push('parOnly');
    const ok = await app.inject({ method: 'GET', url: `/${ENV_ID}/as/authorize?${new URLSearchParams({ client_id: 'parOnly', request_uri: again.json().request_uri })}` });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().status, 'USERNAME_PASSWORD_REQUIRED');
    const reused = await app.inject({ method: 'GET', url: `/${ENV_ID}/as/authorize?${new URLSearchParams({ client_id: 'parOnly', request_uri: again.json().request_uri })}` });
    assert.equal(reused.statusCode, 400);
  });

  test('parRequirement REQUIRED: a direct request is refused with invalid_request', async () => {
    const res = await piFlow({ client_id: 'parOnly' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });

  test('§2.1: client authentication as at the token endpoint; invalid requests are 400 JSON', async () => {
    const bad = await app.inject({ method: 'POST', url: `/${ENV_ID}/as/par`, headers: { ...form, authorization: 'Basic d2ViOndyb25n' }, payload: 'response_type=code' });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error, 'invalid_client');
    const unregistered = await push('web', { redirect_uri: 'https://evil.example/cb' });
    assert.equal(unregistered.statusCode, 400);
    assert.equal(unregistered.json().error, 'invalid_request');
  });
});

describe('OIDC RP-Initiated Logout §2-§3: /as/signoff', () => {
  async function session(): Promise<string> {
    const flow = (await piFlow()).json();
    return cookieValue((await check(flow.id, { username: USER.username, password: USER.password })).headers['set-cookie'], 'ST') ?? '';
  }

  test('§3: a registered post_logout_redirect_uri gets state; the session is revoked and the cookie cleared', async () => {
    const st = await session();
    const before = f.sessions.sessions.size;
    const url = `/${ENV_ID}/as/signoff?${new URLSearchParams({ id_token_hint: `hint:web:${USER.id}`, post_logout_redirect_uri: 'https://app.example.com/signed-out', state: 's1' })}`;
    const res = await app.inject({ method: 'GET', url, headers: { cookie: `ST=${st}` } });
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, 'https://app.example.com/signed-out?state=s1');
    assert.match(String(res.headers['set-cookie']), new RegExp(`ST=; Path=/${ENV_ID}/; Max-Age=0`));
    const reuse = await piFlow({ prompt: 'none', response_mode: 'query' });
    assert.equal(new URL(String(reuse.headers.location)).searchParams.get('error'), 'login_required');
    assert.equal(f.sessions.sessions.size, before - 1);
  });

  test('§2: an unregistered post_logout_redirect_uri or a bad hint gets a page, never a redirect', async () => {
    const bad = await app.inject({ method: 'GET', url: `/${ENV_ID}/as/signoff?client_id=web&post_logout_redirect_uri=https://evil.example/` });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.headers.location, undefined);
    const hint = await app.inject({ method: 'GET', url: `/${ENV_ID}/as/signoff?id_token_hint=garbage` });
    assert.equal(hint.statusCode, 400);
    const plain = await app.inject({ method: 'POST', url: `/${ENV_ID}/as/signoff`, headers: form, payload: '' });
    assert.equal(plain.statusCode, 200);
    assert.match(plain.body, /Signed out/);
  });
});
