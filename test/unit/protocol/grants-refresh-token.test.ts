import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { decodeJwt } from 'jose';
import { InvalidGrant, InvalidScope, UnauthorizedClient } from '../../../src/protocol/errors.js';
import { sha256Base64url } from '../../../src/protocol/tokens/opaque.js';
import type { SignInClientSettings } from '../../../src/protocol/sign-in/ports.js';
import { at, harness, REDIRECT, storeCode, VERIFIER, webApp } from '../../support/grant-fakes.js';

const DAY = 86_400;

async function signedIn(settings: Partial<SignInClientSettings> = {}, opts: Parameters<typeof harness>[0] = {}) {
  const h = harness({ ...opts, settings });
  const code = await storeCode(h.grants);
  const first = await h.token('app-a', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER });
  const refresh = (token: unknown, extra: Record<string, string> = {}, client = 'app-a') =>
    h.token(client, { grant_type: 'refresh_token', refresh_token: String(token), ...extra });
  return { h, first, refresh };
}

describe('refresh_token grant (RFC 6749 §6)', () => {
  test('rotation on every use: new access, ID and refresh token; the old one is retired', async () => {
    const { h, first, refresh } = await signedIn();
    h.state.now = at(600);
    const second = await refresh(first.refresh_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(second.scope, 'openid profile email offline_access');
    const id = decodeJwt(String(second.id_token));
    assert.equal(id.nonce, undefined, 'no nonce on refresh (OIDC Core §12.2)');
    assert.equal(id.auth_time, Math.floor(at(-30).getTime() / 1000), 'auth_time of the original authentication');
    const a = h.grants.tokens.get(sha256Base64url(String(first.refresh_token)));
    const b = h.grants.tokens.get(sha256Base64url(String(second.refresh_token)));
    assert.ok(a?.retiredAt && b && a.token.familyId === b.token.familyId && a.token.grantId === b.token.grantId);
    assert.ok(await refresh(second.refresh_token));
  });

  test('reuse of a rotated token outside the grace period fails and revokes the whole family (Security BCP §4.14.2)', async () => {
    const { h, first, refresh } = await signedIn();
    const second = await refresh(first.refresh_token);
    h.state.now = at(1);
    await assert.rejects(refresh(first.refresh_token), InvalidGrant);
    await assert.rejects(refresh(second.refresh_token), InvalidGrant, 'the newest token of the family is revoked too');
  });

  test('grace period (refreshTokenRollingGracePeriodDuration): a rotated token works again within it, not after', async () => {
    const { h, first, refresh } = await signedIn({ refreshTokenRollingGracePeriodDuration: 30 });
    const second = await refresh(first.refresh_token);
    h.state.now = at(30);
    const retry = await refresh(first.refresh_token);
    assert.notEqual(retry.refresh_token, second.refresh_token);
    h.state.now = at(31);
    await assert.rejects(refresh(first.refresh_token), InvalidGrant);
    await assert.rejects(refresh(retry.refresh_token), InvalidGrant, 'family revoked');
  });

  test('narrowing the scope works; the new refresh token keeps the original scope (§6)', async () => {
    const { h, first, refresh } = await signedIn();
    const narrow = await refresh(first.refresh_token, { scope: 'email' });
    assert.equal(narrow.scope, 'email');
    assert.equal(narrow.id_token, undefined, 'no openid, no ID token');
    assert.equal(decodeJwt(String(narrow.access_token)).scope, 'email');
    const stored = h.grants.tokens.get(sha256Base64url(String(narrow.refresh_token)));
    assert.deepEqual(stored?.token.scope, ['openid', 'profile', 'email', 'offline_access']);
    const again = await refresh(narrow.refresh_token);
    assert.equal(again.scope, 'openid profile email offline_access');
  });

  test('widening the scope fails with invalid_scope and does not rotate', async () => {
    const { first, refresh } = await signedIn();
    await assert.rejects(refresh(first.refresh_token, { scope: 'openid phone' }), InvalidScope);
    await assert.rejects(refresh(first.refresh_token, { scope: 'openid  email' }), InvalidScope);
    assert.ok(await refresh(first.refresh_token), 'still usable');
  });

  test('refreshTokenDuration: each token lives that long from its issue; every rotation starts a new one', async () => {
    const { h, first, refresh } = await signedIn({ refreshTokenDuration: DAY });
    h.state.now = at(DAY - 1);
    const second = await refresh(first.refresh_token);
    h.state.now = at(2 * DAY - 2);
    const third = await refresh(second.refresh_token);
    h.state.now = at(3 * DAY - 2);
    await assert.rejects(refresh(third.refresh_token), InvalidGrant);
  });

  test('absolute expiry (refreshTokenRollingDuration): no refresh past auth_time + rolling duration', async () => {
    const { h, first, refresh } = await signedIn({ refreshTokenDuration: DAY, refreshTokenRollingDuration: 2 * DAY });
    h.state.now = at(DAY - 60);
    const second = await refresh(first.refresh_token);
    const stored = h.grants.tokens.get(sha256Base64url(String(second.refresh_token)));
    assert.equal(stored?.token.expiresAt.getTime(), at(DAY - 60 + DAY).getTime());
    h.state.now = at(2 * DAY - 90);
    const third = await refresh(second.refresh_token);
    const capped = h.grants.tokens.get(sha256Base64url(String(third.refresh_token)));
    assert.equal(capped?.token.expiresAt.getTime(), at(2 * DAY - 30).getTime(), 'capped at auth_time + 2 days');
    h.state.now = at(2 * DAY - 30);
    await assert.rejects(refresh(third.refresh_token), InvalidGrant);
  });

  test('a refresh token issued to another client is invalid_grant and stays usable by its owner', async () => {
    const { first, refresh } = await signedIn();
    await assert.rejects(refresh(first.refresh_token, {}, 'app-b'), InvalidGrant);
    assert.ok(await refresh(first.refresh_token));
  });

  test('unknown token is invalid_grant; the REFRESH_TOKEN grant type is required', async () => {
    const { h, first, refresh } = await signedIn();
    await assert.rejects(refresh('unknown'), InvalidGrant);
    h.profiles.set('app-a', webApp('app-a', ['AUTHORIZATION_CODE']));
    await assert.rejects(refresh(first.refresh_token), UnauthorizedClient);
  });
});
