import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { issueIdToken, resolveUserScopes } from '../../../src/protocol/tokens/id-token.js';
import { InvalidScope } from '../../../src/protocol/errors.js';
import { at, ENV, harness, ISSUER, issuerKeys, REDIRECT, signingKey, storeCode, T0, VERIFIER, webApp } from '../../support/grant-fakes.js';

const T0_S = T0.getTime() / 1000;

async function codeResponse() {
  const h = harness();
  const code = await storeCode(h.grants);
  return h.token('app-a', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER });
}

describe('ID token (OIDC Core §2, §3.1.3.6)', () => {
  test('RS256 with the environment key; iss, sub, aud, azp, exp = iat + 3600, auth_time, nonce, sid, acr, amr', async () => {
    const response = await codeResponse();
    const idToken = String(response.id_token);
    assert.deepEqual(decodeProtectedHeader(idToken), { alg: 'RS256', kid: 'k1' });
    const { payload } = await jwtVerify(idToken, signingKey.publicKey, { issuer: ISSUER, audience: 'app-a', currentDate: T0, algorithms: ['RS256'] });
    assert.equal(payload.sub, 'user-1');
    assert.equal(payload.azp, 'app-a');
    assert.equal(payload.iat, T0_S);
    assert.equal(payload.exp, T0_S + 3600);
    assert.equal(payload.auth_time, at(-30).getTime() / 1000);
    assert.equal(payload.nonce, 'n-0S6_WzA2Mj');
    assert.equal(payload.sid, 'session-hash-1');
    assert.equal(payload.acr, 'Single_Factor');
    assert.deepEqual(payload.amr, ['pwd']);
  });

  test('at_hash is the left half of SHA-256 of the access token, base64url (§3.1.3.6)', async () => {
    const response = await codeResponse();
    const digest = createHash('sha256').update(String(response.access_token), 'ascii').digest();
    assert.equal(decodeJwt(String(response.id_token)).at_hash, digest.subarray(0, 16).toString('base64url'));
  });

  test('claims of the granted scopes (profile, email) from UserInfoSource, not of others (phone)', async () => {
    const payload = decodeJwt(String((await codeResponse()).id_token));
    assert.equal(payload.name, 'Ada Lovelace');
    assert.equal(payload.email, 'ada@example.com');
    assert.equal(payload.email_verified, true);
    assert.equal(payload.phone_number, undefined);
  });

  test('user claims never override protocol claims', async () => {
    const auth = { userId: 'user-1', sessionIdHash: 's', authTime: T0, amr: [] };
    const context = { environmentId: ENV, organizationId: 'o', issuer: ISSUER, managementAudience: 'm', now: T0 };
    const token = await issueIdToken(context, issuerKeys, { clientId: 'app-a', auth, nonce: undefined, accessToken: 'at', claims: { sub: 'evil', iss: 'evil', aud: 'evil', nonce: 'evil', name: 'Ada' } });
    const payload = decodeJwt(token);
    assert.deepEqual([payload.sub, payload.iss, payload.aud, payload.nonce, payload.name, payload.amr], ['user-1', ISSUER, 'app-a', undefined, 'Ada', undefined]);
  });

  test('access token of a user grant carries sub, sid, auth_time, acr and the resources as audiences (docs/pingone-reference.md §6.6)', async () => {
    const payload = decodeJwt(String((await codeResponse()).access_token));
    assert.equal(payload.sub, 'user-1');
    assert.equal(payload.sid, 'session-hash-1');
    assert.equal(payload.auth_time, at(-30).getTime() / 1000);
    assert.equal(payload.acr, 'Single_Factor');
    assert.equal(payload.client_id, 'app-a');
    assert.deepEqual(payload.aud, [ISSUER]);
    assert.equal(payload.env, undefined);
  });

  test('user scopes: PingOne API scopes are refused; scopes no longer granted are invalid_scope', () => {
    const profile = webApp('app-a');
    const withApi = { ...profile, grants: [...profile.grants, { resourceId: 'p1', type: 'PINGONE_API' as const, audience: 'https://keyway.test', accessTokenValiditySeconds: 3600, scopes: ['p1:read:user'] }] };
    assert.throws(() => resolveUserScopes(withApi, ['openid', 'p1:read:user'], ISSUER), InvalidScope);
    assert.throws(() => resolveUserScopes(profile, ['openid', 'gone'], ISSUER), InvalidScope);
    const resolved = resolveUserScopes({ ...profile, grants: [] }, ['openid'], ISSUER);
    assert.equal(resolved.resources[0]?.audience, ISSUER, 'OIDC scopes fall back to the environment OIDC resource');
  });
});
