/**
 * What the user sign-in half of the authorization server (authorization endpoint, PingOne's
 * flow API, hosted sign-on, code and refresh grants, userinfo, sign-off, PAR) needs from the rest
 * of Keyway. Declared here, implemented in src/oauth/ over the store (house rule 1).
 *
 * Secrets (codes, refresh tokens, session ids, flow ids) are random 256-bit values sent to the
 * client; stores keep only their SHA-256 (base64url) as the key, so a database read never yields
 * a usable credential.
 */
import type { ParRequirement } from '../../domain/applications/par-requirement.js';
import type { PkceEnforcement } from '../../domain/applications/pkce-enforcement.js';
import type { AuthorizationCode } from '../../domain/sign-in/authorization-code.js';
import type { Flow } from '../../domain/sign-in/flow.js';
import type { GrantAccessToken } from '../../domain/sign-in/grant-access-token.js';
import type { ParRequest } from '../../domain/sign-in/par-request.js';
import type { RefreshToken } from '../../domain/sign-in/refresh-token.js';
import type { Session } from '../../domain/sign-in/session.js';

/** The parts of an application the sign-in flows read (the rest is on `Client`). */
export interface SignInClientSettings {
  redirectUris: readonly string[];
  allowWildcardInRedirectUris: boolean;
  postLogoutRedirectUris: readonly string[];
  responseTypes: readonly ('CODE' | 'TOKEN' | 'ID_TOKEN')[];
  pkceEnforcement: PkceEnforcement;
  parRequirement: ParRequirement;
  parTimeout: number;
  refreshTokenDuration: number;
  refreshTokenRollingDuration: number | undefined;
  refreshTokenRollingGracePeriodDuration: number;
  /** Origins that may read the session-cookie endpoints' answers (`corsSettings`, ALLOW_SPECIFIC_ORIGINS); empty: none. */
  corsOrigins: readonly string[];
}

export interface FlowStore {
  create(flow: Flow): Promise<void>;
  get(environmentId: string, flowId: string): Promise<Flow | undefined>;
  /** Conditional on `expectedVersion`; false when the flow changed meanwhile or is gone. */
  update(environmentId: string, flow: Flow, expectedVersion: number): Promise<boolean>;
  /** Removes the flow (after resume issued its code); false when already gone. */
  consume(environmentId: string, flowId: string): Promise<boolean>;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(environmentId: string, idHash: string, now: Date): Promise<Session | undefined>;
  revoke(environmentId: string, idHash: string): Promise<void>;
}

export type RedeemResult =
  | { status: 'redeemed'; code: AuthorizationCode }
  /** Second redemption: the caller revokes what the first one issued (grantId). */
  | { status: 'already_redeemed'; code: AuthorizationCode }
  | { status: 'not_found' };

export type RotateResult =
  | { status: 'rotated'; previous: RefreshToken }
  /** Reuse of an already rotated token outside the grace period: the family is revoked. */
  | { status: 'reused'; previous: RefreshToken }
  | { status: 'not_found' };

export interface GrantStore {
  createCode(code: AuthorizationCode): Promise<void>;
  /**
   * Atomically marks the code used and, in the same transaction, stores `refreshToken` and
   * remembers `accessToken` (each if any), revoking nothing else. A second call returns
   * `already_redeemed` and stores nothing.
   */
  redeemCode(
    environmentId: string,
    codeHash: string,
    now: Date,
    refreshToken: RefreshToken | undefined,
    accessToken?: GrantAccessToken,
  ): Promise<RedeemResult>;
  /**
   * Atomically retires `tokenHash`, stores `next` and remembers `accessToken`. A token already
   * retired longer than `graceSeconds` ago is a reuse: the whole family (refresh and access
   * tokens) is revoked in the same transaction and nothing is stored.
   */
  rotateRefreshToken(
    environmentId: string,
    tokenHash: string,
    next: RefreshToken,
    now: Date,
    graceSeconds: number,
    accessToken?: GrantAccessToken,
  ): Promise<RotateResult>;
  getRefreshToken(environmentId: string, tokenHash: string, now: Date): Promise<RefreshToken | undefined>;
  /** Revokes every refresh and access token of a grant (code replay) or family (refresh reuse). */
  revokeGrant(environmentId: string, grantId: string): Promise<void>;
  revokeFamily(environmentId: string, familyId: string): Promise<void>;
}

export interface ParStore {
  create(request: ParRequest): Promise<void>;
  /** Single use: returns and deletes it; undefined when missing, used or expired. */
  consume(environmentId: string, id: string, now: Date): Promise<ParRequest | undefined>;
}

export interface UserInfoSource {
  /** Claims of the user for the granted scopes (`sub` always). */
  claims(environmentId: string, userId: string, scope: readonly string[]): Promise<Record<string, unknown> | undefined>;
}

export interface PasswordVerifier {
  verify(
    environmentId: string,
    username: string,
    password: string,
    now: Date,
  ): Promise<{ ok: true; userId: string } | { ok: false; reason: 'INVALID_CREDENTIALS' | 'LOCKED' | 'DISABLED' | 'NO_PASSWORD' }>;
}
