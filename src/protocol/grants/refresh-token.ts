/**
 * The refresh_token grant (RFC 6749 §6) with rotation on every use and reuse detection
 * (OAuth 2.0 Security BCP §4.14.2), on PingOne's application settings
 * (docs/pingone-reference.md §4.2):
 *
 * - `refreshTokenDuration`: lifetime of each refresh token; every rotation starts a new one.
 * - `refreshTokenRollingDuration`: how long after the user authenticated (`auth_time`) the
 *   grant can keep being refreshed before re-authentication is required; no token outlives it.
 *   Unset: no such limit (PingOne: "valid forever").
 * - `refreshTokenRollingGracePeriodDuration`: seconds a rotated token may still be exchanged
 *   (lost responses); later use is a replay and the store revokes the whole family.
 */
import type { RequestData } from '../claims/mapped-claims.js';
import { newId } from '../../domain/ids.js';
import type { RefreshToken } from '../../domain/sign-in/refresh-token.js';
import type { Client, ClientProfile } from '../client-auth/ports.js';
import { InvalidGrant, InvalidScope } from '../errors.js';
import { requireParam, type Params } from '../params.js';
import type { GrantStore, SignInClientSettings, UserInfoSource } from '../sign-in/ports.js';
import { issueUserTokens, type UserAuthentication, type UserTokenResponse } from '../tokens/id-token.js';
import { randomToken, sha256Base64url } from '../tokens/opaque.js';
import type { IssuerContext, IssuerKeys } from '../tokens/ports.js';

/** Ports of the user grants (authorization_code, refresh_token). */
export interface UserGrantDeps {
  grants: GrantStore;
  users: UserInfoSource;
  /** The application's sign-in settings (cached by the implementation). */
  settings(client: Client): Promise<SignInClientSettings>;
}

const MAX_SCOPES = 100;

/** A refresh token found and checked for this request, with what its rotation will store. */
export interface CheckedRefresh {
  tokenHash: string;
  current: RefreshToken;
  /** The access token's scope: the requested narrowing of the grant's. */
  scope: string[];
  next: MintedRefreshToken;
  settings: SignInClientSettings;
}

/**
 * The read-only checks of a refresh: the token is live and was issued to this client, the scope
 * only narrows, the rolling duration allows a successor. Run while the client is admitted, so a
 * request that fails them consumes neither the refresh token nor the client assertion's jti.
 */
export async function checkRefresh(deps: UserGrantDeps, context: IssuerContext, profile: ClientProfile, params: Params): Promise<CheckedRefresh> {
  const client = profile.client;
  const tokenHash = sha256Base64url(requireParam(params, 'refresh_token'));
  const settings = await deps.settings(client);
  const current = await deps.grants.getRefreshToken(context.environmentId, tokenHash, context.now);
  if (!current || current.environmentId !== context.environmentId || current.expiresAt <= context.now) {
    throw new InvalidGrant('the refresh token is invalid or expired');
  }
  // RFC 6749 §6: the refresh token is bound to the client it was issued to.
  if (current.applicationId !== client.id) throw new InvalidGrant('the refresh token is invalid or expired', 'issued to another client');
  const scope = narrowScope(current.scope, params.get('scope'));
  // The new refresh token keeps the original scope (RFC 6749 §6), only the access token narrows.
  const next = mintRefreshToken(current, { grantId: current.grantId, familyId: current.familyId, scope: current.scope }, settings, context.now);
  if (!next) throw new InvalidGrant('the refresh token is invalid or expired', 'refreshTokenRollingDuration reached: re-authentication required');
  return { tokenHash, current, scope, next, settings };
}

/**
 * Called by the token endpoint with a checked refresh token once the client is authenticated
 * (and its assertion's jti recorded): issues the tokens and rotates the refresh token in one
 * atomic store call, which also detects the reuse of a rotated one.
 */
export async function refreshTokenGrant(
  deps: UserGrantDeps & { keys: IssuerKeys },
  context: IssuerContext,
  profile: ClientProfile,
  { tokenHash, current, scope, next, settings }: CheckedRefresh,
  request: RequestData = {},
): Promise<UserTokenResponse> {
  const { response, accessToken } = await issueUserTokens(deps, context, profile, current, scope, undefined, request);
  const grace = settings.refreshTokenRollingGracePeriodDuration;
  const issued = { ...accessToken, grantId: current.grantId, familyId: current.familyId };
  const rotated = await deps.grants.rotateRefreshToken(context.environmentId, tokenHash, next.record, context.now, grace, issued);
  if (rotated.status === 'reused') throw new InvalidGrant('the refresh token is invalid or expired', 'reuse of a rotated refresh token: family revoked');
  if (rotated.status !== 'rotated') throw new InvalidGrant('the refresh token is invalid or expired');
  response.refresh_token = next.token;
  return response;
}

/** RFC 6749 §6: `scope` may only narrow what the grant holds; omitted means all of it. */
export function narrowScope(granted: readonly string[], requested: string | undefined): string[] {
  if (requested === undefined) return [...granted];
  const names = requested.split(' ');
  if (names.length > MAX_SCOPES || names.some((n) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(n))) {
    throw new InvalidScope('scope must be space-separated scope tokens');
  }
  const wider = names.find((n) => !granted.includes(n));
  if (wider !== undefined) throw new InvalidScope('the requested scope exceeds the scope of the refresh token');
  return [...new Set(names)];
}

export interface MintedRefreshToken {
  /** Sent to the client once, never stored. */
  token: string;
  record: RefreshToken;
}

interface Owner extends UserAuthentication {
  environmentId: string;
  applicationId: string;
}

/**
 * A new refresh token of a family. Undefined when the rolling limit (auth_time +
 * refreshTokenRollingDuration) has already passed: no token can be valid then.
 */
export function mintRefreshToken(
  owner: Owner,
  ids: { grantId: string; familyId?: string; scope: readonly string[] },
  settings: SignInClientSettings,
  now: Date,
): MintedRefreshToken | undefined {
  const ownEnd = now.getTime() + settings.refreshTokenDuration * 1000;
  const rolling = settings.refreshTokenRollingDuration;
  const familyEnd = rolling === undefined ? Number.POSITIVE_INFINITY : owner.authTime.getTime() + rolling * 1000;
  const end = Math.min(ownEnd, familyEnd);
  if (end <= now.getTime()) return undefined;
  const token = randomToken();
  const record: RefreshToken = {
    tokenHash: sha256Base64url(token),
    environmentId: owner.environmentId,
    applicationId: owner.applicationId,
    userId: owner.userId,
    sessionIdHash: owner.sessionIdHash,
    grantId: ids.grantId,
    familyId: ids.familyId ?? newId(),
    scope: [...ids.scope],
    authTime: owner.authTime,
    amr: [...owner.amr],
    createdAt: now,
    expiresAt: new Date(end),
  };
  if (owner.acr !== undefined) record.acr = owner.acr;
  return { token, record };
}
