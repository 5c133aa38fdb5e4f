/**
 * Hostile use of codes and tokens against the REAL app in-process: PKCE downgrade at the token
 * endpoint, code replay, refresh replay, cross-client and cross-environment use, userinfo with the
 * wrong kind of token, and no secrets in error responses.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { JWT_BEARER, clientKey, issuerOf, jwksString, signWith, startInProcess, type InProcess } from '../support/harness.js';
import {
  PASSWORD, REDIRECT, basic, expectInvalidGrant, expectNoLeak, isActive, json, pkce, raw, redeem, refresh, signIn, token, webApp, world, type RawReply, type WebApp, type World,
} from '../support/sign-in-hostile.js';

let h: InProcess;
let x: World;
let y: World;
let a: WebApp;
let b: WebApp;
let strict: WebApp;
let yApp: WebApp;

before(async () => {
  h = await startInProcess();
  x = await world(h, 'Tokens X');
  y = await world(h, 'Tokens Y');
  a = await webApp(h, x.env, 'client-a');
  b = await webApp(h, x.env, 'client-b');
  strict = await webApp(h, x.env, 'client-s256', { pkceEnforcement: 'S256_REQUIRED' });
  yApp = await webApp(h, y.env, 'client-y');
});
after(() => h?.close());

function ok(r: RawReply): any {
  assert.equal(r.status, 200, r.body);
  return json(r);
}

describe('PKCE at the token endpoint (RFC 7636 §4.6)', () => {
  test('a verifier for another challenge → invalid_grant; the code is not burnt and the right verifier still redeems it', async () => {
    const right = pkce();
    const wrong = pkce();
    const { code } = await signIn(x, strict, { code_challenge: right.challenge, code_challenge_method: 'S256' });
    expectInvalidGrant(await redeem(x, strict, code, { code_verifier: wrong.verifier }), code, wrong.verifier, right.verifier);
    // The check precedes redemption: someone holding only the stolen code cannot consume it.
    ok(await redeem(x, strict, code, { code_verifier: right.verifier }));
  });

  test('a missing verifier for a code with a challenge → invalid_grant (no downgrade)', async () => {
    const p = pkce();
    const { code } = await signIn(x, strict, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    expectInvalidGrant(await redeem(x, strict, code), code);
    expectInvalidGrant(await redeem(x, strict, code, { code_verifier: p.challenge }), code, p.verifier);
    ok(await redeem(x, strict, code, { code_verifier: p.verifier }));
  });

  test('a verifier for a code issued without a challenge → invalid_grant', async () => {
    const p = pkce();
    const { code } = await signIn(x, a);
    expectInvalidGrant(await redeem(x, a, code, { code_verifier: p.verifier }), code, p.verifier);
    ok(await redeem(x, a, code));
  });
});

describe('code replay (RFC 6749 §4.1.2, §10.5)', () => {
  test('a second redemption → invalid_grant, and the refresh token of the first stops working', async () => {
    const { code } = await signIn(x, a);
    const first = ok(await redeem(x, a, code));
    assert.ok(first.refresh_token);
    expectInvalidGrant(await redeem(x, a, code), code, first.refresh_token, first.access_token);
    expectInvalidGrant(await refresh(x, a, first.refresh_token), first.refresh_token);
  });

  test('a replay also revokes refresh tokens rotated from the first one', async () => {
    const { code } = await signIn(x, a);
    const first = ok(await redeem(x, a, code));
    const rotated = ok(await refresh(x, a, first.refresh_token));
    expectInvalidGrant(await redeem(x, a, code), code);
    expectInvalidGrant(await refresh(x, a, rotated.refresh_token), rotated.refresh_token);
  });

  test('a replay revokes the access tokens the grant issued (§4.1.2 "all tokens previously issued"): introspection and userinfo refuse them', async () => {
    const { code } = await signIn(x, a);
    const first = ok(await redeem(x, a, code));
    const rotated = ok(await refresh(x, a, first.refresh_token));
    const other = ok(await redeem(x, a, (await signIn(x, a)).code));
    assert.equal(await isActive(x, a, first.access_token), true);
    assert.equal(await isActive(x, a, rotated.access_token), true);
    expectInvalidGrant(await redeem(x, a, code), code);
    assert.equal(await isActive(x, a, first.access_token), false);
    assert.equal(await isActive(x, a, rotated.access_token), false);
    const userinfo = await raw(h, 'GET', `/${x.env}/as/userinfo`, { headers: { authorization: `Bearer ${first.access_token}` } });
    assert.equal(userinfo.status, 401);
    assert.equal(await isActive(x, a, other.access_token), true, 'another grant of the same user and client is untouched');
  });

  test('a replay of a code issued without offline_access revokes its access token too', async () => {
    const { code } = await signIn(x, a, { scope: 'openid' });
    const first = ok(await redeem(x, a, code));
    assert.equal(first.refresh_token, undefined);
    expectInvalidGrant(await redeem(x, a, code), code);
    assert.equal(await isActive(x, a, first.access_token), false);
  });
});

describe('refresh replay (OAuth 2.0 Security BCP §4.14.2)', () => {
  test('a rotated refresh token → invalid_grant and the whole family, newest included, is revoked', async () => {
    const { code } = await signIn(x, a);
    const t1 = ok(await redeem(x, a, code)).refresh_token as string;
    const t2 = ok(await refresh(x, a, t1)).refresh_token as string;
    const t3 = ok(await refresh(x, a, t2)).refresh_token as string;
    assert.notEqual(t1, t2);
    assert.notEqual(t2, t3);
    expectInvalidGrant(await refresh(x, a, t1), t1, t2, t3);
    expectInvalidGrant(await refresh(x, a, t3), t3);
    expectInvalidGrant(await refresh(x, a, t2), t2);
  });

  test('reuse also revokes every access token of the family, the code\'s included; another family keeps its own', async () => {
    const first = ok(await redeem(x, a, (await signIn(x, a)).code));
    const second = ok(await refresh(x, a, first.refresh_token));
    const unrelated = ok(await redeem(x, a, (await signIn(x, a)).code));
    expectInvalidGrant(await refresh(x, a, first.refresh_token), first.refresh_token);
    assert.equal(await isActive(x, a, first.access_token), false);
    assert.equal(await isActive(x, a, second.access_token), false);
    assert.equal(await isActive(x, a, unrelated.access_token), true);
  });

  test("another family of the same user and client is untouched", async () => {
    const one = ok(await redeem(x, a, (await signIn(x, a)).code)).refresh_token as string;
    const two = ok(await redeem(x, a, (await signIn(x, a)).code)).refresh_token as string;
    ok(await refresh(x, a, one));
    expectInvalidGrant(await refresh(x, a, one));
    ok(await refresh(x, a, two));
  });
});

describe('redirect_uri at the token endpoint (RFC 6749 §4.1.3)', () => {
  test('left out although the authorization request carried it → invalid_grant; the code is not consumed', async () => {
    const { code } = await signIn(x, a);
    expectInvalidGrant(await token(x, a, { grant_type: 'authorization_code', code }), code);
    expectInvalidGrant(await redeem(x, a, code, { redirect_uri: `${REDIRECT}/` }), code);
    ok(await redeem(x, a, code));
  });

  test('a PRIVATE_KEY_JWT client: redirect_uri left out or different, or a wrong code_verifier → invalid_grant, and neither the code nor the assertion jti is consumed', async () => {
    const key = await clientKey('RS256', 'redirect-key');
    const pkj = await webApp(h, x.env, 'client-pkj', { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) });
    const right = pkce();
    const { code } = await signIn(x, pkj, { code_challenge: right.challenge, code_challenge_method: 'S256' });
    const assertion = await signWith(key, pkj.id, { aud: issuerOf(h, x.env) });
    const exchange = (form: Record<string, string>) => raw(h, 'POST', `/${x.env}/as/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ client_assertion_type: JWT_BEARER, client_assertion: assertion, ...form }).toString(),
    });
    const redemption = { grant_type: 'authorization_code', code, code_verifier: right.verifier };
    expectInvalidGrant(await exchange(redemption), code, assertion);
    expectInvalidGrant(await exchange({ ...redemption, redirect_uri: `${REDIRECT}/` }), code, assertion);
    expectInvalidGrant(await exchange({ ...redemption, redirect_uri: REDIRECT, code_verifier: pkce().verifier }), code, assertion);
    // RFC 7523 §3 item 7: the jti is single-use, and only a request that succeeds uses it.
    const tokens = ok(await exchange({ ...redemption, redirect_uri: REDIRECT }));
    const replayed = await exchange({ ...redemption, redirect_uri: REDIRECT });
    assert.equal(replayed.status, 401, replayed.body);
    assert.equal(json(replayed).error, 'invalid_client');

    // RFC 6749 §6: an unknown refresh token or a wider scope is refused before the jti is recorded.
    const second = await signWith(key, pkj.id, { aud: issuerOf(h, x.env) });
    const refreshWith = (form: Record<string, string>) => raw(h, 'POST', `/${x.env}/as/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'refresh_token', client_assertion_type: JWT_BEARER, client_assertion: second, ...form }).toString(),
    });
    expectInvalidGrant(await refreshWith({ refresh_token: 'not-a-refresh-token' }), second);
    const widened = await refreshWith({ refresh_token: tokens.refresh_token, scope: 'openid profile email address phone offline_access' });
    assert.equal(widened.status, 400, widened.body);
    assert.equal(json(widened).error, 'invalid_scope');
    ok(await refreshWith({ refresh_token: tokens.refresh_token }));
  });
});

describe('cross-client use (RFC 6749 §4.1.3, §6)', () => {
  test("client B redeeming client A's code → invalid_grant; A can still redeem it (B cannot burn it)", async () => {
    const { code } = await signIn(x, a);
    expectInvalidGrant(await redeem(x, b, code), code);
    const tokens = ok(await redeem(x, a, code));
    assert.equal(tokens.token_type, 'Bearer');
  });

  test("client B using client A's refresh token → invalid_grant; A's token stays valid", async () => {
    const rt = ok(await redeem(x, a, (await signIn(x, a)).code)).refresh_token as string;
    expectInvalidGrant(await refresh(x, b, rt), rt);
    ok(await refresh(x, a, rt));
  });
});

describe('cross-environment use', () => {
  test("a code from environment X at environment Y's token endpoint → invalid_grant; X can still redeem it", async () => {
    const { code } = await signIn(x, a);
    expectInvalidGrant(await redeem(y, yApp, code), code);
    ok(await redeem(x, a, code));
  });

  test("X's refresh token at Y → invalid_grant", async () => {
    const rt = ok(await redeem(x, a, (await signIn(x, a)).code)).refresh_token as string;
    expectInvalidGrant(await refresh(y, yApp, rt), rt);
  });

  test("X's client credentials at Y's token endpoint → 401 invalid_client", async () => {
    const { code } = await signIn(x, a);
    const r = await redeem(x, a, code, {}, y.env);
    assert.equal(r.status, 401);
    assert.equal(json(r).error, 'invalid_client');
    expectNoLeak(r, code, a.secret);
  });
});

describe('userinfo (OIDC Core §5.3; RFC 6750 §3.1)', () => {
  const userinfo = (env: string, accessToken: string) => raw(h, 'GET', `/${env}/as/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });

  test('a client_credentials token (no sub) → 401 invalid_token', async () => {
    // The harness's admin token is a client_credentials token of the admin environment's worker.
    const r = await userinfo(h.adminEnvId, h.token);
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /error="invalid_token"/);
  });

  test('a revoked access token → 401 invalid_token', async () => {
    const tokens = ok(await redeem(x, a, (await signIn(x, a)).code));
    assert.equal((await userinfo(x.env, tokens.access_token)).status, 200);
    const revoked = await raw(h, 'POST', `/${x.env}/as/revoke`, {
      headers: { ...basic(a), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: tokens.access_token, token_type_hint: 'access_token' }).toString(),
    });
    assert.equal(revoked.status, 200, revoked.body);
    const r = await userinfo(x.env, tokens.access_token);
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /error="invalid_token"/);
  });

  test("X's user token at Y's userinfo → 401", async () => {
    const tokens = ok(await redeem(x, a, (await signIn(x, a)).code));
    assert.equal((await userinfo(y.env, tokens.access_token)).status, 401);
  });
});

describe('error responses never carry secrets', () => {
  test('password, code verifier and refresh token are not echoed by any failure', async () => {
    const p = pkce();
    const { code } = await signIn(x, strict, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    const rt = ok(await redeem(x, strict, code, { code_verifier: p.verifier })).refresh_token as string;
    const failures = [
      await redeem(x, strict, code, { code_verifier: p.verifier }),
      await redeem(x, b, code, { code_verifier: p.verifier }),
      await refresh(x, b, rt),
      await raw(h, 'POST', `/${x.env}/as/token`, {
        headers: { ...basic(strict), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt, scope: 'openid admin' }).toString(),
      }),
      await raw(h, 'POST', `/${x.env}/as/token`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'password', username: x.username, password: PASSWORD, client_id: a.id }).toString(),
      }),
    ];
    for (const r of failures) {
      assert.ok(r.status >= 400, r.body);
      expectNoLeak(r, PASSWORD, p.verifier, rt, code, a.secret, b.secret, strict.secret);
    }
  });
});
