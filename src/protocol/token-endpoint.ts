/**
 * The token endpoint as a sequence of named steps: parse, authenticate the client, dispatch on
 * grant_type (RFC 6749 §3.2, §5).
 */
import { UnsupportedGrantType } from './errors.js';
import { authenticateClient, type ClientAuthInput } from './client-auth/authenticate.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant, type TokenResponse } from './grants/client-credentials.js';
import { refreshTokenGrant, type UserGrantDeps } from './grants/refresh-token.js';
import { requireParam } from './params.js';
import type { AssertionReplayStore, ClientAuthEventSink, ClientDirectory, ClientKeySource, IssuerContext, IssuerKeys } from './ports.js';

export type { UserGrantDeps, UserGrantStore, CodeLookup } from './grants/refresh-token.js';

export interface TokenEndpointDeps {
  directory: ClientDirectory;
  keys: IssuerKeys;
  /** Client-assertion ports; without them CLIENT_SECRET_JWT and PRIVATE_KEY_JWT cannot succeed. */
  clientAuth?: { keys: ClientKeySource; replay: AssertionReplayStore; events?: ClientAuthEventSink };
  /** Code and refresh-token stores, user claims, application sign-in settings; without them the user grants are unsupported. */
  signIn?: UserGrantDeps;
}

export async function tokenEndpoint(
  deps: TokenEndpointDeps,
  context: IssuerContext,
  input: ClientAuthInput,
): Promise<TokenResponse> {
  const grantType = requireParam(input.params, 'grant_type');
  const { profile } = await authenticateClient(input, { directory: deps.directory, ...deps.clientAuth });
  switch (grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(context, deps.keys, profile, input.params);
    case 'authorization_code':
      return authorizationCodeGrant({ ...userGrants(deps, grantType), keys: deps.keys }, context, profile, input.params);
    case 'refresh_token':
      return refreshTokenGrant({ ...userGrants(deps, grantType), keys: deps.keys }, context, profile, input.params);
    default:
      throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
  }
}

function userGrants(deps: TokenEndpointDeps, grantType: string): UserGrantDeps {
  if (!deps.signIn) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
  return deps.signIn;
}
