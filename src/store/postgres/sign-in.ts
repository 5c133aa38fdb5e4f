/**
 * The sign-in state on PostgreSQL, the twin of ../sqlite/sign-in.ts. The store runs the
 * single-use methods (redeem, rotate) in one transaction on one connection: a concurrent
 * conditional UPDATE of the same row waits for the first to commit, then finds its predicate
 * false (READ COMMITTED re-checks it on the new row version), so exactly one caller wins.
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
import type { Queryable } from './pool.js';
import type { EnvScoped } from './scoped.js';

export class SignIn {
  constructor(
    private readonly q: Queryable,
    private readonly scoped: EnvScoped,
    private readonly now: () => string,
  ) {}

  async createFlow(environmentId: string, flow: FlowRecord): Promise<void> {
    assertInEnvironment(environmentId, flow.environmentId, 'flow');
    await this.scoped.insert('flows', environmentId, { ...flowColumns(flow), version: flow.version });
  }

  async getFlow(environmentId: string, flowId: string): Promise<FlowRecord | undefined> {
    const row = await this.scoped.one<FlowRow>('flows', environmentId, 'id = ?', [flowId]);
    return row && toFlow(row);
  }

  async updateFlow(environmentId: string, flow: FlowRecord, expectedVersion: number): Promise<boolean> {
    assertInEnvironment(environmentId, flow.environmentId, 'flow');
    const { id: _id, ...set } = flowColumns(flow);
    return (await this.scoped.updateVersioned('flows', environmentId, set, 'id = ?', [flow.id], expectedVersion)).status === 'updated';
  }

  async consumeFlow(environmentId: string, flowId: string): Promise<boolean> {
    return (await this.scoped.delete('flows', environmentId, 'id = ?', [flowId])) > 0;
  }

  async createSession(environmentId: string, session: SessionRecord): Promise<void> {
    assertInEnvironment(environmentId, session.environmentId, 'session');
    await this.scoped.insert('sessions', environmentId, sessionColumns(session));
  }

  async getSession(environmentId: string, idHash: string, now: string): Promise<SessionRecord | undefined> {
    const predicate = 'id_hash = ? AND revoked_at IS NULL AND expires_at > ?';
    const row = await this.scoped.one<SessionRow>('sessions', environmentId, predicate, [idHash, now]);
    return row && toSession(row);
  }

  async revokeSession(environmentId: string, idHash: string): Promise<void> {
    await this.scoped.update('sessions', environmentId, { revoked_at: this.now() }, 'id_hash = ? AND revoked_at IS NULL', [idHash]);
  }

  async createCode(environmentId: string, code: AuthorizationCodeRecord): Promise<void> {
    assertInEnvironment(environmentId, code.environmentId, 'authorization code');
    await this.scoped.insert('authorization_codes', environmentId, authorizationCodeColumns(code));
  }

  async findCode(environmentId: string, codeHash: string): Promise<AuthorizationCodeRecord | undefined> {
    const row = await this.scoped.one<AuthorizationCodeRow>('authorization_codes', environmentId, 'code_hash = ?', [codeHash]);
    return row && toAuthorizationCode(row);
  }

  /** Run inside one write transaction. */
  async redeemCode(
    environmentId: string,
    codeHash: string,
    now: string,
    refreshToken: RefreshTokenRecord | undefined,
    accessToken?: GrantAccessTokenRecord,
  ): Promise<CodeRedemption> {
    const won = await this.scoped.updateReturning<AuthorizationCodeRow>(
      'authorization_codes',
      environmentId,
      'redeemed_at = ?',
      [now],
      'code_hash = ? AND redeemed_at IS NULL',
      [codeHash],
    );
    if (won) {
      if (refreshToken) await this.insertRefreshToken(environmentId, refreshToken);
      if (accessToken) await this.rememberAccessToken(environmentId, accessToken);
      return { status: 'redeemed', code: toAuthorizationCode(won) };
    }
    const code = await this.findCode(environmentId, codeHash);
    return code ? { status: 'already_redeemed', code } : { status: 'not_found' };
  }

  async getRefreshToken(environmentId: string, tokenHash: string, now: string): Promise<RefreshTokenRecord | undefined> {
    const predicate = 'token_hash = ? AND revoked_at IS NULL AND expires_at > ?';
    const row = await this.scoped.one<RefreshTokenRow>('refresh_tokens', environmentId, predicate, [tokenHash, now]);
    return row && toRefreshToken(row);
  }

  /** Run inside one write transaction. */
  async rotateRefreshToken(
    environmentId: string,
    tokenHash: string,
    next: RefreshTokenRecord,
    now: string,
    graceSeconds: number,
    accessToken?: GrantAccessTokenRecord,
  ): Promise<RefreshRotation> {
    assertInEnvironment(environmentId, next.environmentId, 'refresh token');
    const retired = await this.scoped.updateReturning<RefreshTokenRow>(
      'refresh_tokens',
      environmentId,
      'rotated_at = ?, replaced_by = ?',
      [now, next.tokenHash],
      'token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL',
      [tokenHash],
    );
    if (retired) {
      await this.insertRefreshToken(environmentId, next);
      if (accessToken) await this.rememberAccessToken(environmentId, accessToken);
      return { status: 'rotated', previous: toRefreshToken(retired) };
    }
    const row = await this.scoped.one<RefreshTokenRow>('refresh_tokens', environmentId, 'token_hash = ?', [tokenHash]);
    if (!row) return { status: 'not_found' };
    const previous = toRefreshToken(row);
    if (row.revoked_at !== null) return { status: 'reused', previous };
    if (row.rotated_at !== null && withinGrace(row.rotated_at, now, graceSeconds)) {
      await this.insertRefreshToken(environmentId, next);
      if (accessToken) await this.rememberAccessToken(environmentId, accessToken);
      return { status: 'rotated', previous };
    }
    await this.revokeFamily(environmentId, row.family_id, now);
    return { status: 'reused', previous };
  }

  /** Run inside one transaction. */
  async revokeGrant(environmentId: string, grantId: string, now = this.now()): Promise<number> {
    await this.q.query(revokeGrantAccessTokensSql('grant_id'), [environmentId, grantId, now]);
    return this.scoped.update('refresh_tokens', environmentId, { revoked_at: now }, 'grant_id = ? AND revoked_at IS NULL', [grantId]);
  }

  /** Run inside one transaction. */
  async revokeFamily(environmentId: string, familyId: string, now = this.now()): Promise<number> {
    await this.q.query(revokeGrantAccessTokensSql('family_id'), [environmentId, familyId, now]);
    return this.scoped.update('refresh_tokens', environmentId, { revoked_at: now }, 'family_id = ? AND revoked_at IS NULL', [familyId]);
  }

  async createParRequest(environmentId: string, request: ParRequestRecord): Promise<void> {
    assertInEnvironment(environmentId, request.environmentId, 'PAR request');
    await this.scoped.insert('par_requests', environmentId, parRequestColumns(request));
  }

  /** Deletes the request whatever its expiry (an expired one is useless), returns it only when unexpired. */
  async consumeParRequest(environmentId: string, id: string, now: string): Promise<ParRequestRecord | undefined> {
    const row = await this.scoped.deleteReturning<ParRequestRow>('par_requests', environmentId, 'id = ?', [id]);
    return row && row.expires_at > now ? toParRequest(row) : undefined;
  }

  /** Unscoped on purpose, like TokenRecords.purge (a TID scan bounded by `limit`): the background purger only. */
  async purge(now: string, limit: number): Promise<number> {
    assertPositiveCount('purge limit', limit);
    let total = 0;
    for (const table of SIGN_IN_TABLES) {
      const sql =
        `DELETE FROM ${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM ${table} WHERE expires_at <= ? LIMIT ?)) ` +
        'AND expires_at <= ?';
      total += (await this.q.query(sql, [now, limit, now])).rowCount;
    }
    return total;
  }

  private async rememberAccessToken(environmentId: string, token: GrantAccessTokenRecord): Promise<void> {
    await this.scoped.insert('grant_access_tokens', environmentId, grantAccessTokenColumns(token));
  }

  private async insertRefreshToken(environmentId: string, token: RefreshTokenRecord): Promise<void> {
    assertInEnvironment(environmentId, token.environmentId, 'refresh token');
    await this.scoped.insert('refresh_tokens', environmentId, refreshTokenColumns(token));
  }
}
