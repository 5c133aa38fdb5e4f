/**
 * Storage of the user sign-in state (SignInStore): flows, `ST` sessions, authorization codes,
 * refresh tokens and PAR requests. Every key that is a secret sent to a client (flow id, session
 * id, code, refresh token, PAR id) arrives here already hashed (SHA-256, base64url), so a database
 * read never yields a usable credential. The records (src/domain/sign-in/) are the sign-in
 * entities with ISO-8601 strings for instants, like the rest of the store.
 *
 * Every method takes `environmentId` first and is atomic on its own; the single-use and
 * rotation methods are one transaction each, safe across instances sharing one database.
 */
import type { AuthorizationCodeRecord } from '../domain/sign-in/authorization-code.js';
import type { FlowRecord } from '../domain/sign-in/flow.js';
import type { GrantAccessTokenRecord } from '../domain/sign-in/grant-access-token.js';
import type { ParRequestRecord } from '../domain/sign-in/par-request.js';
import type { RefreshTokenRecord } from '../domain/sign-in/refresh-token.js';
import type { SessionRecord } from '../domain/sign-in/session.js';

export type CodeRedemption =
  | { status: 'redeemed'; code: AuthorizationCodeRecord }
  /** The code was redeemed before: the caller revokes what that redemption issued (grantId). */
  | { status: 'already_redeemed'; code: AuthorizationCodeRecord }
  | { status: 'not_found' };

export type RefreshRotation =
  /** `next` was stored; `previous` is the presented token (possibly a retry within the grace period). */
  | { status: 'rotated'; previous: RefreshTokenRecord }
  /** Revoked, or rotated longer than the grace period ago (then the whole family was revoked). */
  | { status: 'reused'; previous: RefreshTokenRecord }
  | { status: 'not_found' };

export interface SignInStore {
  // Flows (authorization request in progress), keyed by the flow id's hash
  createFlow(environmentId: string, flow: FlowRecord): Promise<void>;
  /** The flow whatever its expiry (the protocol reports EXPIRED itself). */
  getFlow(environmentId: string, flowId: string): Promise<FlowRecord | undefined>;
  /** Replaces the flow and bumps `version` when it still has `expectedVersion`; false otherwise. */
  updateFlow(environmentId: string, flow: FlowRecord, expectedVersion: number): Promise<boolean>;
  /** Deletes the flow in one statement; false when it was already gone (another resume won). */
  consumeFlow(environmentId: string, flowId: string): Promise<boolean>;

  // Sessions (`ST` cookie), keyed by the cookie value's hash
  createSession(environmentId: string, session: SessionRecord): Promise<void>;
  /** Undefined when unknown, revoked or expired at `now`. */
  getSession(environmentId: string, idHash: string, now: string): Promise<SessionRecord | undefined>;
  revokeSession(environmentId: string, idHash: string): Promise<void>;

  // Authorization codes, keyed by the code's hash
  createAuthorizationCode(environmentId: string, code: AuthorizationCodeRecord): Promise<void>;
  /** Reads a code, redeemed or not, without consuming it. */
  findAuthorizationCode(environmentId: string, codeHash: string): Promise<AuthorizationCodeRecord | undefined>;
  /**
   * One transaction: marks the code redeemed at `now` unless it already was and, only then,
   * stores `refreshToken` and remembers `accessToken`. Expiry is not checked here (the protocol
   * checks it with find first).
   */
  redeemAuthorizationCode(
    environmentId: string,
    codeHash: string,
    now: string,
    refreshToken?: RefreshTokenRecord,
    accessToken?: GrantAccessTokenRecord,
  ): Promise<CodeRedemption>;

  // Refresh tokens, keyed by the token's hash
  /**
   * The token, also when already rotated (so that a replay reaches rotateRefreshToken);
   * undefined when unknown, revoked or expired at `now`.
   */
  getRefreshToken(environmentId: string, tokenHash: string, now: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * One transaction: retires `tokenHash`, stores `next` and remembers `accessToken`. A revoked
   * token is `reused`. A token rotated at most `graceSeconds` before `now` rotates again (a client
   * retrying a lost response); rotated earlier, it is `reused` and its whole family is revoked,
   * access tokens included.
   */
  rotateRefreshToken(
    environmentId: string,
    tokenHash: string,
    next: RefreshTokenRecord,
    now: string,
    graceSeconds: number,
    accessToken?: GrantAccessTokenRecord,
  ): Promise<RefreshRotation>;
  /**
   * Revokes every refresh token of the grant (a code redeemed twice), and every unexpired access
   * token remembered for it, at the store's clock; returns how many refresh tokens.
   */
  revokeGrant(environmentId: string, grantId: string): Promise<number>;
  /** Revokes every refresh token of the family and its unexpired access tokens, at the store's clock; returns how many refresh tokens. */
  revokeRefreshFamily(environmentId: string, familyId: string): Promise<number>;

  // Pushed authorization requests (RFC 9126)
  createParRequest(environmentId: string, request: ParRequestRecord): Promise<void>;
  /** Deletes and returns the request in one statement; undefined when missing, used or expired. */
  consumeParRequest(environmentId: string, id: string, now: string): Promise<ParRequestRecord | undefined>;

  /**
   * Deletes up to `limit` rows per table that expired at or before `now` (in every environment;
   * refresh tokens only once expired, whatever their rotation state); returns how many in all.
   */
  purgeExpiredSignInState(now: string, limit: number): Promise<number>;
}
