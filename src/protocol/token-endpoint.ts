/**
 * The token endpoint as a sequence of named steps: parse, authenticate the client, dispatch on
 * grant_type (RFC 6749 §3.2, §5).
 */
import { UnsupportedGrantType } from './errors.js';
import { authenticateClient, type ClientAuthInput } from './client-auth/authenticate.js';
import { clientCredentialsGrant, type TokenResponse } from './grants/client-credentials.js';
import { requireParam } from './params.js';
import type { AssertionReplayStore, ClientAuthEventSink, ClientDirectory, ClientKeySource, IssuerContext, IssuerKeys } from './ports.js';

export interface TokenEndpointDeps {
  directory: ClientDirectory;
  keys: IssuerKeys;
  /** Client-assertion ports; without them CLIENT_SECRET_JWT and PRIVATE_KEY_JWT cannot succeed. */
  clientAuth?: { keys: ClientKeySource; replay: AssertionReplayStore; events?: ClientAuthEventSink };
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
    default:
      throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
  }
}
