/**
 * Tokens of user grants (authorization_code, refresh_token): the access token with the user's
 * `sub`, `sid`, `auth_time`, `acr` (docs/pingone-reference.md §6.6) and the ID token (OpenID
 * Connect Core §2, §3.1.3.6): signed with the environment's default key in its algorithm, 3600 s as on PingOne.
 */
import { signJwtAsync } from '../../jose/jwt.js';
import { RequiredClaimMissing, type RequestData } from '../claims/mapped-claims.js';
import { applicationClaims, mappingUserOnce, resourceClaims, withoutWithheld, type MappingUser } from '../claims/token-claims.js';
import type { ClientProfile, GrantedResource } from '../client-auth/ports.js';
import { InvalidGrant, InvalidScope, ServerError } from '../errors.js';
import type { ResolvedScopes } from '../grants/scopes.js';
import type { UserInfoSource } from '../sign-in/ports.js';
import { issueAccessToken } from './access-token.js';
import { leftHalfHash } from './opaque.js';
import type { IssuerContext, IssuerKeys } from './ports.js';

/** PingOne's fixed ID token lifetime. */
export const ID_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * Claim names the token layer sets; user claims never override them (PingOne's reserved list,
 * docs/pingone-reference.md §6.6).
 */
const RESERVED = new Set(['acr', 'amr', 'at_hash', 'aud', 'auth_time', 'azp', 'client_id', 'c_hash', 'exp', 'iat', 'iss', 'jti', 'nbf', 'nonce', 'org', 'scope', 'sid', 'sub', 'env']);

/** OpenID Connect scopes; they resolve to the environment's OPENID_CONNECT resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

/** How the user authenticated: shared by an authorization code and every refresh token of its grant. */
export interface UserAuthentication {
  userId: string;
  sessionIdHash: string;
  authTime: Date;
  amr: readonly string[];
  acr?: string;
}

export interface UserTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

/** The response of a user grant, and the access token's identity for the grant's store call. */
export interface IssuedUserTokens {
  response: UserTokenResponse;
  accessToken: { jti: string; expiresAt: Date };
}

export interface UserTokenDeps {
  keys: IssuerKeys;
  users: UserInfoSource;
}

/** Issues the access token and, with `openid`, the ID token for `scope` (already granted). */
export async function issueUserTokens(
  deps: UserTokenDeps,
  context: IssuerContext,
  profile: ClientProfile,
  auth: UserAuthentication,
  scope: readonly string[],
  nonce: string | undefined,
  request: RequestData = {},
): Promise<IssuedUserTokens> {
  const resolved = resolveUserScopes(profile, scope, context.issuer);
  // Read for every user grant: a deleted user gets no further tokens.
  const claims = await deps.users.claims(context.environmentId, auth.userId, scope);
  if (!claims) throw new InvalidGrant('the user no longer exists');
  // Evaluated before anything is signed: a required mapping without a value refuses the request
  // while the code or refresh token is still unused.
  const mappingUser = mappingUserOnce(deps.users, context.environmentId, auth.userId);
  const mapped = scope.includes('openid') ? await mappedIdTokenClaims(mappingUser, profile, scope, request, context.now) : undefined;
  const user = { sub: auth.userId, sid: auth.sessionIdHash, auth_time: seconds(auth.authTime), ...(auth.acr === undefined ? {} : { acr: auth.acr }) };
  const resourceMapped = await resourceClaims(resolved.resources, profile, mappingUser, { scopes: scope, ...request }, context.now);
  const signingPolicyId = profile.client.signingPolicyId;
  const access = await issueAccessToken(context, deps.keys, { clientId: profile.client.id, resolved, includeTyp: profile.client.includeTyp, signingPolicyId, user, claims: resourceMapped });
  const response: UserTokenResponse = { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scope.join(' ') };
  if (mapped) {
    const idClaims = { ...withoutWithheld(claims, mapped), ...mapped.claims };
    response.id_token = await issueIdToken(context, deps.keys, {
      clientId: profile.client.id,
      signingPolicyId,
      auth,
      nonce,
      accessToken: access.token,
      claims: idClaims,
      ...(mapped.subject === undefined ? {} : { subject: mapped.subject }),
    });
  }
  return { response, accessToken: { jti: access.jti, expiresAt: access.expiresAt } };
}

export interface IdTokenRequest {
  clientId: string;
  /** The key rotation policy of the application, when it names one. */
  signingPolicyId?: string | undefined;
  auth: UserAuthentication;
  /** The authorization request's nonce; never on refresh (OIDC Core §12.2). */
  nonce: string | undefined;
  /** The access token issued with it, for `at_hash`. */
  accessToken: string;
  /** The user's claims for the granted scopes (`UserInfoSource.claims`) and the mapped ones. */
  claims: Readonly<Record<string, unknown>>;
  /** `sub` from the application's core mapping, when its value was replaced; else the user id. */
  subject?: string;
}

export async function issueIdToken(context: IssuerContext, keys: IssuerKeys, request: IdTokenRequest): Promise<string> {
  const key = await keys.activeKey(context.environmentId, request.signingPolicyId);
  if (!key) throw new ServerError('environment has no active signing key');
  const iat = seconds(context.now);
  const payload: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request.claims)) if (!RESERVED.has(name) && value !== undefined) payload[name] = value;
  Object.assign(payload, {
    iss: context.issuer,
    sub: request.subject ?? request.auth.userId,
    aud: request.clientId,
    iat,
    exp: iat + ID_TOKEN_LIFETIME_SECONDS,
    auth_time: seconds(request.auth.authTime),
    at_hash: leftHalfHash(request.accessToken, key.alg),
    sid: request.auth.sessionIdHash,
    azp: request.clientId,
  });
  if (request.auth.acr !== undefined) payload.acr = request.auth.acr;
  if (request.auth.amr.length > 0) payload.amr = [...request.auth.amr];
  if (request.nonce !== undefined) payload.nonce = request.nonce;
  return signJwtAsync({ alg: key.alg, kid: key.kid }, payload, key.privateKey);
}

/**
 * Audiences and lifetime of a user token from the scopes granted at authorization. OpenID Connect
 * scopes fall back to the environment's OIDC resource (audience = issuer, 3600 s) when the
 * application lists none; PingOne API scopes are refused because the management API would
 * treat the token as the application's own (with the application's roles).
 */
export function resolveUserScopes(profile: ClientProfile, scope: readonly string[], issuer: string): ResolvedScopes {
  const oidc: GrantedResource = profile.grants.find((g) => g.type === 'OPENID_CONNECT') ?? {
    resourceId: 'openid',
    type: 'OPENID_CONNECT',
    audience: issuer,
    accessTokenValiditySeconds: ID_TOKEN_LIFETIME_SECONDS,
    scopes: [],
  };
  const resources: GrantedResource[] = [];
  for (const name of scope) {
    const owners = profile.grants.filter((g) => g.scopes.includes(name));
    if (owners.length > 1) throw new InvalidScope('a scope of the grant is granted through several resources');
    const owner = owners[0] ?? (OIDC_SCOPES.has(name) ? oidc : undefined);
    if (!owner) throw new InvalidScope('a scope of the grant is no longer granted to the application');
    if (owner.type === 'PINGONE_API') throw new InvalidScope('PingOne API scopes are not issued to users');
    if (!resources.includes(owner)) resources.push(owner);
  }
  if (resources.length === 0) throw new InvalidScope('no scope to issue a token for');
  return { scopes: [...scope], resources, management: false };
}

/** The application's ID token mappings; a required one without a value refuses the grant. */
async function mappedIdTokenClaims(user: MappingUser, profile: ClientProfile, scope: readonly string[], request: RequestData, now: Date) {
  try {
    return await applicationClaims(user, profile, 'idToken', scope, request, now, true);
  } catch (err) {
    if (err instanceof RequiredClaimMissing) throw new InvalidGrant('a required claim of the application has no value for this user', err.message);
    throw err;
  }
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
