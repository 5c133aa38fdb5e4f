/**
 * Validation of an authorization request in two named phases (RFC 6749 §4.1.2.1):
 * 1. `clientAndRedirect`: the client and the redirect URI. Until both are trusted nothing may be
 *    sent to the redirect URI, so failures here become an error page.
 * 2. `validateRequest`: everything else; failures go back to the redirect URI.
 */
import type { AuthorizationRequest } from '../../domain/sign-in/authorization-request.js';
import type { ClientProfile } from '../client-auth/ports.js';
import { InvalidRequest, InvalidScope, UnauthorizedClient } from '../errors.js';
import type { Params } from '../params.js';
import { RequestNotSupported, UnsupportedResponseType } from './errors.js';
import { checkPkce } from './pkce.js';
import type { SignInClientSettings, SignInPorts } from './ports.js';
import { redirectUriAllowed } from './redirect-uri.js';
import type { ResponseMode, ResponseTarget } from './response-mode.js';

export interface SignInClient {
  profile: ClientProfile;
  settings: SignInClientSettings;
}

const RESPONSE_MODES: readonly ResponseMode[] = ['query', 'fragment', 'form_post', 'pi.flow'];
/** Upper bounds per parameter (characters); anything longer is invalid_request. */
const LIMITS: Record<string, number> = {
  client_id: 128, redirect_uri: 2048, state: 2048, nonce: 512, scope: 2048, login_hint: 256,
  acr_values: 1024, prompt: 64, max_age: 10, response_type: 64, response_mode: 32,
  code_challenge: 128, code_challenge_method: 16, request_uri: 128,
};
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Parameter value with its size bound enforced; `name` is the caller's constant, never input. */
export function bounded(params: Params, name: string): string | undefined {
  const value = params.get(name);
  if (value !== undefined && value.length > (LIMITS[name] ?? 4096)) throw new InvalidRequest(`parameter ${name} is too long`);
  return value;
}

/** Phase 1a: a known, enabled client of this environment. Failures are shown, never redirected. */
export async function loadClient(ports: SignInPorts, environmentId: string, clientId: string | undefined): Promise<SignInClient> {
  if (clientId === undefined) throw new InvalidRequest('missing required parameter client_id');
  const profile = await ports.directory.find(environmentId, clientId);
  const settings = profile?.client.enabled ? await ports.clients.settings(environmentId, clientId) : undefined;
  if (!profile || !settings) throw new InvalidRequest('unknown or disabled client');
  return { profile, settings };
}

/** Phase 1b: the redirect URI is registered for the client; the response mode and state to use. */
export function trustRedirect(client: SignInClient, params: Params): ResponseTarget {
  const redirectUri = bounded(params, 'redirect_uri');
  if (redirectUri === undefined) throw new InvalidRequest('missing required parameter redirect_uri');
  if (!redirectUriAllowed(client.settings.redirectUris, redirectUri, client.settings.allowWildcardInRedirectUris)) {
    throw new InvalidRequest('redirect_uri is not registered for the client');
  }
  const mode = params.get('response_mode');
  const responseMode = RESPONSE_MODES.find((m) => m === mode) ?? 'query';
  const state = params.get('state');
  // An oversized state is not echoed; validateRequest rejects it.
  return state !== undefined && state.length <= (LIMITS.state ?? 0) ? { redirectUri, responseMode, state } : { redirectUri, responseMode };
}

/** Phase 2: the rest of the request (OIDC Core §3.1.2.1, RFC 7636 §4.3). */
export function validateRequest(client: SignInClient, target: ResponseTarget, params: Params): AuthorizationRequest {
  for (const name of Object.keys(LIMITS)) bounded(params, name);
  // OIDC Core §6.1: discovery says request_parameter_supported=false, so a request object is
  // refused rather than ignored (its claims could otherwise differ from the plain parameters).
  if (params.has('request')) throw new RequestNotSupported('request objects are not supported');
  const { client: c } = client.profile;
  if (!c.grantTypes.includes('AUTHORIZATION_CODE') || !client.settings.responseTypes.includes('CODE')) {
    throw new UnauthorizedClient('the client may not use the authorization code flow');
  }
  const mode = params.get('response_mode');
  if (mode !== undefined && mode !== target.responseMode) throw new InvalidRequest('unsupported response_mode');
  const responseType = params.get('response_type');
  if (responseType === undefined) throw new InvalidRequest('missing required parameter response_type');
  if (responseType !== 'code') throw new UnsupportedResponseType('only response_type=code is supported');
  const request: AuthorizationRequest = {
    clientId: c.id,
    redirectUri: target.redirectUri,
    responseType: 'code',
    responseMode: target.responseMode,
    scope: parseScope(params.get('scope')),
    ...checkPkce(client.settings.pkceEnforcement, c.tokenEndpointAuthMethod, params.get('code_challenge'), params.get('code_challenge_method')),
  };
  if (target.state !== undefined) request.state = target.state;
  const nonce = params.get('nonce');
  if (nonce !== undefined) request.nonce = nonce;
  const prompt = parsePrompt(params.get('prompt'));
  if (prompt !== undefined) request.prompt = prompt;
  const maxAge = params.get('max_age');
  if (maxAge !== undefined) request.maxAge = parseMaxAge(maxAge);
  const loginHint = params.get('login_hint');
  if (loginHint !== undefined) request.loginHint = loginHint;
  const acr = params.get('acr_values');
  if (acr !== undefined) request.acrValues = acr.split(' ').filter((v) => v !== '');
  return request;
}

/** At least one scope; `openid` makes the request an OpenID Connect one. */
function parseScope(scope: string | undefined): string[] {
  const values = (scope ?? '').split(' ').filter((s) => s !== '');
  if (values.length === 0) throw new InvalidScope('scope is required');
  if (!values.every((s) => SCOPE_TOKEN.test(s))) throw new InvalidScope('scope contains invalid characters');
  return [...new Set(values)];
}

/** OIDC Core §3.1.2.1: `none` must stand alone; `select_account` is not offered. */
function parsePrompt(prompt: string | undefined): AuthorizationRequest['prompt'] {
  if (prompt === undefined) return undefined;
  const values = new Set(prompt.split(' ').filter((p) => p !== ''));
  for (const v of values) {
    if (v !== 'none' && v !== 'login' && v !== 'consent') throw new InvalidRequest('prompt holds an unsupported value');
  }
  if (values.has('none') && values.size > 1) throw new InvalidRequest('prompt=none cannot be combined with other values');
  if (values.has('none')) return 'none';
  if (values.has('login')) return 'login';
  return values.has('consent') ? 'consent' : undefined;
}

function parseMaxAge(value: string): number {
  if (!/^\d{1,10}$/.test(value)) throw new InvalidRequest('max_age must be a non-negative integer');
  return Number(value);
}
