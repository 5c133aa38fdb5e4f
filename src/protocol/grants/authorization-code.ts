/**
 * The authorization_code grant (RFC 6749 §4.1.3, OpenID Connect Core §3.1.3), as named steps:
 * find the code, check it was issued to this client for this redirect_uri, check PKCE
 * (RFC 7636 §4.6) and lifetime, sign the tokens, then redeem the code in one atomic store call
 * that also stores the refresh token and remembers the access token. A second redemption fails
 * and revokes the grant's refresh tokens and access tokens (RFC 6749 §4.1.2, §10.5): introspection
 * and userinfo refuse them from then on. ID tokens are not presented back to Keyway; they stay
 * valid for a relying party until they expire.
 */
import type { AuthorizationCode } from '../../domain/sign-in/authorization-code.js';
import type { GrantAccessToken } from '../../domain/sign-in/grant-access-token.js';
import type { RequestData } from '../claims/mapped-claims.js';
import type { ClientProfile } from '../client-auth/ports.js';
import { InvalidGrant } from '../errors.js';
import { requireParam, type Params } from '../params.js';
import type { SignInClientSettings } from '../sign-in/ports.js';
import { issueUserTokens, type UserTokenResponse } from '../tokens/id-token.js';
import { sha256Base64url } from '../tokens/opaque.js';
import type { IssuerContext, IssuerKeys } from '../tokens/ports.js';
import { verifyPkce } from './pkce.js';
import { mintRefreshToken, type MintedRefreshToken, type UserGrantDeps } from './refresh-token.js';

const INVALID_CODE = 'the authorization code is invalid, expired or already used';

/** The token request's parameters for this grant, read before anything is looked up or recorded. */
export interface CodeRedemption {
  codeHash: string;
  redirectUri: string;
  verifier: string | undefined;
}

/**
 * Reads `code`, `redirect_uri` and `code_verifier`. RFC 6749 §4.1.3 requires `redirect_uri` here
 * whenever the authorization request included it, and Keyway's authorization endpoint and PAR
 * accept no request without one (`trustRedirect` in ../sign-in/authorize-request.ts), so every
 * code needs it: a missing one is refused like a different one, as invalid_grant (RFC 6749 §5.2,
 * "does not match the redirection URI used in the authorization request"). Run while the client
 * is admitted (checkCodeRedemption), so the refusal consumes neither the code nor the client
 * assertion's jti.
 */
function readCodeRedemption(params: Params): CodeRedemption {
  const codeHash = sha256Base64url(requireParam(params, 'code'));
  const redirectUri = params.get('redirect_uri');
  if (redirectUri === undefined) {
    throw new InvalidGrant('redirect_uri is required and must be the one of the authorization request', 'redirect_uri is missing');
  }
  return { codeHash, redirectUri, verifier: params.get('code_verifier') };
}

/** A code found and checked for this request, with the application's sign-in settings. */
export interface CheckedCode {
  code: AuthorizationCode;
  settings: SignInClientSettings;
}

/**
 * The read-only checks of a redemption: the code exists and was issued to this client, for this
 * redirect_uri, and the PKCE verifier matches. Run while the client is admitted, so a request
 * that fails them consumes neither the code nor the client assertion's jti.
 */
export async function checkCodeRedemption(deps: UserGrantDeps, context: IssuerContext, profile: ClientProfile, params: Params): Promise<CheckedCode> {
  const redemption = readCodeRedemption(params);
  const client = profile.client;
  const settings = await deps.settings(client);
  const code = await findOwnCode(deps, context, profile, redemption.codeHash);
  // RFC 6749 §4.1.3: identical to the redirect_uri of the authorization request (exact string).
  if (code.redirectUri !== redemption.redirectUri) throw new InvalidGrant(INVALID_CODE, 'redirect_uri does not match the authorization request');
  verifyPkce(code, redemption.verifier, { enforcement: settings.pkceEnforcement, publicClient: client.tokenEndpointAuthMethod === 'NONE' });
  return { code, settings };
}

/**
 * Called by the token endpoint with a checked code once the client is authenticated (and its
 * assertion's jti recorded): redeems the code, or, when it has expired, counts the attempt as a
 * use that revokes the grant.
 */
export async function authorizationCodeGrant(
  deps: UserGrantDeps & { keys: IssuerKeys },
  context: IssuerContext,
  profile: ClientProfile,
  { code, settings }: CheckedCode,
  request: RequestData = {},
): Promise<UserTokenResponse> {
  if (code.expiresAt <= context.now) {
    // Still a use of the code: an expired replay revokes the grant like any other.
    await redeemOrRevoke(deps, context, code, undefined);
    throw new InvalidGrant(INVALID_CODE, 'the authorization code has expired');
  }
  const { response, accessToken } = await issueUserTokens(deps, context, profile, code, code.scope, code.nonce, request);
  const refresh = refreshTokenFor(profile, code, settings, context.now);
  const issued: GrantAccessToken = { ...accessToken, grantId: code.grantId, ...(refresh ? { familyId: refresh.record.familyId } : {}) };
  await redeemOrRevoke(deps, context, code, refresh, issued);
  if (refresh) response.refresh_token = refresh.token;
  return response;
}

/**
 * The code, when it exists and was issued to this client. A code presented by another client is
 * refused without being consumed, so that client cannot burn someone else's code.
 */
async function findOwnCode(deps: UserGrantDeps, context: IssuerContext, profile: ClientProfile, codeHash: string): Promise<AuthorizationCode> {
  const code = await deps.grants.findCode(context.environmentId, codeHash);
  if (!code || code.environmentId !== context.environmentId) throw new InvalidGrant(INVALID_CODE, 'unknown authorization code');
  if (code.applicationId !== profile.client.id) throw new InvalidGrant(INVALID_CODE, 'the code was issued to another client');
  return code;
}

/** PingOne: a refresh token when the application has REFRESH_TOKEN and the scope has offline_access. */
function refreshTokenFor(
  profile: ClientProfile,
  code: AuthorizationCode,
  settings: SignInClientSettings,
  now: Date,
): MintedRefreshToken | undefined {
  if (!profile.client.grantTypes.includes('REFRESH_TOKEN') || !code.scope.includes('offline_access')) return undefined;
  return mintRefreshToken(code, { grantId: code.grantId, scope: code.scope }, settings, now);
}

/** The one atomic single-use step; a second redemption revokes the grant's refresh and access tokens. */
async function redeemOrRevoke(
  deps: UserGrantDeps,
  context: IssuerContext,
  code: AuthorizationCode,
  refresh: MintedRefreshToken | undefined,
  accessToken?: GrantAccessToken,
): Promise<void> {
  const result = await deps.grants.redeemCode(context.environmentId, code.codeHash, context.now, refresh?.record, accessToken);
  if (result.status === 'redeemed') return;
  if (result.status === 'already_redeemed') {
    await deps.grants.revokeGrant(context.environmentId, code.grantId);
    throw new InvalidGrant(INVALID_CODE, 'authorization code replay: the grant was revoked');
  }
  throw new InvalidGrant(INVALID_CODE, 'unknown authorization code');
}
