/**
 * Migration 0004_sign_in: flows, sessions, codes, refresh tokens and PAR requests.
 */
import assert from 'node:assert/strict';
import type { AuthorizationCodeRecord } from '../../../src/domain/sign-in/authorization-code.js';
import type { FlowRecord } from '../../../src/domain/sign-in/flow.js';
import type { ParRequestRecord } from '../../../src/domain/sign-in/par-request.js';
import type { RefreshTokenRecord } from '../../../src/domain/sign-in/refresh-token.js';
import type { SessionRecord } from '../../../src/domain/sign-in/session.js';
import type { Store } from '../../../src/store/types.js';
import { FAR, NOW, sql, type CaseContext, type MigrationCase } from './harness.js';

async function promises4({ store }: CaseContext): Promise<void> {
  const flow: FlowRecord = {
    id: 'flow-new',
    environmentId: 'env-a',
    applicationId: 'app-web',
    request: { clientId: 'app-web', redirectUri: 'https://portal.example.test/callback', responseType: 'code', responseMode: 'query', scope: ['openid'] },
    status: 'USERNAME_PASSWORD_REQUIRED',
    csrfToken: 'csrf-new',
    createdAt: NOW,
    expiresAt: FAR,
    version: 1,
  };
  await store.createFlow('env-a', flow);
  const signedIn = { ...flow, status: 'COMPLETED' as const, userId: 'user-alice', sessionId: 'session-new' };
  assert.equal(await store.updateFlow('env-a', signedIn, 1), true);
  assert.deepEqual(await store.getFlow('env-a', 'flow-new'), { ...signedIn, version: 2 });
  const session: SessionRecord = { idHash: 'session-new', environmentId: 'env-a', userId: 'user-alice', authTime: NOW, amr: ['pwd'], expiresAt: FAR };
  await store.createSession('env-a', session);
  assert.deepEqual(await store.getSession('env-a', 'session-new', NOW), session);
  const code: AuthorizationCodeRecord = {
    codeHash: 'code-new',
    environmentId: 'env-a',
    applicationId: 'app-web',
    userId: 'user-alice',
    sessionIdHash: 'session-new',
    redirectUri: 'https://portal.example.test/callback',
    scope: ['openid'],
    authTime: NOW,
    amr: ['pwd'],
    grantId: 'grant-new',
    expiresAt: FAR,
  };
  await store.createAuthorizationCode('env-a', code);
  const refresh: RefreshTokenRecord = {
    tokenHash: 'rt-new',
    environmentId: 'env-a',
    applicationId: 'app-web',
    userId: 'user-alice',
    sessionIdHash: 'session-new',
    grantId: 'grant-new',
    familyId: 'fam-new',
    scope: ['openid'],
    authTime: NOW,
    amr: ['pwd'],
    createdAt: NOW,
    expiresAt: FAR,
  };
  assert.deepEqual(await store.redeemAuthorizationCode('env-a', 'code-new', NOW, refresh), { status: 'redeemed', code });
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-new', NOW), refresh);
  const par: ParRequestRecord = { id: 'par-new', environmentId: 'env-a', applicationId: 'app-web', params: { client_id: 'app-web' }, expiresAt: FAR };
  await store.createParRequest('env-a', par);
  assert.deepEqual(await store.consumeParRequest('env-a', 'par-new', NOW), par);
  // The lockout columns of users written before work with the sign-in code.
  const lockedUntil = '2026-06-01T00:15:00.000Z';
  assert.deepEqual(await store.recordFailedSignIn('env-a', 'user-alice', { threshold: 3, now: NOW, until: lockedUntil }), {
    failedAttempts: 0,
    lockedUntil,
  });
  await store.resetFailedSignIns('env-a', 'user-alice');
  assert.deepEqual((await store.getUser('env-a', 'user-alice'))?.signIn, { failedAttempts: 0 });
}

// ---------------------------------------------------------------------------------------------
// Version 4: sign-in state of Alice on the web application.

const ROWS_4 = sql`
INSERT INTO flows (environment_id, id, application_id, request, status, user_id, session_id, csrf_token, created_at, expires_at, version) VALUES
  ('env-a', 'flow-hash-1', 'app-web',
   '{"clientId":"app-web","redirectUri":"https://portal.example.test/callback","responseType":"code","responseMode":"query","scope":["openid","profile"],"state":"st\u00e4te","nonce":"n-1","codeChallenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM","codeChallengeMethod":"S256"}',
   'COMPLETED', 'user-alice', 'sess-hash-1', 'csrf-1', '2026-05-31T23:55:00.000Z', '2999-01-01T00:00:00.000Z', 2),
  ('env-a', 'flow-hash-2', 'app-web',
   '{"clientId":"app-web","redirectUri":"https://portal.example.test/callback","responseType":"code","responseMode":"form_post","scope":["openid"],"prompt":"login","maxAge":300}',
   'USERNAME_PASSWORD_REQUIRED', NULL, NULL, 'csrf-2', '2026-05-31T23:58:00.000Z', '2999-01-01T00:00:00.000Z', 1);

INSERT INTO sessions (environment_id, id_hash, user_id, auth_time, amr, acr, expires_at, revoked_at) VALUES
  ('env-a', 'sess-hash-1', 'user-alice', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor', '2999-01-01T00:00:00.000Z', NULL),
  ('env-a', 'sess-hash-2', 'user-alice', '2026-05-31T23:50:00.000Z', '["pwd","otp"]', NULL, '2999-01-01T00:00:00.000Z', '2026-05-31T23:59:00.000Z');

INSERT INTO authorization_codes (environment_id, code_hash, application_id, user_id, session_id_hash, redirect_uri, scope, nonce, code_challenge, code_challenge_method, auth_time, amr, acr, grant_id, expires_at, redeemed_at) VALUES
  ('env-a', 'code-hash-1', 'app-web', 'user-alice', 'sess-hash-1', 'https://portal.example.test/callback', '["openid","profile"]', 'n-1',
   'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor', 'grant-1', '2999-01-01T00:00:00.000Z', NULL),
  ('env-a', 'code-hash-2', 'app-web', 'user-alice', 'sess-hash-1', 'https://portal.example.test/callback', '["openid"]', NULL,
   NULL, NULL, '2026-05-31T23:56:00.000Z', '["pwd"]', NULL, 'grant-1', '2999-01-01T00:00:00.000Z', '2026-05-31T23:57:00.000Z');

INSERT INTO refresh_tokens (environment_id, token_hash, application_id, user_id, session_id_hash, grant_id, family_id, scope, auth_time, amr, acr, created_at, expires_at, rotated_at, replaced_by, revoked_at) VALUES
  ('env-a', 'rt-hash-0', 'app-web', 'user-alice', 'sess-hash-1', 'grant-1', 'fam-1', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor',
   '2026-05-31T23:57:00.000Z', '2999-01-01T00:00:00.000Z', '2026-05-31T23:58:00.000Z', 'rt-hash-1', NULL),
  ('env-a', 'rt-hash-1', 'app-web', 'user-alice', 'sess-hash-1', 'grant-1', 'fam-1', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor',
   '2026-05-31T23:58:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, NULL),
  ('env-a', 'rt-hash-3', 'app-web', 'user-alice', 'sess-hash-1', 'grant-1', 'fam-3', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', NULL,
   '2026-05-31T23:57:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, '2026-05-31T23:59:00.000Z'),
  ('env-a', 'rt-hash-4', 'app-web', 'user-alice', 'sess-hash-1', 'grant-2', 'fam-4', '["offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd","otp"]', NULL,
   '2026-05-31T23:59:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, NULL);

INSERT INTO par_requests (environment_id, id, application_id, params, expires_at) VALUES
  ('env-a', 'par-hash-1', 'app-web', '{"client_id":"app-web","response_type":"code","scope":"openid profile","redirect_uri":"https://portal.example.test/callback"}', '2999-01-01T00:00:00.000Z');
`;

const FLOW_1: FlowRecord = {
  id: 'flow-hash-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  request: {
    clientId: 'app-web',
    redirectUri: 'https://portal.example.test/callback',
    responseType: 'code',
    responseMode: 'query',
    scope: ['openid', 'profile'],
    state: 'st\u00e4te',
    nonce: 'n-1',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
  },
  status: 'COMPLETED',
  userId: 'user-alice',
  sessionId: 'sess-hash-1',
  csrfToken: 'csrf-1',
  createdAt: '2026-05-31T23:55:00.000Z',
  expiresAt: FAR,
  version: 2,
};

const FLOW_2: FlowRecord = {
  id: 'flow-hash-2',
  environmentId: 'env-a',
  applicationId: 'app-web',
  request: {
    clientId: 'app-web',
    redirectUri: 'https://portal.example.test/callback',
    responseType: 'code',
    responseMode: 'form_post',
    scope: ['openid'],
    prompt: 'login',
    maxAge: 300,
  },
  status: 'USERNAME_PASSWORD_REQUIRED',
  csrfToken: 'csrf-2',
  createdAt: '2026-05-31T23:58:00.000Z',
  expiresAt: FAR,
  version: 1,
};

const SESSION_1: SessionRecord = {
  idHash: 'sess-hash-1',
  environmentId: 'env-a',
  userId: 'user-alice',
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  acr: 'Single_Factor',
  expiresAt: FAR,
};

const CODE_1: AuthorizationCodeRecord = {
  codeHash: 'code-hash-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  redirectUri: 'https://portal.example.test/callback',
  scope: ['openid', 'profile'],
  nonce: 'n-1',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  acr: 'Single_Factor',
  grantId: 'grant-1',
  expiresAt: FAR,
};

const CODE_2: AuthorizationCodeRecord = {
  codeHash: 'code-hash-2',
  environmentId: 'env-a',
  applicationId: 'app-web',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  redirectUri: 'https://portal.example.test/callback',
  scope: ['openid'],
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  grantId: 'grant-1',
  expiresAt: FAR,
};

export const refreshRecord = (
  tokenHash: string,
  grantId: string,
  familyId: string,
  scope: string[],
  amr: string[],
  acr: string | undefined,
  createdAt: string,
): RefreshTokenRecord => ({
  tokenHash,
  environmentId: 'env-a',
  applicationId: 'app-web',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  grantId,
  familyId,
  scope,
  authTime: '2026-05-31T23:56:00.000Z',
  amr,
  ...(acr === undefined ? {} : { acr }),
  createdAt,
  expiresAt: FAR,
});

const RT_0 = refreshRecord('rt-hash-0', 'grant-1', 'fam-1', ['openid', 'offline_access'], ['pwd'], 'Single_Factor', '2026-05-31T23:57:00.000Z');
const RT_1 = refreshRecord('rt-hash-1', 'grant-1', 'fam-1', ['openid', 'offline_access'], ['pwd'], 'Single_Factor', '2026-05-31T23:58:00.000Z');
export const RT_4 = refreshRecord('rt-hash-4', 'grant-2', 'fam-4', ['offline_access'], ['pwd', 'otp'], undefined, '2026-05-31T23:59:00.000Z');

const PAR_1: ParRequestRecord = {
  id: 'par-hash-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  params: { client_id: 'app-web', response_type: 'code', scope: 'openid profile', redirect_uri: 'https://portal.example.test/callback' },
  expiresAt: FAR,
};

async function readBack4(store: Store): Promise<void> {
  assert.deepEqual(await store.getFlow('env-a', 'flow-hash-1'), FLOW_1);
  assert.deepEqual(await store.getFlow('env-a', 'flow-hash-2'), FLOW_2);
  assert.deepEqual(await store.getSession('env-a', 'sess-hash-1', NOW), SESSION_1);
  assert.equal(await store.getSession('env-a', 'sess-hash-2', NOW), undefined, 'a revoked session');
  assert.deepEqual(await store.findAuthorizationCode('env-a', 'code-hash-1'), CODE_1);
  assert.deepEqual(await store.findAuthorizationCode('env-a', 'code-hash-2'), CODE_2);
  assert.deepEqual(await store.redeemAuthorizationCode('env-a', 'code-hash-2', NOW), { status: 'already_redeemed', code: CODE_2 });
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-0', NOW), RT_0, 'a rotated token is still found');
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-1', NOW), RT_1);
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-3', NOW), undefined, 'a revoked token');
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-4', NOW), RT_4);
  assert.deepEqual(await store.consumeParRequest('env-a', 'par-hash-1', NOW), PAR_1);
  assert.equal(await store.consumeParRequest('env-a', 'par-hash-1', NOW), undefined, 'consumed once');
}

export const migrationCase: MigrationCase = { version: 4, name: 'sign_in', rows: ROWS_4, readBack: readBack4, promises: promises4 };
