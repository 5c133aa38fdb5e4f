/**
 * Hostile authorization requests against the REAL app in-process: redirect near-misses, the
 * loopback rule, PKCE downgrade at /authorize, prompt=none, the hosted page, the flow API's
 * uniform failures and lockout, request objects, sign-off.
 * Token-endpoint attacks are in sign-in-hostile-tokens.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { startInProcess, type InProcess } from '../support/harness.js';
import {
  PASSWORD, REDIRECT, authorize, baseParams, checkPassword, cookieOf, createUser, expectErrorPage, expectNoLeak, json, pathOf, raw,
  redeem, signIn, webApp, world, type WebApp, type World,
} from '../support/sign-in-hostile.js';

let h: InProcess;
let x: World;
let y: World;
let app: WebApp;
let strict: WebApp;
let yApp: WebApp;
let st: string;

before(async () => {
  h = await startInProcess();
  x = await world(h, 'Hostile X');
  y = await world(h, 'Hostile Y');
  app = await webApp(h, x.env, 'near-miss', {
    redirectUris: [REDIRECT, 'https://app.example.com:8443/cb', 'http://127.0.0.1/cb', 'http://localhost/cb'],
    postLogoutRedirectUris: ['https://app.example.com/bye'],
  });
  strict = await webApp(h, x.env, 's256', { pkceEnforcement: 'S256_REQUIRED' });
  yApp = await webApp(h, y.env, 'y-app');
  ({ st } = await signIn(x, app));
});
after(() => h?.close());

const redirectParams = (uri: string) => baseParams(app, { redirect_uri: uri });
/** The error of a redirect back to REDIRECT (RFC 6749 §4.1.2.1 with RFC 9207 `iss`). */
function redirectError(r: { status: number; headers: Record<string, unknown> }, env: string): URLSearchParams {
  assert.equal(r.status, 302);
  const location = new URL(String(r.headers.location));
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
  assert.equal(location.searchParams.get('state'), 'st-123');
  assert.equal(location.searchParams.get('iss'), `${h.publicUrl}/${env}/as`);
  assert.equal(location.searchParams.get('code'), null);
  return location.searchParams;
}

describe('redirect URI near-misses: an error page, never a redirect (RFC 6749 §3.1.2.4, §4.1.2.1; Security BCP §4.1)', () => {
  const nearMisses: Array<[string, string]> = [
    ['trailing slash', 'https://app.example.com/cb/'],
    ['other port, non-loopback host', 'https://app.example.com:8444/cb'],
    ['explicit default port (exact string match)', 'https://app.example.com:443/cb'],
    ['other scheme', 'http://app.example.com/cb'],
    ['other path', 'https://app.example.com/cb2'],
    ['dot segments', 'https://app.example.com/x/../cb'],
    ['userinfo', 'https://app.example.com@evil.example/cb'],
    ['userinfo with password', 'https://app.example.com:x@evil.example/cb'],
    ['case change in host', 'https://APP.example.com/cb'],
    ['case change in path', 'https://app.example.com/CB'],
    ['fragment', 'https://app.example.com/cb#frag'],
    ['empty fragment', 'https://app.example.com/cb#'],
    ['percent-encoded path character', 'https://app.example.com/%63b'],
    ['encoded slash', 'https://app.example.com/cb%2F..%2Fevil'],
    ['extra query', 'https://app.example.com/cb?next=https://evil.example'],
    ['suffix host', 'https://app.example.com.evil.example/cb'],
    ['localhost vs 127.0.0.1', 'http://localhost:0/cb'],
    ['127.0.0.1 with another path', 'http://127.0.0.1:5000/cb/'],
  ];
  for (const [name, uri] of nearMisses) {
    test(`${name}: ${uri}`, async () => {
      // A signed-in browser: a code would be issued at once if the redirect URI were trusted.
      const r = await authorize(x, redirectParams(uri), `ST=${st}`);
      expectErrorPage(r);
      assert.ok(!r.body.includes('evil.example'), 'the page does not link to the requested URI');
      assert.equal(cookieOf(r.headers, 'ST'), undefined);
    });
  }

  test('the same near-miss with response_mode=form_post or pi.flow is not posted or returned either', async () => {
    const formPost = await authorize(x, { ...redirectParams('https://app.example.com/cb/'), response_mode: 'form_post' }, `ST=${st}`);
    expectErrorPage(formPost);
    assert.ok(!formPost.body.includes('<form'), 'no auto-submitting form');
    const piFlow = await authorize(x, { ...redirectParams('https://app.example.com/cb/'), response_mode: 'pi.flow' }, `ST=${st}`);
    assert.equal(piFlow.status, 400);
    assert.equal(piFlow.headers.location, undefined);
    assert.equal(json(piFlow).error, 'invalid_request');
    assert.equal(json(piFlow).code, undefined);
  });

  test('control: the registered URI and the registered non-default port get a code', async () => {
    for (const uri of [REDIRECT, 'https://app.example.com:8443/cb']) {
      const r = await authorize(x, redirectParams(uri), `ST=${st}`);
      assert.equal(r.status, 302);
      assert.ok(String(r.headers.location).startsWith(`${uri}?code=`), String(r.headers.location));
    }
  });
});

describe('loopback redirect URIs (PingOne; RFC 8252 §7.3)', () => {
  test('registered http://127.0.0.1/cb accepts any port', async () => {
    for (const port of ['53123', '1', '65535']) {
      const r = await authorize(x, redirectParams(`http://127.0.0.1:${port}/cb`), `ST=${st}`);
      assert.equal(r.status, 302, r.body);
      assert.ok(String(r.headers.location).startsWith(`http://127.0.0.1:${port}/cb?code=`));
    }
    expectErrorPage(await authorize(x, redirectParams('http://127.0.0.1:65536/cb'), `ST=${st}`));
  });

  test('registered http://localhost/cb does not (DNS may point localhost elsewhere)', async () => {
    expectErrorPage(await authorize(x, redirectParams('http://localhost:53123/cb'), `ST=${st}`));
    const exact = await authorize(x, redirectParams('http://localhost/cb'), `ST=${st}`);
    assert.equal(exact.status, 302, 'the exact registered localhost URI still works');
  });
});

describe('PKCE downgrade at /authorize (RFC 7636 §4.4.1; S256_REQUIRED)', () => {
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  test('plain is refused with invalid_request via the redirect, with state and iss', async () => {
    const r = await authorize(x, baseParams(strict, { code_challenge: challenge, code_challenge_method: 'plain' }), `ST=${st}`);
    assert.equal(redirectError(r, x.env).get('error'), 'invalid_request');
  });
  test('a challenge without a method (defaults to plain) is refused', async () => {
    const r = await authorize(x, baseParams(strict, { code_challenge: challenge }), `ST=${st}`);
    assert.equal(redirectError(r, x.env).get('error'), 'invalid_request');
  });
  test('a missing challenge is refused', async () => {
    const r = await authorize(x, baseParams(strict), `ST=${st}`);
    assert.equal(redirectError(r, x.env).get('error'), 'invalid_request');
  });
});

describe('prompt=none and sessions (OIDC Core §3.1.2.6)', () => {
  test('without a session: login_required via the redirect', async () => {
    const r = await authorize(x, baseParams(app, { prompt: 'none' }));
    assert.equal(redirectError(r, x.env).get('error'), 'login_required');
  });
  test("environment X's ST cookie is not honoured in environment Y", async () => {
    const control = await authorize(x, baseParams(app, { prompt: 'none' }), `ST=${st}`);
    assert.ok(String(control.headers.location).startsWith(`${REDIRECT}?code=`), 'the cookie is live in X');
    const r = await authorize(y, baseParams(yApp, { prompt: 'none' }), `ST=${st}`);
    assert.equal(redirectError(r, y.env).get('error'), 'login_required');
  });
});

describe('the hosted sign-on page: no script injection, no cross-site posts', () => {
  const hostileHint = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
  const hostileState = '</title><script>alert(3)</script>';

  async function page(): Promise<{ url: string; body: string; headers: Record<string, unknown> }> {
    const started = await authorize(x, baseParams(app, { login_hint: hostileHint, state: hostileState }));
    assert.equal(started.status, 302);
    const url = pathOf(String(started.headers.location));
    const r = await raw(h, 'GET', url);
    assert.equal(r.status, 200);
    return { url, body: r.body, headers: r.headers };
  }

  test('escapes a hostile login_hint and state; strict CSP', async () => {
    const { body, headers } = await page();
    assert.ok(!body.includes('<script>alert'), 'no injected script');
    assert.ok(!body.includes('<img src=x'), 'no injected element');
    assert.ok(body.includes('&lt;script&gt;alert(1)'), 'the hint is shown escaped');
    assert.ok(!body.includes(hostileState), 'state is not reflected raw');
    const csp = String(headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /base-uri 'none'/);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('*'), csp);
    assert.equal(headers['x-frame-options'], 'DENY');
  });

  test('POST without the CSRF token (or without its cookie) is refused: 403, no session, no redirect', async () => {
    const { url, body, headers } = await page();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(body)?.[1];
    const csrfCookie = cookieOf(headers, 'kw_signon_csrf');
    assert.ok(csrf && csrfCookie);
    const post = (form: Record<string, string>, cookie?: string) => raw(h, 'POST', url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { cookie }) },
      payload: new URLSearchParams(form).toString(),
    });
    const attempts = [
      await post({ username: x.username, password: PASSWORD }, `kw_signon_csrf=${csrfCookie}`),
      await post({ username: x.username, password: PASSWORD, csrf_token: csrf }),
      await post({ username: x.username, password: PASSWORD, csrf_token: 'x'.repeat(43) }, `kw_signon_csrf=${'x'.repeat(43)}`),
    ];
    for (const r of attempts) {
      assert.equal(r.status, 403);
      assert.equal(r.headers.location, undefined);
      assert.equal(cookieOf(r.headers, 'ST'), undefined);
      expectNoLeak(r, PASSWORD);
    }
  });
});

describe('flow API: failures look the same, so usernames cannot be enumerated', () => {
  const comparable = (r: { status: number; headers: Record<string, unknown>; body: string }) => {
    const { id: _id, ...body } = json(r);
    return { status: r.status, type: r.headers['content-type'], cache: r.headers['cache-control'], cookie: r.headers['set-cookie'], body };
  };
  const start = async (w: World, a: WebApp) => json(await authorize(w, baseParams(a, { response_mode: 'pi.flow' }))).id as string;

  test('unknown user and wrong password give byte-identical responses apart from ids', async () => {
    const flowId = await start(x, app);
    const wrong = await checkPassword(x, flowId, x.username, 'Wrong-Password-1');
    const unknown = await checkPassword(x, flowId, 'nobody-here', 'Wrong-Password-1');
    assert.equal(wrong.status, 400);
    assert.deepEqual(comparable(unknown), comparable(wrong));
    assert.equal(unknown.body.replace(/"id":"[^"]+"/, ''), wrong.body.replace(/"id":"[^"]+"/, ''));
    expectNoLeak(wrong, 'Wrong-Password-1');
  });

  test('after 5 failures the 6th attempt is refused even with the right password, and looks like a wrong one', async () => {
    await createUser(h, x.env, 'grace');
    const flowId = await start(x, app);
    const unknown = comparable(await checkPassword(x, flowId, 'nobody-here', 'Wrong-Password-1'));
    for (let i = 0; i < 5; i++) assert.deepEqual(comparable(await checkPassword(x, flowId, 'grace', `Wrong-${i}`)), unknown);
    const locked = await checkPassword(x, flowId, 'grace', PASSWORD);
    assert.deepEqual(comparable(locked), unknown);
    expectNoLeak(locked, PASSWORD);
    assert.equal(json(await raw(h, 'GET', `/${x.env}/flows/${flowId}`)).status, 'USERNAME_PASSWORD_REQUIRED');
  });
});

describe('request objects are refused (OIDC Core §6.1; discovery request_parameter_supported=false)', () => {
  const requestObject = 'eyJhbGciOiJub25lIn0.eyJyZWRpcmVjdF91cmkiOiJodHRwczovL2V2aWwuZXhhbXBsZS9jYiJ9.';
  test('a request parameter gets request_not_supported via the trusted redirect, and no code', async () => {
    const r = await authorize(x, baseParams(app, { request: requestObject }), `ST=${st}`);
    assert.equal(redirectError(r, x.env).get('error'), 'request_not_supported');
  });
  test('pi.flow: the same error as JSON, no flow started', async () => {
    const r = await authorize(x, baseParams(app, { request: requestObject, response_mode: 'pi.flow' }));
    assert.equal(r.status, 400);
    assert.equal(json(r).error, 'request_not_supported');
    assert.equal(json(r).id, undefined);
  });
});

describe('sign-off with an id_token_hint for another user (OIDC RP-Initiated Logout §2)', () => {
  async function idTokenFor(w: World, a: WebApp): Promise<{ idToken: string; st: string }> {
    const signedIn = await signIn(w, a);
    const tokens = await redeem(w, a, signedIn.code);
    assert.equal(tokens.status, 200, tokens.body);
    return { idToken: json(tokens).id_token as string, st: signedIn.st };
  }
  const signoff = (hint: string, cookie: string) => raw(h, 'GET', `/${x.env}/as/signoff?${new URLSearchParams({
    id_token_hint: hint, post_logout_redirect_uri: 'https://app.example.com/bye', state: 'bye-1',
  })}`, { headers: { cookie: `ST=${cookie}` } });
  const sessionLives = async (cookie: string) =>
    String((await authorize(x, baseParams(app, { prompt: 'none' }), `ST=${cookie}`)).headers.location).startsWith(`${REDIRECT}?code=`);

  test("a hint whose sub is not the session's user is refused: error page, no redirect, the session and its cookie stay", async () => {
    const bobId = await createUser(h, x.env, 'bob');
    const bob = await idTokenFor({ ...x, userId: bobId, username: 'bob' }, app);
    const ada = await idTokenFor(x, app);
    const r = await signoff(bob.idToken, ada.st);
    expectErrorPage(r);
    const cleared = String(r.headers['set-cookie'] ?? '');
    assert.ok(!/(^|,)\s*ST=;/.test(cleared) && !cleared.includes('ST=;'), 'the ST cookie is not cleared');
    assert.equal(await sessionLives(ada.st), true);
  });

  test('control: a hint for the signed-in user ends the session and redirects with state', async () => {
    const ada = await idTokenFor(x, app);
    const r = await signoff(ada.idToken, ada.st);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, 'https://app.example.com/bye?state=bye-1');
    assert.equal(await sessionLives(ada.st), false);
  });
});
