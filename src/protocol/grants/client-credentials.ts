/**
 * The client_credentials grant (RFC 6749 §4.4).
 */
import type { RequestData } from '../claims/mapped-claims.js';
import { resourceClaims } from '../claims/token-claims.js';
import type { ClientProfile } from '../client-auth/ports.js';
import type { Params } from '../params.js';
import { issueAccessToken } from '../tokens/access-token.js';
import type { IssuerContext, IssuerKeys } from '../tokens/ports.js';
import { requireGrantType } from './grant-type.js';
import { resolveClientCredentialsScopes, type ResolvedScopes } from './scopes.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

/**
 * What the request may have, checked before the client's assertion is recorded (nothing is
 * consumed by a refusal): the grant type (unauthorized_client) and the scopes (invalid_scope).
 */
export function admitClientCredentials(profile: ClientProfile, params: Params): ResolvedScopes {
  requireGrantType(profile.client, 'CLIENT_CREDENTIALS');
  return resolveClientCredentialsScopes(profile, params.get('scope'));
}

/** Issues the access token for the admitted scopes. */
export async function issueClientCredentials(
  context: IssuerContext,
  keys: IssuerKeys,
  profile: ClientProfile,
  resolved: ResolvedScopes,
  request: RequestData = {},
): Promise<TokenResponse> {
  const claims = await resourceClaims(resolved.resources, profile, undefined, { grantType: 'client_credentials', scopes: resolved.scopes, ...request }, context.now);
  const issued = await issueAccessToken(context, keys, {
    clientId: profile.client.id,
    resolved,
    includeTyp: profile.client.includeTyp,
    claims,
    signingPolicyId: profile.client.signingPolicyId,
  });
  const response: TokenResponse = { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn };
  if (issued.scope !== undefined) response.scope = issued.scope;
  return response;
}
