/**
 * What the user sign-in half of the authorization server (authorization endpoint, PingOne's
 * flow API, hosted sign-on, code and refresh grants, userinfo, sign-off, PAR) needs from the rest
 * of Keyway. Declared here, implemented in src/oauth/ over the store (house rule 1).
 *
 * Secrets (codes, refresh tokens, session ids, flow ids) are random 256-bit values sent to the
 * client; stores keep only their SHA-256 (base64url) as the key, so a database read never yields
 * a usable credential.
 */
import type { PkceEnforcement, ParRequirement } from '../../management/applications/model.js';

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

/** A validated authorization request, kept with its flow until the code is issued. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: 'code';
  responseMode: 'query' | 'fragment' | 'form_post' | 'pi.flow';
  scope: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  prompt?: 'login' | 'none' | 'consent';
  maxAge?: number;
  loginHint?: string;
  acrValues?: string[];
}

export type FlowStatus = 'USERNAME_PASSWORD_REQUIRED' | 'COMPLETED' | 'FAILED' | 'EXPIRED';

export interface Flow {
  id: string;
  environmentId: string;
  applicationId: string;
  request: AuthorizationRequest;
  status: FlowStatus;
  /** Set when the user signed in (COMPLETED). */
  userId?: string;
  sessionId?: string;
  /** Double-submit value for the hosted page's form (hex). */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  version: number;
}

export interface FlowStore {
  create(flow: Flow): Promise<void>;
  get(environmentId: string, flowId: string): Promise<Flow | undefined>;
  /** Conditional on `expectedVersion`; false when the flow changed meanwhile or is gone. */
  update(environmentId: string, flow: Flow, expectedVersion: number): Promise<boolean>;
  /** Removes the flow (after resume issued its code); false when already gone. */
  consume(environmentId: string, flowId: string): Promise<boolean>;
}

export interface Session {
  /** SHA-256 of the `ST` cookie value. */
  idHash: string;
  environmentId: string;
  userId: string;
  authTime: Date;
  amr: string[];
  acr?: string;
  expiresAt: Date;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(environmentId: string, idHash: string, now: Date): Promise<Session | undefined>;
  revoke(environmentId: string, idHash: string): Promise<void>;
}

export interface AuthorizationCode {
  /** SHA-256 of the code. */
  codeHash: string;
  environmentId: string;
  applicationId: string;
  userId: string;
  sessionIdHash: string;
  redirectUri: string;
  scope: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  authTime: Date;
  amr: string[];
  acr?: string;
  /** Groups everything issued from this code, for revocation on a second redemption. */
  grantId: string;
  expiresAt: Date;
}

export interface RefreshToken {
  /** SHA-256 of the token. */
  tokenHash: string;
  environmentId: string;
  applicationId: string;
  userId: string;
  sessionIdHash: string;
  grantId: string;
  /** All rotations of one original token share the family id. */
  familyId: string;
  scope: string[];
  authTime: Date;
  amr: string[];
  acr?: string;
  createdAt: Date;
  /** Absolute end of this token: refreshTokenDuration after the family started (PingOne). */
  expiresAt: Date;
}

/**
 * An access token issued by a user grant (code or refresh), remembered until it expires so that
 * revoking its grant or refresh family revokes it too (RFC 6749 §4.1.2, §10.4; RFC 9700 §4.14.2).
 */
export interface GrantAccessToken {
  jti: string;
  grantId: string;
  /** The refresh-token family it was issued with, when there is one. */
  familyId?: string;
  expiresAt: Date;
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

export interface ParRequest {
  /** The `request_uri` is `urn:ietf:params:oauth:request_uri:<id>`. */
  id: string;
  environmentId: string;
  applicationId: string;
  params: Record<string, string>;
  expiresAt: Date;
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
