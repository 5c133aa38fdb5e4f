/**
 * The client_credentials grant (RFC 6749 §4.4).
 */
import { UnauthorizedClient } from '../errors.js';
import type { Params } from '../params.js';
import type { ClientProfile, IssuerContext, IssuerKeys } from '../ports.js';
import { issueAccessToken } from '../tokens/access-token.js';
import { resolveClientCredentialsScopes } from './scopes.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

export async function clientCredentialsGrant(
  context: IssuerContext,
  keys: IssuerKeys,
  profile: ClientProfile,
  params: Params,
): Promise<TokenResponse> {
  assertGrantAllowed(profile);
  const resolved = resolveClientCredentialsScopes(profile, params.get('scope'));
  const issued = await issueAccessToken(context, keys, {
    clientId: profile.client.id,
    resolved,
    includeTyp: profile.client.includeTyp,
  });
  const response: TokenResponse = { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn };
  if (issued.scope !== undefined) response.scope = issued.scope;
  return response;
}

function assertGrantAllowed(profile: ClientProfile): void {
  if (!profile.client.grantTypes.includes('CLIENT_CREDENTIALS')) {
    throw new UnauthorizedClient('the application is not allowed the client_credentials grant');
  }
}
