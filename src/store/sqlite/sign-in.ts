/**
 * The sign-in state on SQLite: flows, sessions, codes, refresh tokens, PAR requests. Methods are
 * synchronous; the store runs the single-use ones (redeem, rotate) inside one `BEGIN IMMEDIATE`
 * transaction, so the conditional UPDATE, the follow-up read and the inserts see one state.
 */
import type { AuthorizationCodeRecord } from '../../domain/sign-in/authorization-code.js';
import type { FlowRecord } from '../../domain/sign-in/flow.js';
import type { GrantAccessTokenRecord } from '../../domain/sign-in/grant-access-token.js';
import type { ParRequestRecord } from '../../domain/sign-in/par-request.js';
import type { RefreshTokenRecord } from '../../domain/sign-in/refresh-token.js';
import type { SessionRecord } from '../../domain/sign-in/session.js';
import { assertPositiveCount } from '../shared/client-auth-rows.js';
import {
  authorizationCodeColumns,
  grantAccessTokenColumns,
  refreshTokenColumns,
  revokeGrantAccessTokensSql,
  toAuthorizationCode,
  toRefreshToken,
  type AuthorizationCodeRow,
  type RefreshTokenRow,
} from '../shared/grant-rows.js';
import { assertInEnvironment } from '../shared/scope.js';
import {
  flowColumns,
  parRequestColumns,
  sessionColumns,
  SIGN_IN_TABLES,
  toFlow,
  toParRequest,
  toSession,
  withinGrace,
  type FlowRow,
  type ParRequestRow,
  type SessionRow,
} from '../shared/sign-in-rows.js';
import type { CodeRedemption, RefreshRotation } from '../sign-in-types.js';
import type { Connection } from './connection.js';
import type { EnvScoped } from './scoped.js';

export class SignIn {
  constructor(
    private readonly conn: Connection,
    private readonly scoped: EnvScoped,
    private readonly now: () => string,
  ) {}

  createFlow(environmentId: string, flow: FlowRecord): void {
    assertInEnvironment(environmentId, flow.environmentId, 'flow');
    this.scoped.insert('flows', environmentId, { ...flowColumns(flow), version: flow.version });
  }

  getFlow(environmentId: string, flowId: string): FlowRecord | undefined {
    const row = this.scoped.one<FlowRow>('flows', environmentId, 'id = ?', [flowId]);
    return row && toFlow(row);
  }

  updateFlow(environmentId: string, flow: FlowRecord, expectedVersion: number): boolean {
    assertInEnvironment(environmentId, flow.environmentId, 'flow');
    const { id: _id, ...set } = flowColumns(flow);
    return this.scoped.updateVersioned('flows', environmentId, set, 'id = ?', [flow.id], expectedVersion).status === 'updated';
  }

  consumeFlow(environmentId: string, flowId: string): boolean {
    return this.scoped.delete('flows', environmentId, 'id = ?', [flowId]) > 0;
  }

  createSession(environmentId: string, session: SessionRecord): void {
    assertInEnvironment(environmentId, session.environmentId, 'session');
    this.scoped.insert('sessions', environmentId, sessionColumns(session));
  }

  getSession(environmentId: string, idHash: string, now: string): SessionRecord | undefined {
    const predicate = 'id_hash = ? AND revoked_at IS NULL AND expires_at > ?';
    const row = this.scoped.one<SessionRow>('sessions', environmentId, predicate, [idHash, now]);
    return row && toSession(row);
  }

  revokeSession(environmentId: string, idHash: string): void {
    this.scoped.update('sessions', environmentId, { revoked_at: this.now() }, 'id_hash = ? AND revoked_at IS NULL', [idHash]);
  }

  createCode(environmentId: string, code: AuthorizationCodeRecord): void {
    assertInEnvironment(environmentId, code.environmentId, 'authorization code');
    this.scoped.insert('authorization_codes', environmentId, authorizationCodeColumns(code));
  }

  findCode(environmentId: string, codeHash: string): AuthorizationCodeRecord | undefined {
    const row = this.scoped.one<AuthorizationCodeRow>('authorization_codes', environmentId, 'code_hash = ?', [codeHash]);
    return row && toAuthorizationCode(row);
  }

  /** Run inside one write transaction. */
  redeemCode(
    environmentId: string,
    codeHash: string,
    now: string,
    refreshToken: RefreshTokenRecord | undefined,
    accessToken?: GrantAccessTokenRecord,
  ): CodeRedemption {
    const won = this.scoped.updateReturning<AuthorizationCodeRow>(
      'authorization_codes',
      environmentId,
      'redeemed_at = ?',
      [now],
      'code_hash = ? AND redeemed_at IS NULL',
      [codeHash],
    );
    if (won) {
      if (refreshToken) this.insertRefreshToken(environmentId, refreshToken);
      if (accessToken) this.rememberAccessToken(environmentId, accessToken);
      return { status: 'redeemed', code: toAuthorizationCode(won) };
    }
    const code = this.findCode(environmentId, codeHash);
    return code ? { status: 'already_redeemed', code } : { status: 'not_found' };
  }

  getRefreshToken(environmentId: string, tokenHash: string, now: string): RefreshTokenRecord | undefined {
    const predicate = 'token_hash = ? AND revoked_at IS NULL AND expires_at > ?';
    const row = this.scoped.one<RefreshTokenRow>('refresh_tokens', environmentId, predicate, [tokenHash, now]);
    return row && toRefreshToken(row);
  }

  /** Run inside one write transaction. */
  rotateRefreshToken(
    environmentId: string,
    tokenHash: string,
    next: RefreshTokenRecord,
    now: string,
    graceSeconds: number,
    accessToken?: GrantAccessTokenRecord,
  ): RefreshRotation {
    assertInEnvironment(environmentId, next.environmentId, 'refresh token');
    const retired = this.scoped.updateReturning<RefreshTokenRow>(
      'refresh_tokens',
      environmentId,
      'rotated_at = ?, replaced_by = ?',
      [now, next.tokenHash],
      'token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL',
      [tokenHash],
    );
    if (retired) {
      this.insertRefreshToken(environmentId, next);
      if (accessToken) this.rememberAccessToken(environmentId, accessToken);
      return { status: 'rotated', previous: toRefreshToken(retired) };
    }
    const row = this.scoped.one<RefreshTokenRow>('refresh_tokens', environmentId, 'token_hash = ?', [tokenHash]);
    if (!row) return { status: 'not_found' };
    const previous = toRefreshToken(row);
    if (row.revoked_at !== null) return { status: 'reused', previous };
    if (row.rotated_at !== null && withinGrace(row.rotated_at, now, graceSeconds)) {
      this.insertRefreshToken(environmentId, next);
      if (accessToken) this.rememberAccessToken(environmentId, accessToken);
      return { status: 'rotated', previous };
    }
    this.revokeFamily(environmentId, row.family_id, now);
    return { status: 'reused', previous };
  }

  /** Run inside one write transaction. */
  revokeGrant(environmentId: string, grantId: string, now = this.now()): number {
    this.conn.run(revokeGrantAccessTokensSql('grant_id'), [environmentId, grantId, now]);
    return this.scoped.update('refresh_tokens', environmentId, { revoked_at: now }, 'grant_id = ? AND revoked_at IS NULL', [grantId]);
  }

  /** Run inside one write transaction. */
  revokeFamily(environmentId: string, familyId: string, now = this.now()): number {
    this.conn.run(revokeGrantAccessTokensSql('family_id'), [environmentId, familyId, now]);
    return this.scoped.update('refresh_tokens', environmentId, { revoked_at: now }, 'family_id = ? AND revoked_at IS NULL', [familyId]);
  }

  createParRequest(environmentId: string, request: ParRequestRecord): void {
    assertInEnvironment(environmentId, request.environmentId, 'PAR request');
    this.scoped.insert('par_requests', environmentId, parRequestColumns(request));
  }

  /** Deletes the request whatever its expiry (an expired one is useless), returns it only when unexpired. */
  consumeParRequest(environmentId: string, id: string, now: string): ParRequestRecord | undefined {
    const row = this.scoped.deleteReturning<ParRequestRow>('par_requests', environmentId, 'id = ?', [id]);
    return row && row.expires_at > now ? toParRequest(row) : undefined;
  }

  /** Unscoped on purpose, like TokenRecords.purge: the background purger, never a request. */
  purge(now: string, limit: number): number {
    assertPositiveCount('purge limit', limit);
    let total = 0;
    for (const table of SIGN_IN_TABLES) {
      total += this.conn.run(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ? LIMIT ?)`, [now, limit]);
    }
    return total;
  }

  private rememberAccessToken(environmentId: string, token: GrantAccessTokenRecord): void {
    this.scoped.insert('grant_access_tokens', environmentId, grantAccessTokenColumns(token));
  }

  private insertRefreshToken(environmentId: string, token: RefreshTokenRecord): void {
    assertInEnvironment(environmentId, token.environmentId, 'refresh token');
    this.scoped.insert('refresh_tokens', environmentId, refreshTokenColumns(token));
  }
}
