/**
 * Migration 0005_change_notifications: PostgreSQL's triggers announce configuration changes
 * (nothing on SQLite). Rows written before it are changed here; the announcements are awaited.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { AuthorizationCodeRecord } from '../../../src/domain/sign-in/authorization-code.js';
import type { RefreshTokenRecord } from '../../../src/domain/sign-in/refresh-token.js';
import type { ApplicationRecord, ConfigChange, SecretRecord, Store } from '../../../src/store/types.js';
import { waitFor } from '../../support/e2e.js';
import { updated } from '../harness.js';
import { APP_WEB, ENV_A, SECRET_WORKER, grantRecord } from './0001_init.js';
import { refreshRecord } from './0004_sign_in.js';
import { FAR, NOW, sql, type CaseContext, type MigrationCase } from './harness.js';

async function promises5({ store, engine }: CaseContext): Promise<void> {
  const received: ConfigChange[] = [];
  if (engine.announcesChanges) assert.ok(store.openChangeFeed, 'the store listens to the announcements');
  else assert.equal(store.openChangeFeed, undefined, 'one process writes: nothing to announce');
  const feed = store.openChangeFeed?.({ changed: (change) => void received.push(change), listening: () => {}, lost: () => {} });
  try {
    if (feed) await waitFor('the change feed to listen', async () => feed.listening, 10_000);
    const disabled = { ...APP_WEB, config: { ...APP_WEB.config, enabled: false }, updatedAt: NOW };
    const app = updated(await store.replaceApplication('env-a', disabled, 2));
    assert.deepEqual(app, { ...disabled, version: 3 });
    assert.deepEqual(await store.getApplication('env-a', 'app-web'), app);
    const env = updated(await store.updateEnvironment('env-a', { ...ENV_A, settings: { detailedErrors: false }, updatedAt: NOW }, 3));
    assert.deepEqual(await store.getEnvironment('env-a'), env);
    const rotated: SecretRecord = { ...SECRET_WORKER, secretCiphertext: 'v1.iv.worker-next', createdAt: NOW };
    await store.putApplicationSecret('env-a', rotated);
    assert.deepEqual(await store.getApplicationSecret('env-a', 'app-worker'), rotated);
    assert.equal(await store.deleteGrant('env-a', 'app-worker', 'gr-worker-api'), true);
    assert.deepEqual(await store.listGrants('env-a', 'app-worker'), []);
    await store.revokeSession('env-a', 'sess-hash-1');
    assert.equal(await store.getSession('env-a', 'sess-hash-1', NOW), undefined);
    if (feed) {
      const expected: ConfigChange[] = [
        { kind: 'application', environmentId: 'env-a', applicationId: 'app-web' },
        { kind: 'environment', environmentId: 'env-a' },
        { kind: 'application', environmentId: 'env-a', applicationId: 'app-worker' },
      ];
      await waitFor('the changes to be announced', async () => expected.every((c) => received.some((r) => isDeepStrictEqual(r, c))), 10_000);
    }
  } finally {
    await feed?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Version 5: a single-page application, its grant, and the sign-in state of another user grant.

const ROWS_5 = sql`
INSERT INTO applications (environment_id, id, config, version, created_at, updated_at) VALUES
  ('env-a', 'app-spa', '{"name":"Orders SPA","enabled":true,"type":"SINGLE_PAGE_APP","protocol":"OPENID_CONNECT","assignActorRoles":false,"grantTypes":["AUTHORIZATION_CODE","REFRESH_TOKEN"],"responseTypes":["CODE"],"tokenEndpointAuthMethod":"NONE","pkceEnforcement":"S256_REQUIRED","parRequirement":"REQUIRED","parTimeout":90,"devicePollingInterval":5,"deviceTimeout":600,"redirectUris":["https://spa.example.test/cb"],"requestScopesForMultipleResourcesEnabled":true}',
   1, '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');

INSERT INTO grants (environment_id, id, application_id, resource_id, scope_ids, version, created_at, updated_at) VALUES
  ('env-a', 'gr-spa-oidc', 'app-spa', 'res-oidc', '["sc-openid"]', 1, '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');

INSERT INTO authorization_codes (environment_id, code_hash, application_id, user_id, session_id_hash, redirect_uri, scope, nonce, code_challenge, code_challenge_method, auth_time, amr, acr, grant_id, expires_at, redeemed_at) VALUES
  ('env-a', 'code-hash-5', 'app-spa', 'user-alice', 'sess-hash-1', 'https://spa.example.test/cb', '["openid","offline_access"]', NULL,
   'challenge-5', 'plain', '2026-05-31T23:56:00.000Z', '["pwd"]', NULL, 'grant-5', '2999-01-01T00:00:00.000Z', NULL);

INSERT INTO refresh_tokens (environment_id, token_hash, application_id, user_id, session_id_hash, grant_id, family_id, scope, auth_time, amr, acr, created_at, expires_at, rotated_at, replaced_by, revoked_at) VALUES
  ('env-a', 'rt-hash-5', 'app-spa', 'user-alice', 'sess-hash-1', 'grant-5', 'fam-5', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', NULL,
   '2026-05-31T23:57:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, NULL);
`;

const APP_SPA: ApplicationRecord = {
  id: 'app-spa',
  environmentId: 'env-a',
  config: {
    name: 'Orders SPA',
    enabled: true,
    type: 'SINGLE_PAGE_APP',
    protocol: 'OPENID_CONNECT',
    assignActorRoles: false,
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    responseTypes: ['CODE'],
    tokenEndpointAuthMethod: 'NONE',
    pkceEnforcement: 'S256_REQUIRED',
    parRequirement: 'REQUIRED',
    parTimeout: 90,
    devicePollingInterval: 5,
    deviceTimeout: 600,
    redirectUris: ['https://spa.example.test/cb'],
    requestScopesForMultipleResourcesEnabled: true,
  },
  version: 1,
  createdAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-01T00:00:00.000Z',
};

export const CODE_5: AuthorizationCodeRecord = {
  codeHash: 'code-hash-5',
  environmentId: 'env-a',
  applicationId: 'app-spa',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  redirectUri: 'https://spa.example.test/cb',
  scope: ['openid', 'offline_access'],
  codeChallenge: 'challenge-5',
  codeChallengeMethod: 'plain',
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  grantId: 'grant-5',
  expiresAt: FAR,
};

export const RT_5: RefreshTokenRecord = {
  ...refreshRecord('rt-hash-5', 'grant-5', 'fam-5', ['openid', 'offline_access'], ['pwd'], undefined, '2026-05-31T23:57:00.000Z'),
  applicationId: 'app-spa',
};

async function readBack5(store: Store): Promise<void> {
  assert.deepEqual(await store.getApplication('env-a', 'app-spa'), APP_SPA);
  assert.equal(await store.getApplicationSecret('env-a', 'app-spa'), undefined);
  const spaGrant = grantRecord('gr-spa-oidc', 'app-spa', 'res-oidc', ['sc-openid'], 1, '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');
  assert.deepEqual(await store.listGrants('env-a', 'app-spa'), [spaGrant]);
  assert.deepEqual(await store.findAuthorizationCode('env-a', 'code-hash-5'), CODE_5);
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-5', NOW), RT_5);
}

export const migrationCase: MigrationCase = { version: 5, name: 'change_notifications', rows: ROWS_5, readBack: readBack5, promises: promises5 };
