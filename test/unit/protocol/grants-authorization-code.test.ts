import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { InvalidGrant, UnauthorizedClient, UnsupportedGrantType } from '../../../src/protocol/errors.js';
import { sha256Base64url } from '../../../src/protocol/tokens/opaque.js';
import { at, CHALLENGE, harness, REDIRECT, storeCode, VERIFIER, webApp } from '../../support/grant-fakes.js';

const redeem = (code: string, extra: Record<string, string> = {}) => ({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER, ...extra });
const PLAIN_VERIFIER = 'plain-verifier-0123456789-0123456789-0123456789';

describe('authorization_code grant (RFC 6749 §4.1.3, OIDC Core §3.1.3)', () => {
  test('happy path with PKCE S256 (RFC 7636 §4.6): access, ID and refresh token', async () => {
    const h = harness();
    const response = await h.token('app-a', redeem(await storeCode(h.grants)));
    assert.equal(response.token_type, 'Bearer');
    assert.equal(response.expires_in, 3600);
    assert.equal(response.scope, 'openid profile email offline_access');
    assert.equal(typeof response.access_token, 'string');
    assert.equal(typeof response.id_token, 'string');
    assert.match(String(response.refresh_token), /^[A-Za-z0-9_-]{43}$/);
    const stored = h.grants.tokens.get(sha256Base64url(String(response.refresh_token)));
    assert.ok(stored, 'the refresh token is stored by its SHA-256 only');
    assert.deepEqual(stored.token.scope, ['openid', 'profile', 'email', 'offline_access']);
  });

  test('happy path with PKCE plain when the code was issued with method plain', async () => {
    const h = harness();
    const code = await storeCode(h.grants, { codeChallenge: PLAIN_VERIFIER, codeChallengeMethod: 'plain' });
    const response = await h.token('app-a', redeem(code, { code_verifier: PLAIN_VERIFIER }));
    assert.equal(typeof response.access_token, 'string');
  });

  test('plain is refused when the application requires S256 (pkceEnforcement S256_REQUIRED)', async () => {
    const h = harness({ settings: { pkceEnforcement: 'S256_REQUIRED' } });
    const code = await storeCode(h.grants, { codeChallenge: PLAIN_VERIFIER, codeChallengeMethod: 'plain' });
    await assert.rejects(h.token('app-a', redeem(code, { code_verifier: PLAIN_VERIFIER })), InvalidGrant);
  });

  test('no refresh token without offline_access, nor without the REFRESH_TOKEN grant type (PingOne)', async () => {
    const h = harness({ profiles: [webApp('app-a'), webApp('app-c', ['AUTHORIZATION_CODE'])] });
    const noOffline = await h.token('app-a', redeem(await storeCode(h.grants, { scope: ['openid', 'profile'] })));
    assert.equal(noOffline.refresh_token, undefined);
    const noGrantType = await h.token('app-c', redeem(await storeCode(h.grants, { applicationId: 'app-c' })));
    assert.equal(noGrantType.refresh_token, undefined);
    assert.equal(typeof noGrantType.id_token, 'string');
  });

  test('no id_token without the openid scope', async () => {
    const h = harness();
    const response = await h.token('app-a', redeem(await storeCode(h.grants, { scope: ['read'] })));
    assert.equal(response.id_token, undefined);
    assert.equal(response.expires_in, 1800, 'lifetime of the custom resource');
  });

  test('redirect_uri must be identical to the one of the authorization request (§4.1.3)', async () => {
    const h = harness();
    const code = await storeCode(h.grants);
    for (const near of [`${REDIRECT}/`, 'https://app.example.com/CB', `${REDIRECT}?x=1`]) {
      await assert.rejects(h.token('app-a', redeem(code, { redirect_uri: near })), InvalidGrant);
    }
    // The authorization request included redirect_uri (Keyway requires it there), so leaving it
    // out is the same failure as a different value: invalid_grant.
    await assert.rejects(h.token('app-a', { grant_type: 'authorization_code', code, code_verifier: VERIFIER }), InvalidGrant);
    assert.ok(await h.token('app-a', redeem(code)), 'a rejected request does not consume the code');
  });

  test('code replay (§4.1.2, §10.5): the second redemption fails and revokes the refresh token of the first', async () => {
    const h = harness();
    const code = await storeCode(h.grants);
    const first = await h.token('app-a', redeem(code));
    await assert.rejects(h.token('app-a', redeem(code)), InvalidGrant);
    await assert.rejects(h.token('app-a', { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) }), InvalidGrant);
  });

  test('a code issued to another client is invalid_grant and is not consumed', async () => {
    const h = harness();
    const code = await storeCode(h.grants);
    await assert.rejects(h.token('app-b', redeem(code)), InvalidGrant);
    const response = await h.token('app-a', redeem(code));
    assert.equal(typeof response.refresh_token, 'string', 'the rightful client still redeems it, and nothing was revoked');
  });

  test('an unknown code is invalid_grant', async () => {
    const h = harness();
    await assert.rejects(h.token('app-a', redeem('not-a-code')), InvalidGrant);
  });

  test('an expired code is invalid_grant, and an expired replay still revokes the grant', async () => {
    const h = harness();
    await assert.rejects(h.token('app-a', redeem(await storeCode(h.grants, { expiresAt: at(0) }))), InvalidGrant);
    const code = await storeCode(h.grants);
    const first = await h.token('app-a', redeem(code));
    h.state.now = at(120);
    await assert.rejects(h.token('app-a', redeem(code)), InvalidGrant);
    h.state.now = at(121);
    await assert.rejects(h.token('app-a', { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) }), InvalidGrant);
  });

  describe('PKCE downgrade (RFC 7636 §4.6)', () => {
    test('challenge S256, verifier sent as for plain (the challenge itself)', async () => {
      const h = harness();
      await assert.rejects(h.token('app-a', redeem(await storeCode(h.grants), { code_verifier: CHALLENGE })), InvalidGrant);
    });
    test('challenge without verifier', async () => {
      const h = harness();
      const code = await storeCode(h.grants);
      await assert.rejects(h.token('app-a', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }), InvalidGrant);
    });
    test('verifier without challenge', async () => {
      const h = harness();
      const code = await storeCode(h.grants, { codeChallenge: undefined, codeChallengeMethod: undefined });
      await assert.rejects(h.token('app-a', redeem(code)), InvalidGrant);
      assert.ok(await h.token('app-a', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }), 'PKCE is optional for this client');
    });
    test('wrong verifier, malformed verifier (43-128 unreserved characters)', async () => {
      const h = harness();
      const code = await storeCode(h.grants);
      await assert.rejects(h.token('app-a', redeem(code, { code_verifier: VERIFIER.replace('d', 'e') })), InvalidGrant);
      await assert.rejects(h.token('app-a', redeem(code, { code_verifier: 'short' })), InvalidGrant);
      await assert.rejects(h.token('app-a', redeem(code, { code_verifier: `${VERIFIER}!` })), InvalidGrant);
    });
    test('a code without challenge is refused when the application requires PKCE', async () => {
      const h = harness({ settings: { pkceEnforcement: 'REQUIRED' } });
      const code = await storeCode(h.grants, { codeChallenge: undefined, codeChallengeMethod: undefined });
      await assert.rejects(h.token('app-a', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }), InvalidGrant);
    });
  });

  test('the application must have AUTHORIZATION_CODE (unauthorized_client, RFC 6749 §5.2)', async () => {
    const h = harness({ profiles: [webApp('app-a', ['CLIENT_CREDENTIALS'])] });
    await assert.rejects(h.token('app-a', redeem(await storeCode(h.grants))), UnauthorizedClient);
  });

  test('without sign-in deps the user grants are unsupported_grant_type; unknown grant types too', async () => {
    const h = harness({ signIn: false });
    await assert.rejects(h.token('app-a', redeem('x')), UnsupportedGrantType);
    await assert.rejects(h.token('app-a', { grant_type: 'refresh_token', refresh_token: 'x' }), UnsupportedGrantType);
    await assert.rejects(harness().token('app-a', { grant_type: 'password' }), UnsupportedGrantType);
  });

  test('a deleted user gets no tokens', async () => {
    const h = harness();
    h.users.users.clear();
    await assert.rejects(h.token('app-a', redeem(await storeCode(h.grants))), InvalidGrant);
  });
});
