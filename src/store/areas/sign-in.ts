/**
 * The sign-in state: flows, sessions, authorization codes, refresh tokens, PAR requests. The
 * single-use methods (redeem, rotate) run in one transaction: on PostgreSQL a concurrent
 * conditional UPDATE of the same row waits for the first to commit, then finds its predicate
 * false (READ COMMITTED re-checks it on the new row version); on SQLite the write lock is taken
 * up front. Either way exactly one caller wins.
 */
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
import type { AuthorizationCodeRecord } from '../../domain/sign-in/authorization-code.js';
import type { FlowRecord } from '../../domain/sign-in/flow.js';
import type { GrantAccessTokenRecord } from '../../domain/sign-in/grant-access-token.js';
import type { ParRequestRecord } from '../../domain/sign-in/par-request.js';
import type { RefreshTokenRecord } from '../../domain/sign-in/refresh-token.js';
import type { SessionRecord } from '../../domain/sign-in/session.js';
import type { CodeRedemption, RefreshRotation } from '../sign-in-types.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import { changes, type Q } from '../sql/statement.js';
import { purgeCutoff, purgeExpired } from './expiry.js';

function* findCode(db: Db, environmentId: string, codeHash: string): Q<AuthorizationCodeRecord | undefined> {
  const row = yield* db.scoped.one<AuthorizationCodeRow>('authorization_codes', environmentId, 'code_hash = ?', [codeHash]);
  return row && toAuthorizationCode(row);
}

function* insertRefreshToken(db: Db, environmentId: string, token: RefreshTokenRecord): Q<void> {
  assertInEnvironment(environmentId, token.environmentId, 'refresh token');
  yield* db.scoped.insert('refresh_tokens', environmentId, refreshTokenColumns(token));
}

/** The new refresh token and the access token issued with it, stored together. */
function* storeIssued(db: Db, environmentId: string, refreshToken?: RefreshTokenRecord, accessToken?: GrantAccessTokenRecord): Q<void> {
  if (refreshToken) yield* insertRefreshToken(db, environmentId, refreshToken);
  if (accessToken) yield* db.scoped.insert('grant_access_tokens', environmentId, grantAccessTokenColumns(accessToken));
}

/**
 * Revokes the refresh tokens whose `column` is `id` (at `now`), and their grant's access tokens
 * that any instance may still accept (expired at most the clock-skew margin ago by the database's
 * clock, not the caller's).
 */
function* revokeRefreshTokens(db: Db, environmentId: string, column: 'grant_id' | 'family_id', id: string, now: string): Q<number> {
  yield* changes(revokeGrantAccessTokensSql(column, purgeCutoff(db)), [environmentId, id]);
  return yield* db.scoped.update('refresh_tokens', environmentId, { revoked_at: now }, `${column} = ? AND revoked_at IS NULL`, [id]);
}

export const signInMethods = {
  createFlow: plain(function* (db: Db, environmentId: string, flow: FlowRecord): Q<void> {
    assertInEnvironment(environmentId, flow.environmentId, 'flow');
    yield* db.scoped.insert('flows', environmentId, { ...flowColumns(flow), version: flow.version });
  }),

  /** The flow whatever its expiry (the protocol reports EXPIRED itself). */
  getFlow: plain(function* (db: Db, environmentId: string, flowId: string): Q<FlowRecord | undefined> {
    const row = yield* db.scoped.one<FlowRow>('flows', environmentId, 'id = ?', [flowId]);
    return row && toFlow(row);
  }),

  /** Replaces the flow and bumps `version` when it still has `expectedVersion`; false otherwise. */
  updateFlow: plain(function* (db: Db, environmentId: string, flow: FlowRecord, expectedVersion: number): Q<boolean> {
    assertInEnvironment(environmentId, flow.environmentId, 'flow');
    const { id: _id, ...set } = flowColumns(flow);
    return (yield* db.scoped.updateVersioned('flows', environmentId, set, 'id = ?', [flow.id], expectedVersion)).status === 'updated';
  }),

  /** Deletes the flow in one statement; false when it was already gone (another resume won). */
  consumeFlow: plain(function* (db: Db, environmentId: string, flowId: string): Q<boolean> {
    return (yield* db.scoped.delete('flows', environmentId, 'id = ?', [flowId])) > 0;
  }),

  /** Sessions (`ST` cookie) are keyed by the cookie value's hash. */
  createSession: plain(function* (db: Db, environmentId: string, session: SessionRecord): Q<void> {
    assertInEnvironment(environmentId, session.environmentId, 'session');
    yield* db.scoped.insert('sessions', environmentId, sessionColumns(session));
  }),

  /** Undefined when unknown, revoked or expired at `now`. */
  getSession: plain(function* (db: Db, environmentId: string, idHash: string, now: string): Q<SessionRecord | undefined> {
    const predicate = 'id_hash = ? AND revoked_at IS NULL AND expires_at > ?';
    const row = yield* db.scoped.one<SessionRow>('sessions', environmentId, predicate, [idHash, now]);
    return row && toSession(row);
  }),

  revokeSession: plain(function* (db: Db, environmentId: string, idHash: string): Q<void> {
    yield* db.scoped.update('sessions', environmentId, { revoked_at: db.now() }, 'id_hash = ? AND revoked_at IS NULL', [idHash]);
  }),

  /** Authorization codes are keyed by the code's hash. */
  createAuthorizationCode: plain(function* (db: Db, environmentId: string, code: AuthorizationCodeRecord): Q<void> {
    assertInEnvironment(environmentId, code.environmentId, 'authorization code');
    yield* db.scoped.insert('authorization_codes', environmentId, authorizationCodeColumns(code));
  }),

  /** Reads a code, redeemed or not, without consuming it. */
  findAuthorizationCode: plain(findCode),

  /**
   * One transaction: marks the code redeemed at `now` unless it already was and, only then,
   * stores `refreshToken` and remembers `accessToken`. Expiry is not checked here (the protocol
   * checks it with find first).
   */
  redeemAuthorizationCode: atomic(function* (
    db: Db,
    environmentId: string,
    codeHash: string,
    now: string,
    refreshToken?: RefreshTokenRecord,
    accessToken?: GrantAccessTokenRecord,
  ): Q<CodeRedemption> {
    const won = yield* db.scoped.updateReturning<AuthorizationCodeRow>(
      'authorization_codes',
      environmentId,
      'redeemed_at = ?',
      [now],
      'code_hash = ? AND redeemed_at IS NULL',
      [codeHash],
    );
    if (won) {
      yield* storeIssued(db, environmentId, refreshToken, accessToken);
      return { status: 'redeemed', code: toAuthorizationCode(won) };
    }
    const code = yield* findCode(db, environmentId, codeHash);
    return code ? { status: 'already_redeemed', code } : { status: 'not_found' };
  }),

  /**
   * The token, keyed by its hash, also when already rotated (so that a replay reaches
   * rotateRefreshToken); undefined when unknown, revoked or expired at `now`.
   */
  getRefreshToken: plain(function* (db: Db, environmentId: string, tokenHash: string, now: string): Q<RefreshTokenRecord | undefined> {
    const predicate = 'token_hash = ? AND revoked_at IS NULL AND expires_at > ?';
    const row = yield* db.scoped.one<RefreshTokenRow>('refresh_tokens', environmentId, predicate, [tokenHash, now]);
    return row && toRefreshToken(row);
  }),

  /**
   * One transaction: retires `tokenHash`, stores `next` and remembers `accessToken`. A revoked
   * token is `reused`. A token rotated at most `graceSeconds` before `now` rotates again (a client
   * retrying a lost response); rotated earlier, it is `reused` and its whole family is revoked,
   * access tokens included.
   */
  rotateRefreshToken: atomic(function* (
    db: Db,
    environmentId: string,
    tokenHash: string,
    next: RefreshTokenRecord,
    now: string,
    graceSeconds: number,
    accessToken?: GrantAccessTokenRecord,
  ): Q<RefreshRotation> {
    assertInEnvironment(environmentId, next.environmentId, 'refresh token');
    const retired = yield* db.scoped.updateReturning<RefreshTokenRow>(
      'refresh_tokens',
      environmentId,
      'rotated_at = ?, replaced_by = ?',
      [now, next.tokenHash],
      'token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL',
      [tokenHash],
    );
    if (retired) {
      yield* storeIssued(db, environmentId, next, accessToken);
      return { status: 'rotated', previous: toRefreshToken(retired) };
    }
    const row = yield* db.scoped.one<RefreshTokenRow>('refresh_tokens', environmentId, 'token_hash = ?', [tokenHash]);
    if (!row) return { status: 'not_found' };
    const previous = toRefreshToken(row);
    if (row.revoked_at !== null) return { status: 'reused', previous };
    if (row.rotated_at !== null && withinGrace(row.rotated_at, now, graceSeconds)) {
      yield* storeIssued(db, environmentId, next, accessToken);
      return { status: 'rotated', previous };
    }
    yield* revokeRefreshTokens(db, environmentId, 'family_id', row.family_id, now);
    return { status: 'reused', previous };
  }),

  /**
   * Revokes every refresh token of the grant (a code redeemed twice), and every unexpired access
   * token remembered for it, at the store's clock; returns how many refresh tokens.
   */
  revokeGrant: atomic(function* (db: Db, environmentId: string, grantId: string): Q<number> {
    return yield* revokeRefreshTokens(db, environmentId, 'grant_id', grantId, db.now());
  }),

  /** Revokes every refresh token of the family and its unexpired access tokens, at the store's clock; returns how many refresh tokens. */
  revokeRefreshFamily: atomic(function* (db: Db, environmentId: string, familyId: string): Q<number> {
    return yield* revokeRefreshTokens(db, environmentId, 'family_id', familyId, db.now());
  }),

  /** Pushed authorization requests (RFC 9126). */
  createParRequest: plain(function* (db: Db, environmentId: string, request: ParRequestRecord): Q<void> {
    assertInEnvironment(environmentId, request.environmentId, 'PAR request');
    yield* db.scoped.insert('par_requests', environmentId, parRequestColumns(request));
  }),

  /** Deletes the request whatever its expiry (an expired one is useless); returns it only when unexpired. */
  consumeParRequest: plain(function* (db: Db, environmentId: string, id: string, now: string): Q<ParRequestRecord | undefined> {
    const row = yield* db.scoped.deleteReturning<ParRequestRow>('par_requests', environmentId, 'id = ?', [id]);
    return row && row.expires_at > now ? toParRequest(row) : undefined;
  }),

  /**
   * Deletes up to `limit` rows per table that expired at least the clock-skew margin before the
   * database's clock (in every environment, ./expiry.ts; refresh tokens only once expired,
   * whatever their rotation state); returns how many in all.
   */
  purgeExpiredSignInState: plain(function* (db: Db, limit: number): Q<number> {
    let total = 0;
    for (const table of SIGN_IN_TABLES) total += yield* purgeExpired(db, table, limit);
    return total;
  }),
};
