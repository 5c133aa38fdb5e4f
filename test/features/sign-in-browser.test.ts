/**
 * The browser path through a Fastify instance with `signInRoutes` over in-memory fakes:
 * authorize → hosted sign-on page → resume → redirect URI with code, state and iss.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ENV_ID, ISSUER, USER, cookieValue, fakes, signInServer } from '../support/sign-in-fakes.js';

const f = fakes({ web: { settings: { redirectUris: ['https://app.example.com/callback'] } } });
const app = signInServer(f);
const authorizeUrl = (extra: Record<string, string> = {}) =>
  `/${ENV_ID}/as/authorize?${new URLSearchParams({
    client_id: 'web', redirect_uri: 'https://app.example.com/callback', response_type: 'code', scope: 'openid', state: 'xyz', ...extra,
  })}`;
const pathOf = (location: unknown) => { const u = new URL(String(location)); return u.pathname + u.search; };

async function signIn(extra: Record<string, string> = {}, cookie?: string) {
  const start = await app.inject({ method: 'GET', url: authorizeUrl(extra), headers: cookie ? { cookie: `ST=${cookie}` } : {} });
  assert.equal(start.statusCode, 302);
  const page = await app.inject({ method: 'GET', url: pathOf(start.headers.location) });
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const csrfCookie = cookieValue(page.headers['set-cookie'], 'kw_signon_csrf') ?? '';
  return { start, page, csrf, csrfCookie, signOnPath: pathOf(start.headers.location) };
}

function postCredentials(path: string, csrf: string, csrfCookie: string, password = USER.password) {
  return app.inject({
    method: 'POST', url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kw_signon_csrf=${csrfCookie}` },
    payload: new URLSearchParams({ csrf_token: csrf, username: USER.username, password }).toString(),
  });
}

describe('hosted sign-on (browser path)', () => {
  let session = '';

  test('RFC 6749 §4.1.2 + RFC 9207: authorize → sign-on page → 303 resume → 302 redirect_uri with code, state, iss', async () => {
    const { start, page, csrf, csrfCookie, signOnPath } = await signIn({ login_hint: '"><script>alert(1)</script>' });
    assert.match(String(start.headers.location), new RegExp(`^http://localhost:8080/${ENV_ID}/signon/\\?flowId=[A-Za-z0-9_-]{43}$`));
    assert.equal(page.statusCode, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'; style-src 'nonce-[^']+'; form-action 'self' https:\/\/app\.example\.com; frame-ancestors 'none'; base-uri 'none'/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.match(page.body, /<label for="username">Username<\/label>/);
    assert.ok(!page.body.includes('<script>alert(1)'), 'login_hint is escaped');
    assert.match(page.body, /value="&quot;&gt;&lt;script&gt;/);

    const posted = await postCredentials(signOnPath, csrf, csrfCookie);
    assert.equal(posted.statusCode, 303);
    assert.match(String(posted.headers.location), /\/as\/resume\?flowId=/);
    const st = String(posted.headers['set-cookie']);
    assert.match(st, new RegExp(`ST=[A-Za-z0-9_-]{43}; Path=/${ENV_ID}/; Max-Age=\\d+; HttpOnly; SameSite=Lax`));
    assert.ok(!st.includes('Secure'), 'http public URL: no Secure flag');
    session = cookieValue(posted.headers['set-cookie'], 'ST') ?? '';

    const resumed = await app.inject({ method: 'GET', url: pathOf(posted.headers.location), headers: { cookie: `ST=${session}` } });
    assert.equal(resumed.statusCode, 302);
    const back = new URL(String(resumed.headers.location));
    assert.equal(back.origin + back.pathname, 'https://app.example.com/callback');
    assert.match(back.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(back.searchParams.get('state'), 'xyz');
    assert.equal(back.searchParams.get('iss'), ISSUER);
    const stored = f.grants.codes.at(-1);
    assert.equal(stored?.userId, USER.id);
    assert.deepEqual(stored?.amr, ['pwd']);
    assert.notEqual(stored?.codeHash, back.searchParams.get('code'), 'only the hash is stored');

    const again = await app.inject({ method: 'GET', url: pathOf(posted.headers.location), headers: { cookie: `ST=${session}` } });
    assert.equal(again.statusCode, 400, 'the flow is single use');
  });

  test('OIDC Core §3.1.2.1: a signed-in browser gets a code without signing in again', async () => {
    const res = await app.inject({ method: 'GET', url: authorizeUrl(), headers: { cookie: `ST=${session}` } });
    assert.equal(res.statusCode, 302);
    assert.ok(new URL(String(res.headers.location)).searchParams.get('code'));
  });

  test('OIDC Core §3.1.2.1: prompt=login forces the sign-on page despite the session', async () => {
    const res = await app.inject({ method: 'GET', url: authorizeUrl({ prompt: 'login' }), headers: { cookie: `ST=${session}` } });
    assert.match(String(res.headers.location), /\/signon\/\?flowId=/);
  });

  test('OIDC Core §3.1.2.6: prompt=none without a session → login_required at the redirect URI', async () => {
    const res = await app.inject({ method: 'GET', url: authorizeUrl({ prompt: 'none' }) });
    const back = new URL(String(res.headers.location));
    assert.equal(back.searchParams.get('error'), 'login_required');
    assert.equal(back.searchParams.get('state'), 'xyz');
    assert.equal(back.searchParams.get('iss'), ISSUER);
  });

  test('a wrong password re-renders the page with one message for every failure', async () => {
    const { csrf, csrfCookie, signOnPath } = await signIn();
    const res = await postCredentials(signOnPath, csrf, csrfCookie, 'wrong');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /role="alert">The username or password is incorrect/);
  });

  test('OWASP double submit: a missing or wrong CSRF cookie is refused without checking the password', async () => {
    const { csrf, signOnPath } = await signIn();
    const res = await postCredentials(signOnPath, csrf, 'forged');
    assert.equal(res.statusCode, 403);
    assert.equal(res.headers['set-cookie']?.toString().includes('ST='), false);
  });

  test('RFC 6749 §3.1.2.4 / §10.6: an unregistered redirect_uri gets an HTML error page, no redirect', async () => {
    const res = await app.inject({ method: 'GET', url: authorizeUrl({ redirect_uri: 'https://app.example.com/callback/' }) });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers.location, undefined);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
  });

  test('RFC 6749 §3.1: a repeated parameter is invalid_request (page: nothing is trusted yet)', async () => {
    const res = await app.inject({ method: 'GET', url: `${authorizeUrl()}&state=again` });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers.location, undefined);
  });

  test('POST /authorize with a form works like GET; form_post answers an auto-submitting page', async () => {
    const res = await app.inject({
      method: 'POST', url: `/${ENV_ID}/as/authorize`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `ST=${session}` },
      payload: new URLSearchParams({ client_id: 'web', redirect_uri: 'https://app.example.com/callback', response_type: 'code', scope: 'openid', response_mode: 'form_post', state: '<s>' }).toString(),
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="post" action="https:\/\/app\.example\.com\/callback">/);
    assert.match(res.body, /name="state" value="&lt;s&gt;"/);
    assert.match(String(res.headers['content-security-policy']), /script-src 'nonce-[^']+'; form-action 'self' https:\/\/app\.example\.com/);
  });
});
