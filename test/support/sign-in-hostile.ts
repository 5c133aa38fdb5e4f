/**
 * Shared set-up of the hostile sign-in feature tests: the REAL app in-process (`startInProcess`),
 * users and applications created through the management API, the redirectless flow
 * (`response_mode=pi.flow`) driven by hand with cookies passed explicitly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { strict as assert } from 'node:assert';
import { createEnvironment, expectStatus, jwtPayload, type InProcess } from './harness.js';

export const CHECK = 'application/vnd.pingidentity.usernamePassword.check+json';
export const PASSWORD = 'Correct-Horse-9-battery';
export const REDIRECT = 'https://app.example.com/cb';

export interface RawReply {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

export interface WebApp {
  id: string;
  secret: string;
}

export interface World {
  h: InProcess;
  env: string;
  userId: string;
  username: string;
}

export async function raw(h: InProcess, method: 'GET' | 'POST', url: string, opts: { headers?: Record<string, string>; payload?: string } = {}): Promise<RawReply> {
  const res = await h.app.server.inject({ method, url, headers: opts.headers ?? {}, ...(opts.payload === undefined ? {} : { payload: opts.payload }) });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

export const json = (r: RawReply): any => JSON.parse(r.body);

/** An environment with one user who has a password. */
export async function world(h: InProcess, name: string, username = 'ada'): Promise<World> {
  const env = await createEnvironment(h, name);
  const userId = await createUser(h, env, username);
  return { h, env, userId, username };
}

export async function createUser(h: InProcess, env: string, username: string): Promise<string> {
  const user = expectStatus(await h.inject('POST', `/v1/environments/${env}/users`, { body: { username, email: `${username}@example.com` } }), 201).body;
  const set = await h.app.server.inject({
    method: 'PUT',
    url: `/v1/environments/${env}/users/${user.id}/password`,
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/vnd.pingidentity.password.set+json' },
    payload: JSON.stringify({ value: PASSWORD, forceChange: false }),
  });
  assert.equal(set.statusCode, 200, set.body);
  return user.id as string;
}

/** A WEB_APP with CLIENT_SECRET_BASIC, authorization code + refresh token. */
export async function webApp(h: InProcess, env: string, name: string, extra: Record<string, unknown> = {}): Promise<WebApp> {
  const created = await h.inject('POST', `/v1/environments/${env}/applications`, {
    body: {
      name, enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], responseTypes: ['CODE'],
      redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC', pkceEnforcement: 'OPTIONAL',
      ...extra,
    },
  });
  const id = expectStatus(created, 201).body.id as string;
  const secret = expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/${id}/secret`), 200).body.secret as string;
  return { id, secret };
}

export const basic = (app: WebApp): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(app.id)}:${encodeURIComponent(app.secret)}`).toString('base64')}`,
});

export function authorizeUrl(env: string, params: Record<string, string>): string {
  return `/${env}/as/authorize?${new URLSearchParams(params).toString()}`;
}

export function authorize(w: World, params: Record<string, string>, cookie?: string): Promise<RawReply> {
  return raw(w.h, 'GET', authorizeUrl(w.env, params), cookie === undefined ? {} : { headers: { cookie } });
}

export function baseParams(app: WebApp, extra: Record<string, string> = {}): Record<string, string> {
  return { client_id: app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid profile offline_access', state: 'st-123', ...extra };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const pathOf = (url: string): string => { const u = new URL(url); return u.pathname + u.search; };

export function cookieOf(headers: Record<string, unknown>, name: string): string | undefined {
  const set = headers['set-cookie'];
  const list = set === undefined ? [] : Array.isArray(set) ? set.map(String) : [String(set)];
  for (const c of list) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq) === name) return pair!.slice(eq + 1);
  }
  return undefined;
}

export function checkPassword(w: World, flowId: string, username: string, password: string): Promise<RawReply> {
  return raw(w.h, 'POST', `/${w.env}/flows/${flowId}`, { headers: { 'content-type': CHECK }, payload: JSON.stringify({ username, password }) });
}

/** authorize (pi.flow) → usernamePassword.check → resume: the code and the `ST` cookie. */
export async function signIn(w: World, app: WebApp, extra: Record<string, string> = {}): Promise<{ code: string; st: string }> {
  const started = await authorize(w, baseParams(app, { response_mode: 'pi.flow', ...extra }));
  assert.equal(started.status, 200, started.body);
  const flow = json(started);
  const done = await checkPassword(w, flow.id, w.username, PASSWORD);
  assert.equal(done.status, 200, done.body);
  const st = cookieOf(done.headers, 'ST');
  assert.ok(st);
  const resumed = await raw(w.h, 'GET', pathOf(json(done).resumeUrl), { headers: { cookie: `ST=${st}` } });
  assert.equal(resumed.status, 200, resumed.body);
  return { code: json(resumed).authorizeResponse.code as string, st };
}

export function token(w: World, app: WebApp, form: Record<string, string>, env = w.env): Promise<RawReply> {
  return raw(w.h, 'POST', `/${env}/as/token`, {
    headers: { ...basic(app), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

export function redeem(w: World, app: WebApp, code: string, extra: Record<string, string> = {}, env = w.env): Promise<RawReply> {
  return token(w, app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra }, env);
}

export function refresh(w: World, app: WebApp, refreshToken: string): Promise<RawReply> {
  return token(w, app, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** RFC 7662 §2.2: whether the environment still calls the access token active (asked by `app`). */
export async function isActive(w: World, app: WebApp, accessToken: string): Promise<boolean> {
  const r = await raw(w.h, 'POST', `/${w.env}/as/introspect`, {
    headers: { ...basic(app), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token: accessToken }).toString(),
  });
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body).active === true;
}

/** RFC 6749 §5.2: 400 `invalid_grant`, and the response never repeats the secrets it was sent. */
export function expectInvalidGrant(r: RawReply, ...secrets: string[]): void {
  assert.equal(r.status, 400, r.body);
  assert.equal(json(r).error, 'invalid_grant');
  expectNoLeak(r, ...secrets);
}

/** None of `secrets` appears in the body or any header. */
export function expectNoLeak(r: RawReply, ...secrets: string[]): void {
  const all = `${r.body}\n${JSON.stringify(r.headers)}`;
  for (const s of secrets) assert.ok(!all.includes(s), `response leaks a secret: ${s.slice(0, 8)}…`);
}

/** RFC 6749 §4.1.2.1: an HTML error page, no redirect. */
export function expectErrorPage(r: RawReply): void {
  assert.equal(r.status, 400, r.body);
  assert.equal(r.headers.location, undefined, 'no Location header');
  assert.match(String(r.headers['content-type']), /^text\/html/);
  assert.ok(!/[?&]code=/.test(r.body), 'no code in the page');
}

/** Signs the user in with `scope`, redeems the code: the ID token's claims and the userinfo answer. */
export async function signedInClaims(w: World, app: WebApp, scope: string): Promise<{ id: Record<string, unknown>; info: Record<string, unknown> }> {
  const { code } = await signIn(w, app, { scope });
  const reply = await redeem(w, app, code);
  assert.equal(reply.status, 200, reply.body);
  const body = json(reply);
  const info = json(await raw(w.h, 'GET', `/${w.env}/as/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } }));
  return { id: jwtPayload(body.id_token), info };
}
