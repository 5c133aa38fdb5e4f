/**
 * The token endpoint as a sequence of named steps: parse, authenticate the client, dispatch on
 * grant_type (RFC 6749 §3.2, §5).
 */
import type { RequestData } from './claims/mapped-claims.js';
import { authenticateClient, type ClientAuthInput, type VerifiedAssertion } from './client-auth/authenticate.js';
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
  const { admit, prepare } = grant;
  const authenticated = await authenticateClient(input, {
    directory: deps.directory,
    ...deps.clientAuth,
    admit,
    ...(prepare === undefined ? {} : { prepare: (profile: ClientProfile, assertion: VerifiedAssertion | undefined) => prepare(profile, requestData(grantType, assertion)) }),
  });
  return grant.issue(authenticated.profile, requestData(grantType, authenticated.assertion));
}

/** `#root.context.requestData` of attribute mappings: the grant type and the verified assertion. */
function requestData(grantType: string, assertion: VerifiedAssertion | undefined): RequestData {
  const data: RequestData = { grantType };
  if (assertion) {
    data.clientAssertion = assertion.payload;
    data.clientAssertionHeader = assertion.header;
  }
  return data;
}

/**
 * A grant in two or three steps: `admit` checks what the client may ask for, and reads and
 * checks the code or refresh token it presents, after it authenticated but before its
 * assertion's jti is recorded, so a refused request consumes nothing; `prepare`, when a grant
 * has work that consumes nothing, does it while the jti is recorded (ClientAuthDeps.prepare);
 * `issue` does the rest once the jti is recorded, the single-use steps included (an expired
 * code, or a code or refresh token used again meanwhile, is still refused there as
 * invalid_grant, and counts as a use).
 */
interface Grant {
  admit(profile: ClientProfile): void | Promise<void>;
  prepare?(profile: ClientProfile, request: RequestData): Promise<unknown>;
  issue(profile: ClientProfile, request: RequestData): Promise<TokenResponse>;
}

/** The grant named by `grant_type`; an unsupported one is refused before the client authenticates. */
function grantFor(deps: TokenEndpointDeps, context: IssuerContext, grantType: string, params: Params): Grant {
  switch (grantType) {
    case 'client_credentials': {
      // Issuing stores nothing, so the token is signed while the assertion's jti is recorded,
      // and answered only once it is (docs/decisions.md, "The token endpoint's hot path").
      let scopes: ResolvedScopes | undefined;
      let issued: Promise<TokenResponse> | undefined;
      return {
        admit: (profile) => void (scopes = admitClientCredentials(profile, params)),
        prepare: (profile, request) => (issued = issueClientCredentials(context, deps.keys, profile, admitted(scopes), request)),
        issue: () => admitted(issued),
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
