/**
 * What the user sign-in half of the authorization server (authorization endpoint, PingOne's
 * flow API, hosted sign-on, code and refresh grants, userinfo, sign-off, PAR) needs from the rest
 * of Keyway. Declared here, implemented in src/adapters/ over the store (docs/architecture.md,
 * rule 1).
 *
 * Secrets (codes, refresh tokens, session ids, flow ids) are random 256-bit values sent to the
 * client; stores keep only their SHA-256 (base64url) as the key, so a database read never yields
 * a usable credential.
 */
import type { JsonValue } from '../../domain/expressions/index.js';
import type { ParRequirement } from '../../domain/applications/par-requirement.js';
import type { PkceEnforcement } from '../../domain/applications/pkce-enforcement.js';
import type { ResponseType } from '../../domain/applications/response-type.js';
import type { AuthorizationCode } from '../../domain/sign-in/authorization-code.js';
import type { Flow } from '../../domain/sign-in/flow.js';
import type { GrantAccessToken } from '../../domain/sign-in/grant-access-token.js';
import type { ParRequest } from '../../domain/sign-in/par-request.js';
import type { RefreshToken } from '../../domain/sign-in/refresh-token.js';
import type { Session } from '../../domain/sign-in/session.js';
import type { ClientDirectory } from '../client-auth/ports.js';

/** The parts of an application the sign-in flows read (the rest is on `Client`). */
export interface SignInClientSettings {
  redirectUris: readonly string[];
  allowWildcardInRedirectUris: boolean;
  postLogoutRedirectUris: readonly string[];
  responseTypes: readonly ResponseType[];
  pkceEnforcement: PkceEnforcement;
  parRequirement: ParRequirement;
  parTimeout: number;
  refreshTokenDuration: number;
  refreshTokenRollingDuration: number | undefined;
  refreshTokenRollingGracePeriodDuration: number;
  /** Origins that may read the session-cookie endpoints' answers (`corsSettings`, ALLOW_SPECIFIC_ORIGINS); empty: none. */
  corsOrigins: readonly string[];
}

/** The sign-in settings of an application (redirect URIs, PKCE, PAR), cached with the client. */
export interface SignInClients {
  settings(environmentId: string, applicationId: string): Promise<SignInClientSettings | undefined>;
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
   * Reads an authorization code without consuming it, redeemed or not (undefined when unknown).
   * The refresh token that `redeemCode` stores in its transaction is built from the code.
   */
  findCode(environmentId: string, codeHash: string): Promise<AuthorizationCode | undefined>;
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
  /**
   * The token, also when already rotated (until it expires or its family is revoked), so that
   * `rotateRefreshToken` sees a replay and revokes the family.
   */
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
  /**
   * The `user` object attribute-mapping expressions read (../claims/expression-user.ts), or
   * undefined for a user that no longer exists or is disabled. Asked only when mappings exist.
   */
  mappingUser?(environmentId: string, userId: string): Promise<JsonValue | undefined>;
}

export interface PasswordVerifier {
  verify(
    environmentId: string,
    username: string,
    password: string,
    now: Date,
  ): Promise<{ ok: true; userId: string } | { ok: false; reason: 'INVALID_CREDENTIALS' | 'LOCKED' | 'DISABLED' | 'NO_PASSWORD' }>;
}

/** What a verified `id_token_hint` tells sign-off. */
export interface IdTokenHintClaims {
  sub: string;
  aud: readonly string[];
  azp?: string;
  sid?: string;
}

/**
 * Verifies an ID token this environment issued: signature with the environment's keys and `iss`;
 * `exp` is NOT checked (OIDC RP-Initiated Logout §2: the hint may be expired).
 * Returns undefined for anything that does not verify.
 */
export interface IdTokenHintVerifier {
  verify(environmentId: string, token: string): Promise<IdTokenHintClaims | undefined>;
}

/** Every port the sign-in protocol functions use. */
export interface SignInPorts {
  directory: ClientDirectory;
  clients: SignInClients;
  flows: FlowStore;
  sessions: SessionStore;
  grants: GrantStore;
  pars: ParStore;
  passwords: PasswordVerifier;
  /** Without it, a sign-off carrying `id_token_hint` is refused. */
  idTokenHints?: IdTokenHintVerifier;
  /** Lifetime of the `ST` session, seconds (default 8 hours). */
  sessionLifetimeSeconds?: number;
}

/** Per-request facts: the environment, its issuer and the public base of its URLs. */
export interface SignInContext {
  environmentId: string;
  /** `{publicUrl}/{envId}/as` (RFC 9207 `iss`). */
  issuer: string;
  /** `{publicUrl}/{envId}`: base of flow, resume and sign-on URLs. */
  baseUrl: string;
  now: Date;
}
