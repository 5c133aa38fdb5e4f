/**
 * The token endpoint as a sequence of named steps: parse, authenticate the client, dispatch on
 * grant_type (RFC 6749 §3.2, §5).
 */
import type { RequestData } from './claims/mapped-claims.js';
import { authenticateClient, type AuthenticatedClient, type ClientAuthInput } from './client-auth/authenticate.js';
import type { AssertionReplayStore, ClientAuthEventSink, ClientDirectory, ClientKeySource, ClientProfile } from './client-auth/ports.js';
import { ServerError, UnsupportedGrantType } from './errors.js';
import { authorizationCodeGrant, checkCodeRedemption, type CheckedCode } from './grants/authorization-code.js';
import { admitClientCredentials, issueClientCredentials, type TokenResponse } from './grants/client-credentials.js';
import { requireGrantType } from './grants/grant-type.js';
import { checkRefresh, refreshTokenGrant, type CheckedRefresh, type UserGrantDeps } from './grants/refresh-token.js';
import type { ResolvedScopes } from './grants/scopes.js';
import { requireParam, type Params } from './params.js';
import type { IssuerContext, IssuerKeys } from './tokens/ports.js';

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
  const grant = grantFor(deps, context, grantType, input.params);
  const authenticated = await authenticateClient(input, { directory: deps.directory, ...deps.clientAuth, admit: grant.admit });
  return grant.issue(authenticated.profile, requestData(authenticated, grantType));
}

/** `#root.context.requestData` of attribute mappings: the grant type and the verified assertion. */
function requestData(authenticated: AuthenticatedClient, grantType: string): RequestData {
  const data: RequestData = { grantType };
  if (authenticated.assertion) {
    data.clientAssertion = authenticated.assertion.payload;
    data.clientAssertionHeader = authenticated.assertion.header;
  }
  return data;
}

/**
 * A grant in two steps: `admit` checks what the client may ask for, and reads and checks the
 * code or refresh token it presents, after it authenticated but before its assertion's jti is
 * recorded, so a refused request consumes nothing; `issue` does the rest, the single-use steps
 * included (an expired code, or a code or refresh token used again meanwhile, is still refused
 * there as invalid_grant, and counts as a use).
 */
interface Grant {
  admit(profile: ClientProfile): void | Promise<void>;
  issue(profile: ClientProfile, request: RequestData): Promise<TokenResponse>;
}

/** The grant named by `grant_type`; an unsupported one is refused before the client authenticates. */
function grantFor(deps: TokenEndpointDeps, context: IssuerContext, grantType: string, params: Params): Grant {
  switch (grantType) {
    case 'client_credentials': {
      let scopes: ResolvedScopes | undefined;
      return {
        admit: (profile) => void (scopes = admitClientCredentials(profile, params)),
        issue: (profile, request) => issueClientCredentials(context, deps.keys, profile, admitted(scopes), request),
      };
    }
    case 'authorization_code': {
      const signIn = userGrants(deps);
      // The code is found and checked while admitting (redirect_uri, PKCE), so a request that
      // fails there consumes neither the code nor the assertion's jti; issue redeems it.
      let checked: CheckedCode | undefined;
      return {
        admit: async (profile) => {
          requireGrantType(profile.client, 'AUTHORIZATION_CODE');
          checked = await checkCodeRedemption(signIn, context, profile, params);
        },
        issue: (profile, request) => authorizationCodeGrant({ ...signIn, keys: deps.keys }, context, profile, admitted(checked), request),
      };
    }
    case 'refresh_token': {
      const signIn = userGrants(deps);
      let checked: CheckedRefresh | undefined;
      return {
        admit: async (profile) => {
          requireGrantType(profile.client, 'REFRESH_TOKEN');
          checked = await checkRefresh(signIn, context, profile, params);
        },
        issue: (profile, request) => refreshTokenGrant({ ...signIn, keys: deps.keys }, context, profile, admitted(checked), request),
      };
    }
    default:
      throw new UnsupportedGrantType(GRANT_TYPE_NOT_SUPPORTED);
  }
}

/** What admit found; authenticateClient ends every success with admit, so it is always there. */
function admitted<T>(value: T | undefined): T {
  if (value === undefined) throw new ServerError('a grant reached issue without admission');
  return value;
}

/** Fixed: the value is request input and is never repeated back. */
const GRANT_TYPE_NOT_SUPPORTED = 'the grant_type is not supported';

function userGrants(deps: TokenEndpointDeps): UserGrantDeps {
  if (!deps.signIn) throw new UnsupportedGrantType(GRANT_TYPE_NOT_SUPPORTED);
  return deps.signIn;
}
