/**
 * Storage of the user sign-in state (SignInStore): flows, `ST` sessions, authorization codes,
 * refresh tokens and PAR requests. Every key that is a secret sent to a client (flow id, session
 * id, code, refresh token, PAR id) arrives here already hashed (SHA-256, base64url), so a database
 * read never yields a usable credential. Records mirror the protocol's ports
 * (src/protocol/sign-in/ports.ts) with ISO-8601 strings for instants, like the rest of the store.
 *
 * Every method takes `environmentId` first and is atomic on its own; the single-use and
 * rotation methods are one transaction each, safe across instances sharing one database.
 */
import type { AuthorizationCode, Flow, GrantAccessToken, ParRequest, RefreshToken, Session } from '../protocol/sign-in/ports.js';

/** `T` with the instants named by `K` stored as ISO-8601 strings (milliseconds, `Z`). */
export type WithIsoInstants<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

export type FlowRecord = WithIsoInstants<Flow, 'createdAt' | 'expiresAt'>;
export type SessionRecord = WithIsoInstants<Session, 'authTime' | 'expiresAt'>;
export type AuthorizationCodeRecord = WithIsoInstants<AuthorizationCode, 'authTime' | 'expiresAt'>;
export type RefreshTokenRecord = WithIsoInstants<RefreshToken, 'authTime' | 'createdAt' | 'expiresAt'>;
export type ParRequestRecord = WithIsoInstants<ParRequest, 'expiresAt'>;
export type GrantAccessTokenRecord = WithIsoInstants<GrantAccessToken, 'expiresAt'>;

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

