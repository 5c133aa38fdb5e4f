/**
 * The one client-authentication step shared by every client-authenticated endpoint
 * (token, introspection, revocation). Exactly one method per request (RFC 6749 §2.3), and it
 * must be the application's `tokenEndpointAuthMethod`.
 */
import type { TokenEndpointAuthMethod } from '../../management/applications/model.js';
import { InvalidClient, InvalidRequest } from '../errors.js';
import type { Params } from '../params.js';
import type { ClientDirectory, ClientProfile } from '../ports.js';
import { parseBasicAuthorization, secretMatches } from './client-secret.js';

export const CLIENT_ASSERTION_TYPE_JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAuthInput {
  environmentId: string;
  /** The raw Authorization header, if any. */
  authorization: string | undefined;
  params: Params;
  now: Date;
}

export interface AuthenticatedClient {
  profile: ClientProfile;
  method: TokenEndpointAuthMethod;
}

type Presented =
  | { kind: 'basic'; clientId: string; secret: string }
  | { kind: 'post'; clientId: string; secret: string }
  | { kind: 'jwt'; clientId: string | undefined; assertion: string }
  | { kind: 'none'; clientId: string };

export async function authenticateClient(input: ClientAuthInput, directory: ClientDirectory): Promise<AuthenticatedClient> {
  const presented = detectMethod(input);
  if (presented.kind === 'jwt') {
    throw new InvalidClient('METHOD_NOT_SUPPORTED', 'client assertions are not supported yet');
  }
  const profile = await findEnabledClient(directory, input.environmentId, presented.clientId);
  const method = expectedMethod(presented.kind);
  assertMethodMatches(profile, method);
  if (presented.kind !== 'none' && !secretMatches(presented.secret, profile.secrets, input.now)) {
    throw new InvalidClient('SECRET_MISMATCH', 'client secret does not match');
  }
  return { profile, method: profile.client.tokenEndpointAuthMethod };
}

/** Works out which single method the request uses; more than one is invalid_request. */
function detectMethod({ authorization, params }: ClientAuthInput): Presented {
  const clientId = params.get('client_id');
  const secret = params.get('client_secret');
  const assertion = params.get('client_assertion');
  const assertionType = params.get('client_assertion_type');
  const used = [authorization !== undefined, secret !== undefined, assertion !== undefined || assertionType !== undefined];
  if (used.filter(Boolean).length > 1) {
    throw new InvalidRequest('only one client authentication method may be used per request');
  }
  if (authorization !== undefined) {
    const basic = parseBasicAuthorization(authorization);
    if (clientId !== undefined && clientId !== basic.clientId) {
      throw new InvalidClient('CLIENT_ID_MISMATCH', 'client_id parameter differs from the Basic credentials');
    }
    return { kind: 'basic', clientId: basic.clientId, secret: basic.clientSecret };
  }
  if (secret !== undefined) {
    if (clientId === undefined) throw new InvalidClient('CLIENT_ID_MISSING', 'client_secret sent without client_id');
    return { kind: 'post', clientId, secret };
  }
  if (assertion !== undefined || assertionType !== undefined) {
    return { kind: 'jwt', clientId, assertion: assertion ?? '' };
  }
  if (clientId === undefined) throw new InvalidClient('NO_CREDENTIALS', 'no client authentication was presented');
  return { kind: 'none', clientId };
}

async function findEnabledClient(directory: ClientDirectory, environmentId: string, clientId: string): Promise<ClientProfile> {
  const profile = await directory.find(environmentId, clientId);
  if (!profile) throw new InvalidClient('CLIENT_UNKNOWN', 'no such client in this environment');
  if (!profile.client.enabled) throw new InvalidClient('CLIENT_DISABLED', 'the application is disabled');
  return profile;
}

function expectedMethod(kind: Exclude<Presented['kind'], 'jwt'>): TokenEndpointAuthMethod {
  switch (kind) {
    case 'basic':
      return 'CLIENT_SECRET_BASIC';
    case 'post':
      return 'CLIENT_SECRET_POST';
    case 'none':
      return 'NONE';
  }
}

function assertMethodMatches(profile: ClientProfile, method: TokenEndpointAuthMethod): void {
  if (profile.client.tokenEndpointAuthMethod !== method) {
    throw new InvalidClient(
      'METHOD_MISMATCH',
      `the application authenticates with ${profile.client.tokenEndpointAuthMethod}, the request used ${method}`,
    );
  }
}
