/** Rows ↔ records of authorization codes, refresh tokens and issued access tokens (every dialect). */
import type { AuthorizationCodeRecord } from '../../domain/sign-in/authorization-code.js';
import type { GrantAccessTokenRecord } from '../../domain/sign-in/grant-access-token.js';
import type { RefreshTokenRecord } from '../../domain/sign-in/refresh-token.js';
import { json, parseJson, withOptional, type Columns } from './rows.js';

export interface AuthorizationCodeRow {
  environment_id: string;
  code_hash: string;
  application_id: string;
  user_id: string;
  session_id_hash: string;
  redirect_uri: string;
  scope: string;
  nonce: string | null;
  code_challenge: string | null;
  code_challenge_method: AuthorizationCodeRecord['codeChallengeMethod'] | null;
  auth_time: string;
  amr: string;
  acr: string | null;
  grant_id: string;
  expires_at: string;
  redeemed_at: string | null;
}

export function toAuthorizationCode(row: AuthorizationCodeRow): AuthorizationCodeRecord {
  const record: AuthorizationCodeRecord = {
    codeHash: row.code_hash,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    userId: row.user_id,
    sessionIdHash: row.session_id_hash,
    redirectUri: row.redirect_uri,
    scope: parseJson<string[]>(row.scope),
    authTime: row.auth_time,
    amr: parseJson<string[]>(row.amr),
    grantId: row.grant_id,
    expiresAt: row.expires_at,
  };
  withOptional(record, 'nonce', row.nonce);
  withOptional(record, 'codeChallenge', row.code_challenge);
  withOptional(record, 'codeChallengeMethod', row.code_challenge_method);
  return withOptional(record, 'acr', row.acr);
}

/** Every column but `environment_id` (stamped by the scoped insert) and `redeemed_at`. */
export function authorizationCodeColumns(c: AuthorizationCodeRecord): Columns {
  return {
    code_hash: c.codeHash,
    application_id: c.applicationId,
    user_id: c.userId,
    session_id_hash: c.sessionIdHash,
    redirect_uri: c.redirectUri,
    scope: json(c.scope),
    nonce: c.nonce ?? null,
    code_challenge: c.codeChallenge ?? null,
    code_challenge_method: c.codeChallengeMethod ?? null,
    auth_time: c.authTime,
    amr: json(c.amr),
    acr: c.acr ?? null,
    grant_id: c.grantId,
    expires_at: c.expiresAt,
  };
}

export interface RefreshTokenRow {
  environment_id: string;
  token_hash: string;
  application_id: string;
  user_id: string;
  session_id_hash: string;
  grant_id: string;
  family_id: string;
  scope: string;
  auth_time: string;
  amr: string;
  acr: string | null;
  created_at: string;
  expires_at: string;
  rotated_at: string | null;
  replaced_by: string | null;
  revoked_at: string | null;
}

export function toRefreshToken(row: RefreshTokenRow): RefreshTokenRecord {
  const record: RefreshTokenRecord = {
    tokenHash: row.token_hash,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    userId: row.user_id,
    sessionIdHash: row.session_id_hash,
    grantId: row.grant_id,
    familyId: row.family_id,
    scope: parseJson<string[]>(row.scope),
    authTime: row.auth_time,
    amr: parseJson<string[]>(row.amr),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
  return withOptional(record, 'acr', row.acr);
}

/** Every column but `environment_id` and the lifecycle columns (rotated_at, replaced_by, revoked_at). */
export function refreshTokenColumns(t: RefreshTokenRecord): Columns {
  return {
    token_hash: t.tokenHash,
    application_id: t.applicationId,
    user_id: t.userId,
    session_id_hash: t.sessionIdHash,
    grant_id: t.grantId,
    family_id: t.familyId,
    scope: json(t.scope),
    auth_time: t.authTime,
    amr: json(t.amr),
    acr: t.acr ?? null,
    created_at: t.createdAt,
    expires_at: t.expiresAt,
  };
}

export function grantAccessTokenColumns(t: GrantAccessTokenRecord): Columns {
  return { jti: t.jti, grant_id: t.grantId, family_id: t.familyId ?? null, expires_at: t.expiresAt };
}

/**
 * Copies the access tokens remembered for one grant or family (`column` = ?) into
 * `revoked_tokens`, which introspection and userinfo consult: every one not yet expired at
 * `cutoff` (SQL text, ../areas/expiry.ts `purgeCutoff`), so also those expired by less than the
 * clock-skew margin, which an instance whose clock runs behind may still accept. Parameters:
 * environment id, the grant or family id. The SELECT's WHERE also keeps SQLite's parser from
 * reading ON CONFLICT as a join constraint. A jti revoked before keeps its row.
 */
export function revokeGrantAccessTokensSql(column: 'grant_id' | 'family_id', cutoff: string): string {
  return (
    'INSERT INTO revoked_tokens (environment_id, jti, expires_at) ' +
    `SELECT environment_id, jti, expires_at FROM grant_access_tokens WHERE environment_id = ? AND ${column} = ? AND expires_at > ${cutoff} ` +
    'ON CONFLICT (environment_id, jti) DO NOTHING'
  );
}
