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
import type { RefreshTokenRecord } from '../domain/sign-in/refresh-token.js';

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

