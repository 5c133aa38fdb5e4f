/**
 * The `ST` session cookie's attributes under HTTPS (RFC 6265bis §4.1.2.5 `Secure`, §4.1.2.7
 * `SameSite`): `Secure` whenever the public URL is https; `SameSite=None` only for a request from
 * an origin the application's corsSettings allow (a cross-site `pi.flow` page keeps and sends
 * back only such a cookie), `Lax` for every other request; over plain HTTP never `None`, which
 * browsers refuse without `Secure`.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { startInProcess, type InProcess } from '../support/harness.js';

const SPA = 'https://spa.example.org';
const OTHER = 'https://elsewhere.example.com';
const REDIRECT = `${SPA}/cb`;
const PASSWORD = 'Hopper-Cobol-1959';
const CHECK = 'application/vnd.pingidentity.usernamePassword.check+json';

interface Instance {
  h: InProcess;
  env: string;
  appId: string;
}

async function instance(publicUrl: string): Promise<Instance> {
  const h = await startInProcess({ env: { KEYWAY_PUBLIC_URL: publicUrl } });
  const env = h.adminEnvId;
  const user = await h.inject('POST', `/v1/environments/${env}/users`, { body: { username: 'grace', email: 'grace@example.com' } });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  const password = await h.inject('PUT', `/v1/environments/${env}/users/${user.body.id}/password`, {
    body: { value: PASSWORD, forceChange: false },
    headers: { 'content-type': 'application/vnd.pingidentity.password.set+json' },
  });
  assert.equal(password.status, 200, JSON.stringify(password.body));
  const app = await h.inject('POST', `/v1/environments/${env}/applications`, {
    body: {
      name: 'cookie-spa', enabled: true, type: 'SINGLE_PAGE_APP', protocol: 'OPENID_CONNECT', grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'],
      redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'NONE', corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: [SPA] },
    },
  });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  return { h, env, appId: app.body.id as string };
}

const piFlowAuthorize = ({ env, appId }: Instance) =>
  `/${env}/as/authorize?${new URLSearchParams({ client_id: appId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', response_mode: 'pi.flow', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`;

/** Runs pi.flow up to the password check, from `origin` (none: a request without Origin), and returns the ST Set-Cookie. */
async function signInWithFlowApi(i: Instance, origin: string | undefined): Promise<string> {
  const headers: Record<string, string> = origin === undefined ? {} : { origin };
  const started = await i.h.app.server.inject({ method: 'GET', url: piFlowAuthorize(i), headers });
  assert.equal(started.statusCode, 200, started.body);
  const flowId = JSON.parse(started.body).id as string;
  const checked = await i.h.app.server.inject({
    method: 'POST',
    url: `/${i.env}/flows/${flowId}`,
    headers: { ...headers, 'content-type': CHECK },
    payload: JSON.stringify({ username: 'grace', password: PASSWORD }),
  });
  assert.equal(checked.statusCode, 200, checked.body);
  return sessionCookie(checked.headers['set-cookie']);
}

function sessionCookie(header: string | string[] | undefined): string {
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const st = list.find((c) => c.startsWith('ST='));
  assert.ok(st, `an ST cookie is set: ${JSON.stringify(list)}`);
  return st;
}

describe('under HTTPS (public URL https://…)', () => {
  let i: Instance;
  before(async () => {
    i = await instance('https://keyway.example.com');
  });
  after(() => i?.h.close());

  test("pi.flow from an origin the application's corsSettings allow: SameSite=None; Secure; Partitioned (CHIPS)", async () => {
    const st = await signInWithFlowApi(i, SPA);
    assert.match(st, new RegExp(`^ST=[A-Za-z0-9_-]{43}; Path=/${i.env}/; Max-Age=\\d+; HttpOnly; SameSite=None; Secure; Partitioned$`));
  });

  test('pi.flow from an origin the application does not list: SameSite=Lax; Secure', async () => {
    const st = await signInWithFlowApi(i, OTHER);
    assert.match(st, /; HttpOnly; SameSite=Lax; Secure$/);
  });

  test('pi.flow without an Origin header (a server-side caller): SameSite=Lax; Secure', async () => {
    const st = await signInWithFlowApi(i, undefined);
    assert.match(st, /; HttpOnly; SameSite=Lax; Secure$/);
  });

  test('the hosted sign-on page (a same-site form): SameSite=Lax; Secure', async () => {
    const authorize = `/${i.env}/as/authorize?${new URLSearchParams({ client_id: i.appId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`;
    const start = await i.h.app.server.inject({ method: 'GET', url: authorize });
    assert.equal(start.statusCode, 302);
    const signOn = new URL(String(start.headers.location));
    assert.equal(signOn.origin, 'https://keyway.example.com');
    const page = await i.h.app.server.inject({ method: 'GET', url: signOn.pathname + signOn.search });
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const csrfCookie = [page.headers['set-cookie']].flat().find((c) => String(c).startsWith('kw_signon_csrf='));
    assert.match(String(csrfCookie), /; HttpOnly; SameSite=Lax; Secure$/);
    const posted = await i.h.app.server.inject({
      method: 'POST',
      url: signOn.pathname + signOn.search,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: String(csrfCookie).split(';')[0]!, origin: 'https://keyway.example.com' },
      payload: new URLSearchParams({ csrf_token: csrf, username: 'grace', password: PASSWORD }).toString(),
    });
    assert.equal(posted.statusCode, 303);
    assert.match(sessionCookie(posted.headers['set-cookie']), /; HttpOnly; SameSite=Lax; Secure$/);
  });

  test('sign-off from an allowed origin expires the cookie with the same SameSite=None; Secure; Partitioned (or the browser would keep it)', async () => {
    const res = await i.h.app.server.inject({ method: 'GET', url: `/${i.env}/as/signoff?client_id=${i.appId}`, headers: { origin: SPA } });
    assert.match(sessionCookie(res.headers['set-cookie']), new RegExp(`^ST=; Path=/${i.env}/; Max-Age=0; HttpOnly; SameSite=None; Secure; Partitioned$`));
    const plain = await i.h.app.server.inject({ method: 'GET', url: `/${i.env}/as/signoff?client_id=${i.appId}` });
    assert.match(sessionCookie(plain.headers['set-cookie']), /Max-Age=0; HttpOnly; SameSite=Lax; Secure$/);
  });
});

describe('over plain HTTP (public URL http://…)', () => {
  let i: Instance;
  before(async () => {
    i = await instance('http://localhost:8080');
  });
  after(() => i?.h.close());

  test('even from an allowed origin: SameSite=Lax and no Secure (browsers refuse SameSite=None without Secure)', async () => {
    const st = await signInWithFlowApi(i, SPA);
    assert.match(st, /; HttpOnly; SameSite=Lax$/);
  });
});
