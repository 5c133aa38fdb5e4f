/**
 * Migration 0006_grant_access_tokens: access tokens issued by user grants are remembered and
 * revoked with their grant or refresh family; codes and refresh tokens written before still
 * redeem, rotate and revoke.
 */
import assert from 'node:assert/strict';
import type { RefreshTokenRecord } from '../../../src/domain/sign-in/refresh-token.js';
import { RT_4 } from './0004_sign_in.js';
import { CODE_5, RT_5 } from './0005_change_notifications.js';
import type { Store } from '../../../src/store/types.js';
import { FAR, NOW, sql, type CaseContext, type MigrationCase } from './harness.js';

async function promises6({ store }: CaseContext): Promise<void> {
  // Revoking a grant whose tokens were all written before: its two live tokens, not the revoked one.
  assert.equal(await store.revokeGrant('env-a', 'grant-1'), 2);
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-0', NOW), undefined);
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-1', NOW), undefined);
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-4', NOW), RT_4, "another grant's token is untouched");

  // A code written before redeems, and the access token issued with it is revoked with its grant.
  const issued: RefreshTokenRecord = { ...RT_5, tokenHash: 'rt-hash-5b', familyId: 'fam-5b', createdAt: NOW };
  const accessToken = { jti: 'at-5', grantId: 'grant-5', familyId: 'fam-5b', expiresAt: FAR };
  assert.deepEqual(await store.redeemAuthorizationCode('env-a', 'code-hash-5', NOW, issued, accessToken), { status: 'redeemed', code: CODE_5 });
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-5b', NOW), issued);
  assert.equal(await store.isTokenRevoked('env-a', 'at-5'), false);
  assert.equal(await store.revokeGrant('env-a', 'grant-5'), 2, 'the refresh token written before and the one issued now');
  assert.equal(await store.isTokenRevoked('env-a', 'at-5'), true);

  // A refresh token written before rotates; presented again after its grace, its family goes with its access tokens.
  const next: RefreshTokenRecord = { ...RT_4, tokenHash: 'rt-hash-4b', createdAt: NOW };
  const accessToken4 = { jti: 'at-4', grantId: 'grant-2', familyId: 'fam-4', expiresAt: FAR };
  assert.deepEqual(await store.rotateRefreshToken('env-a', 'rt-hash-4', next, NOW, 0, accessToken4), { status: 'rotated', previous: RT_4 });
  const later = '2026-06-01T01:00:00.000Z';
  const replay = await store.rotateRefreshToken('env-a', 'rt-hash-4', { ...next, tokenHash: 'rt-hash-4c' }, later, 0);
  assert.deepEqual(replay, { status: 'reused', previous: RT_4 });
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-4b', later), undefined);
  assert.equal(await store.isTokenRevoked('env-a', 'at-4'), true);

  // Deleting the environment takes the rows of every version, the new table's included.
  assert.equal(await store.deleteEnvironment('env-a'), true);
  assert.equal(await store.getUser('env-a', 'user-alice'), undefined);
  assert.equal(await store.findAuthorizationCode('env-a', 'code-hash-1'), undefined);
  assert.equal(await store.isTokenRevoked('env-a', 'at-4'), false);
}

// ---------------------------------------------------------------------------------------------
// Version 6: an access token of a user grant, remembered until it expires.

const ROWS_6 = sql`
INSERT INTO grant_access_tokens (environment_id, jti, grant_id, family_id, expires_at) VALUES
  ('env-a', 'at-6', 'grant-6', NULL, '2999-01-01T00:00:00.000Z');
`;

/** The token is not revoked until its grant is; then it is (the row was read). */
async function readBack6(store: Store): Promise<void> {
  assert.equal(await store.isTokenRevoked('env-a', 'at-6'), false);
  await store.revokeGrant('env-a', 'grant-6');
  assert.equal(await store.isTokenRevoked('env-a', 'at-6'), true);
}

export const migrationCase: MigrationCase = { version: 6, name: 'grant_access_tokens', rows: ROWS_6, readBack: readBack6, promises: promises6 };
