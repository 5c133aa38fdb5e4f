/**
 * `error_description` never repeats request input, and holds only the characters RFC 6749 §5.2
 * allows (%x20-21 / %x23-5B / %x5D-7E), on every authorization-server endpoint: token,
 * introspection, revocation, PAR, authorize (redirect, fragment, form_post, pi.flow and error
 * page), userinfo (body and the RFC 6750 §3 `WWW-Authenticate` challenge), sign-off and resume.
 * The hostile values carry control characters, a quote, a backslash, non-ASCII text, 10 KB
 * parameter names and repeated parameters, each marked so that an echo is found even when part of
 * it was filtered out.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createClient, createCustomScope, expectStatus, startInProcess, type InProcess } from '../support/harness.js';
import {
  REDIRECT, authorizeUrl, baseParams, basic, json, raw, redeem, signIn, webApp, world, type RawReply, type WebApp, type World,
} from '../support/sign-in-hostile.js';

/** RFC 6749 §5.2: error-description = 1*( %x20-21 / %x23-5B / %x5D-7E ). */
const DESCRIPTION_CHARACTERS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;
const MARK = 'hostile7f3a';
/** CR, LF, TAB, quote, apostrophe, backslash, markup, non-ASCII, NUL. */
const VALUE = `${MARK}\r\n\t"'\\<b>é☃\u0000`;
const LONG_NAME = `${MARK}${'n'.repeat(10 * 1024)}`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const enc = encodeURIComponent;

let h: InProcess;
let w: World;
let web: WebApp;
let service: { id: string; secret: string };
let refreshToken: string;

before(async () => {
  h = await startInProcess();
  w = await world(h, 'Error descriptions');
  web = await webApp(h, w.env, 'web');
  const orders = await createCustomScope(h, w.env, 'orders', 'https://orders.example', 'orders:read');
  const serviceId = await createClient(h, w.env, { tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' }, orders);
  const secret = expectStatus(await h.inject('GET', `/v1/environments/${w.env}/applications/${serviceId}/secret`), 200).body.secret as string;
  service = { id: serviceId, secret };
  refreshToken = json(await redeem(w, web, (await signIn(w, web)).code)).refresh_token as string;
});
after(() => h?.close());

/** Every `error_description` a reply carries: JSON body, redirect query or fragment, form_post field, Bearer challenge. */
function descriptionsOf(r: RawReply): string[] {
  const found: string[] = [];
  if (String(r.headers['content-type'] ?? '').startsWith('application/json') && r.body !== '') {
    const body = JSON.parse(r.body) as Record<string, unknown>;
    if (typeof body.error_description === 'string') found.push(body.error_description);
  }
  const location = r.headers.location;
  if (typeof location === 'string') {
    const url = new URL(location, 'http://placeholder.invalid');
    for (const params of [url.searchParams, new URLSearchParams(url.hash.slice(1))]) {
      const description = params.get('error_description');
      if (description !== null) found.push(description);
    }
  }
  const field = /name="error_description" value="([^"]*)"/.exec(r.body);
  if (field?.[1] !== undefined) found.push(field[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  const challenge = r.headers['www-authenticate'];
  if (typeof challenge === 'string') {
    const quoted = /error_description="([^"]*)"/.exec(challenge);
    if (quoted?.[1] !== undefined) found.push(quoted[1]);
  }
  return found;
}

/** The reply is an error whose every description is a fixed text in RFC 6749 §5.2's characters. */
function expectSafeError(r: RawReply): void {
  // A form_post error is a 200 page that posts the error on; every other error is 3xx or 4xx/5xx.
  assert.ok(r.status >= 300 || /name="error" value=/.test(r.body), `expected an error, got ${r.status}: ${r.body.slice(0, 200)}`);
  const descriptions = descriptionsOf(r);
  assert.ok(descriptions.length > 0, `no error_description in ${r.status} ${JSON.stringify(r.headers)} ${r.body.slice(0, 300)}`);
  for (const description of descriptions) {
    assert.match(description, DESCRIPTION_CHARACTERS, `error_description outside RFC 6749 §5.2: ${JSON.stringify(description.slice(0, 200))}`);
    assert.ok(description.length <= 512, `error_description of ${description.length} characters`);
  }
  const everything = `${r.body}\n${JSON.stringify(r.headers)}`.toLowerCase();
  assert.ok(!everything.includes(MARK), `the response repeats request input: ${everything.slice(0, 300)}`);
  assert.ok(!everything.includes('nnnnnnnnnnnnnnnn'), 'the response repeats a long parameter name');
}

const post = (path: string, payload: string, headers: Record<string, string> = {}) =>
  raw(h, 'POST', `/${w.env}/as/${path}`, { headers: { ...form, ...headers }, payload });
const get = (url: string, headers: Record<string, string> = {}) => raw(h, 'GET', url, { headers });
const jsonAccept = { accept: 'application/json' };

/** Hostile parameter sets for any form-encoded endpoint, appended to `valid`. */
function hostileForms(valid: string): Array<[string, string]> {
  return [
    ['a repeated hostile parameter name', `${valid}&${enc(VALUE)}=1&${enc(VALUE)}=2`],
    ['a repeated 10 KB parameter name', `${valid}&${LONG_NAME}=1&${LONG_NAME}=2`],
    ['a repeated parameter of the endpoint', `${valid}&${valid}`],
    ['a hostile name with an overlong value', `${valid}&${enc(VALUE)}=${'v'.repeat(16_385)}`],
    ['more parameters than accepted, with hostile names', `${valid}&${Array.from({ length: 70 }, (_, i) => `${enc(VALUE)}${i}=x`).join('&')}`],
  ];
}

describe('token endpoint (RFC 6749 §5.2)', () => {
  // Built when the test runs: the clients and the refresh token exist once before() ran.
  const serviceAuth = () => `client_id=${service.id}&client_secret=${service.secret}`;
  const cases: Array<[string, () => string, () => Record<string, string>]> = [
    ['an unsupported hostile grant_type', () => `grant_type=${enc(VALUE)}`, () => basic(web)],
    ['an unsupported hostile grant_type without client authentication', () => `grant_type=${enc(VALUE)}`, () => ({})],
    ['a hostile scope not granted (client_credentials)', () => `grant_type=client_credentials&${serviceAuth()}&scope=${MARK}:read`, () => ({})],
    ['a hostile scope with control characters (client_credentials)', () => `grant_type=client_credentials&${serviceAuth()}&scope=${enc(VALUE)}`, () => ({})],
    ['a wider hostile scope on refresh', () => `grant_type=refresh_token&refresh_token=${refreshToken}&scope=openid%20${MARK}`, () => basic(web)],
    ['a hostile code and redirect_uri', () => `grant_type=authorization_code&code=${enc(VALUE)}&redirect_uri=${enc(VALUE)}`, () => basic(web)],
    ['a hostile client_id and client_secret', () => `grant_type=client_credentials&client_id=${enc(VALUE)}&client_secret=${enc(VALUE)}`, () => ({})],
    ['a hostile client_assertion', () => `grant_type=client_credentials&client_assertion_type=${enc(VALUE)}&client_assertion=${enc(VALUE)}`, () => ({})],
  ];
  for (const [title, payload, headers] of cases) {
    test(title, async () => expectSafeError(await post('token', payload(), headers())));
  }
  for (const [title, payload] of hostileForms('grant_type=client_credentials')) {
    test(title, async () => expectSafeError(await post('token', payload, basic(web))));
  }
});

describe('introspection (RFC 7662 §2.3) and revocation (RFC 7009 §2.2.1)', () => {
  for (const path of ['introspect', 'revoke']) {
    for (const [title, payload] of hostileForms('token=x')) {
      test(`${path}: ${title}`, async () => expectSafeError(await post(path, payload, basic(web))));
    }
    test(`${path}: hostile client credentials`, async () =>
      expectSafeError(await post(path, `token=x&client_id=${enc(VALUE)}&client_secret=${enc(VALUE)}`)));
  }
});

describe('pushed authorization requests (RFC 9126 §2.3)', () => {
  const valid = () => new URLSearchParams({ ...baseParams(web), client_id: web.id }).toString();
  test('a hostile prompt value', async () => expectSafeError(await post('par', `${valid()}&prompt=${enc(VALUE)}`, basic(web))));
  test('a hostile response_type', async () => expectSafeError(await post('par', `${valid().replace('response_type=code', `response_type=${enc(VALUE)}`)}`, basic(web))));
  test('a hostile redirect_uri', async () => expectSafeError(await post('par', `${valid()}&redirect_uri=${enc(VALUE)}`.replace(`redirect_uri=${enc(REDIRECT)}&`, ''), basic(web))));
  test('a hostile response_mode', async () => expectSafeError(await post('par', `${valid()}&response_mode=${enc(VALUE)}`, basic(web))));
  for (const [title, payload] of hostileForms('response_type=code')) {
    test(title, async () => expectSafeError(await post('par', payload, basic(web))));
  }
});

describe('authorization endpoint (RFC 6749 §4.1.2.1, RFC 9207)', () => {
  for (const mode of ['query', 'fragment', 'form_post', 'pi.flow']) {
    test(`a hostile prompt value, answered in response_mode=${mode}`, async () =>
      expectSafeError(await get(authorizeUrl(w.env, baseParams(web, { response_mode: mode, prompt: VALUE })))));
    test(`a hostile max_age, answered in response_mode=${mode}`, async () =>
      expectSafeError(await get(authorizeUrl(w.env, baseParams(web, { response_mode: mode, max_age: VALUE })))));
  }
  test('a hostile code_challenge_method', async () =>
    expectSafeError(await get(authorizeUrl(w.env, baseParams(web, { code_challenge: 'c'.repeat(43), code_challenge_method: VALUE })))));
  test('a hostile scope', async () => expectSafeError(await get(authorizeUrl(w.env, baseParams(web, { scope: VALUE })))));
  test('a hostile redirect_uri (error page, JSON)', async () =>
    expectSafeError(await get(authorizeUrl(w.env, baseParams(web, { redirect_uri: VALUE })), jsonAccept)));
  test('a hostile client_id (error page, JSON)', async () =>
    expectSafeError(await get(authorizeUrl(w.env, baseParams(web, { client_id: VALUE })), jsonAccept)));
  test('a hostile request_uri (error page, JSON)', async () =>
    expectSafeError(await get(authorizeUrl(w.env, { client_id: web.id, request_uri: VALUE }), jsonAccept)));
  test('repeated hostile parameter names in the query (error page, JSON)', async () =>
    expectSafeError(await get(`${authorizeUrl(w.env, baseParams(web))}&${enc(VALUE)}=1&${enc(VALUE)}=2`, jsonAccept)));
  test('repeated 10 KB parameter names in the query (error page, JSON)', async () =>
    expectSafeError(await get(`${authorizeUrl(w.env, baseParams(web))}&${LONG_NAME}=1&${LONG_NAME}=2`, jsonAccept)));
  test('a query that is not valid percent-encoding: 400 invalid_request, not a server error (error page, JSON)', async () => {
    const r = await get(`${authorizeUrl(w.env, baseParams(web))}&${MARK}=%zz`, jsonAccept);
    expectSafeError(r);
    assert.equal(r.status, 400);
    assert.equal(json(r).error, 'invalid_request');
  });
  test('POST with repeated hostile names in the form (error page, JSON)', async () =>
    expectSafeError(await post('authorize', `${new URLSearchParams(baseParams(web)).toString()}&${enc(VALUE)}=1&${enc(VALUE)}=2`, jsonAccept)));
});

describe('userinfo (RFC 6750 §3)', () => {
  test('a malformed hostile Bearer token: challenge and body', async () =>
    expectSafeError(await get(`/${w.env}/as/userinfo`, { authorization: `Bearer ${MARK}"\\,é` })));
  test('a hostile token in the form', async () => expectSafeError(await post('userinfo', `access_token=${enc(VALUE)}`)));
  test('repeated hostile names in the form', async () => expectSafeError(await post('userinfo', `access_token=x&${enc(VALUE)}=1&${enc(VALUE)}=2`)));
});

describe('sign-off (OpenID Connect RP-Initiated Logout 1.0 §2) and resume', () => {
  const signoff = (query: string) => get(`/${w.env}/as/signoff?${query}`, jsonAccept);
  test('a hostile post_logout_redirect_uri and client_id', async () =>
    expectSafeError(await signoff(`post_logout_redirect_uri=${enc(VALUE)}&client_id=${enc(VALUE)}`)));
  test('a hostile id_token_hint', async () => expectSafeError(await signoff(`id_token_hint=${enc(VALUE)}`)));
  test('repeated hostile names', async () => expectSafeError(await signoff(`${enc(VALUE)}=1&${enc(VALUE)}=2`)));
  test('repeated 10 KB names', async () => expectSafeError(await signoff(`${LONG_NAME}=1&${LONG_NAME}=2`)));
  test('a query that is not valid percent-encoding: 400 invalid_request, not a server error', async () => {
    const r = await signoff(`${MARK}=%zz`);
    expectSafeError(r);
    assert.equal(r.status, 400);
  });
  test('resume with a hostile flowId', async () => expectSafeError(await get(`/${w.env}/as/resume?flowId=${enc(VALUE)}`, jsonAccept)));
});

describe('the guard in OAuthError', () => {
  test('a description is held to RFC 6749 §5.2 characters whatever it was built from', async () => {
    const { InvalidRequest } = await import('../../src/protocol/errors.js');
    const error = new InvalidRequest(`text ${VALUE} end`, `detail ${VALUE}`);
    assert.match(error.description, DESCRIPTION_CHARACTERS);
    assert.equal(error.description, `text ${MARK}'<b> end`);
    assert.match(error.publicDescription(true), DESCRIPTION_CHARACTERS);
    assert.equal(error.publicDescription(false), error.description);
    assert.equal(error.detail, `detail ${VALUE}`, 'the private detail is kept as it was for logs and records');
    assert.equal(new InvalidRequest('x'.repeat(2000)).description.length, 512);
  });
});
