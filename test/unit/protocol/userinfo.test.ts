import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { decodeJwt } from 'jose';
import { issueAccessToken } from '../../../src/protocol/tokens/access-token.js';
import { BearerError, userInfoEndpoint, type UserInfoInput } from '../../../src/protocol/userinfo.js';
import { at, ENV, ISSUER, issuerKeys, MemoryRevocations, MemoryUsers, OIDC, T0 } from '../../support/grant-fakes.js';

const context = { environmentId: ENV, organizationId: 'org-1', issuer: ISSUER, managementAudience: 'https://keyway.test', now: T0 };
const revocations = new MemoryRevocations();
const deps = { verify: { keys: issuerKeys, revocations }, users: new MemoryUsers() };

async function accessToken(scope: string[], user: boolean = true): Promise<string> {
  const resolved = { scopes: scope, resources: [OIDC], management: false };
  const userClaims = user ? { sub: 'user-1', sid: 's', auth_time: T0.getTime() / 1000 } : undefined;
  return (await issueAccessToken(context, issuerKeys, { clientId: 'app-a', resolved, includeTyp: false, ...(userClaims ? { user: userClaims } : {}) })).token;
}

const input = (over: Partial<UserInfoInput>): UserInfoInput => ({ environmentId: ENV, issuer: ISSUER, authorization: undefined, formAccessToken: undefined, now: T0, ...over });

async function rejectsWith(promise: Promise<unknown>, status: number, error: string, challenge: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof BearerError);
    assert.equal(err.status, status);
    assert.equal(err.error, error);
    assert.match(err.challenge(), challenge);
    return true;
  });
}

describe('UserInfo endpoint (OIDC Core §5.3, RFC 6750 §3)', () => {
  test('returns the claims of the token scopes for the token sub (Authorization header and form body)', async () => {
    const token = await accessToken(['openid', 'profile', 'email']);
    const claims = await userInfoEndpoint(deps, input({ authorization: `Bearer ${token}` }));
    assert.deepEqual(claims, { sub: 'user-1', name: 'Ada Lovelace', given_name: 'Ada', email: 'ada@example.com', email_verified: true });
    assert.deepEqual(await userInfoEndpoint(deps, input({ formAccessToken: token })), claims);
  });

  test('an invalid, expired, foreign-issuer or revoked token is 401 invalid_token', async () => {
    const token = await accessToken(['openid']);
    const challenge = /^Bearer error="invalid_token", error_description="/;
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: `Bearer ${token}x` })), 401, 'invalid_token', challenge);
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: `Bearer ${token}`, now: at(3600) })), 401, 'invalid_token', challenge);
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: `Bearer ${token}`, issuer: `${ISSUER}x` })), 401, 'invalid_token', challenge);
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: 'Bearer' })), 401, 'invalid_token', challenge);
    const revoked = await accessToken(['openid']);
    await revocations.revoke(ENV, String(decodeJwt(revoked).jti));
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: `Bearer ${revoked}` })), 401, 'invalid_token', challenge);
  });

  test('a token without openid is 403 insufficient_scope', async () => {
    const token = await accessToken(['profile']);
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: `Bearer ${token}` })), 403, 'insufficient_scope', /error="insufficient_scope".*scope="openid"/);
  });

  test('a client_credentials token (no sub) is invalid_token', async () => {
    const token = await accessToken(['openid'], false);
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: `Bearer ${token}` })), 401, 'invalid_token', /invalid_token/);
  });

  test('no credentials: 401 with a bare Bearer challenge (§3.1); two methods at once: 400 invalid_request', async () => {
    await rejectsWith(userInfoEndpoint(deps, input({})), 401, 'invalid_request', /^Bearer$/);
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: 'Basic abc' })), 401, 'invalid_request', /^Bearer$/);
    const token = await accessToken(['openid']);
    await rejectsWith(userInfoEndpoint(deps, input({ authorization: `Bearer ${token}`, formAccessToken: token })), 400, 'invalid_request', /invalid_request/);
  });

  test('a deleted user is invalid_token', async () => {
    const token = await accessToken(['openid']);
    const none = { ...deps, users: { claims: async () => undefined } };
    await rejectsWith(userInfoEndpoint(none, input({ authorization: `Bearer ${token}` })), 401, 'invalid_token', /invalid_token/);
  });
});
