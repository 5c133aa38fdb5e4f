/**
 * A user's sign-in without a browser, through PingOne's redirectless flow API: the
 * authorization request with `response_mode=pi.flow` answers with a flow, the flow's
 * `usernamePassword.check` signs the user in, its `resumeUrl` answers with the authorization
 * response, and the code is exchanged at the token endpoint (RFC 6749 §4.1.3) with the PKCE
 * verifier (RFC 7636 §4.5).
 */
import { createHash, randomBytes } from 'node:crypto';
import { authenticateClient, type ClientCredentials } from './client-auth.js';
import { OAuthResponseError, PingOneApiError, SignInError } from './errors.js';
import { formBody, send, type HttpAnswer } from './http.js';
import { tokenRequest, type TokenResponse } from './tokens.js';

/** The flow API's media type of a username and password check (PingOne flow API, "Check Username/Password"). */
const USERNAME_PASSWORD_CHECK = 'application/vnd.pingidentity.usernamePassword.check+json';

export interface SignInOptions extends ClientCredentials {
  envId: string;
  /** One of the application's `redirectUris` (nothing is sent to it). */
  redirectUri: string;
  username: string;
  password: string;
  /** Default `openid`. */
  scope?: string;
  /** Send a PKCE S256 challenge (RFC 7636); default true. */
  pkce?: boolean;
  /** Default: a random one when `scope` holds `openid`. */
  nonce?: string;
  /** Push the authorization request first (RFC 9126), as applications with `parRequirement: REQUIRED` must. */
  par?: boolean;
  /** More authorization request parameters (`prompt`, `acr_values`, `max_age`, …). */
  params?: Record<string, string>;
}

interface Flow {
  id: string;
  status: string;
  resumeUrl?: string;
  _links?: Record<string, { href: string }>;
}

export async function signIn(issuer: string, options: SignInOptions): Promise<TokenResponse> {
  const request = authorizationRequest(options);
  const browser = new CookieJar();
  const flow = await startFlow(issuer, options, request.params, browser);
  const completed = await checkPassword(flow, options, browser);
  const code = await resume(completed, issuer, request.state, browser);
  const form = formBody({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: request.verifier });
  return tokenRequest(issuer, options.envId, options, form);
}

interface AuthorizationRequest {
  params: Record<string, string>;
  state: string;
  verifier?: string;
}

/** RFC 6749 §4.1.1 with PingOne's `response_mode=pi.flow`; `state`, `nonce` and the PKCE pair are random. */
function authorizationRequest(options: SignInOptions): AuthorizationRequest {
  const scope = options.scope ?? 'openid';
  const state = random();
  const params: Record<string, string> = {
    ...options.params,
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope,
    response_mode: 'pi.flow',
    state,
  };
  if (scope.split(' ').includes('openid')) params.nonce = options.nonce ?? random();
  if (options.pkce === false) return { params, state };
  const verifier = random();
  params.code_challenge = createHash('sha256').update(verifier).digest('base64url');
  params.code_challenge_method = 'S256';
  return { params, state, verifier };
}

async function startFlow(issuer: string, options: SignInOptions, params: Record<string, string>, browser: CookieJar): Promise<Flow> {
  const query = options.par === true ? await pushedRequest(issuer, options, params) : params;
  const url = `${issuer}/authorize?${new URLSearchParams(query)}`;
  const answer = await browser.send(url, { method: 'GET', headers: { accept: 'application/json' } });
  if (answer.status !== 200) throw new OAuthResponseError(url, answer.status, answer.body);
  const flow = answer.body as Flow;
  if (flow.status !== 'USERNAME_PASSWORD_REQUIRED') throw new SignInError('the flow does not ask for a username and password', flow);
  return flow;
}

/** RFC 9126 §2: the request is pushed with the client's authentication; authorize then names its `request_uri`. */
async function pushedRequest(issuer: string, options: SignInOptions, params: Record<string, string>): Promise<Record<string, string>> {
  const form = formBody(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  await authenticateClient(issuer, options.envId, options, form, headers);
  const url = `${issuer}/par`;
  const answer = await send(url, { method: 'POST', headers, body: form.toString() });
  const requestUri = (answer.body as { request_uri?: unknown } | undefined)?.request_uri;
  if (answer.status !== 201 || typeof requestUri !== 'string') throw new OAuthResponseError(url, answer.status, answer.body);
  return { client_id: options.clientId, request_uri: requestUri };
}

async function checkPassword(flow: Flow, options: SignInOptions, browser: CookieJar): Promise<Flow> {
  const url = flow._links?.['usernamePassword.check']?.href;
  if (url === undefined) throw new SignInError('the flow has no usernamePassword.check link', flow);
  const answer = await browser.send(url, {
    method: 'POST',
    headers: { 'content-type': USERNAME_PASSWORD_CHECK, accept: 'application/json' },
    body: JSON.stringify({ username: options.username, password: options.password }),
  });
  if (answer.status !== 200) throw new PingOneApiError('POST', url, answer.status, answer.body);
  const completed = answer.body as Flow;
  if (completed.status !== 'COMPLETED' || completed.resumeUrl === undefined) throw new SignInError('the flow did not complete', completed);
  return completed;
}

/** The authorization response (RFC 6749 §4.1.2), whose `state` and, per RFC 9207 §2.4, `iss` must be the request's. */
async function resume(flow: Flow, issuer: string, state: string, browser: CookieJar): Promise<string> {
  const url = flow.resumeUrl as string;
  const answer = await browser.send(url, { method: 'GET', headers: { accept: 'application/json' } });
  const response = (answer.body as { authorizeResponse?: Record<string, string> } | undefined)?.authorizeResponse;
  if (answer.status !== 200 || response === undefined) throw new OAuthResponseError(url, answer.status, answer.body);
  if (response.state !== state) throw new SignInError('the authorization response carries another state', response);
  if (response.iss !== undefined && response.iss !== issuer) throw new SignInError(`the authorization response comes from another issuer than ${issuer}`, response);
  if (typeof response.code !== 'string') throw new SignInError('the authorization response carries no code', response);
  return response.code;
}

function random(): string {
  return randomBytes(32).toString('base64url');
}

/** The cookies a browser would keep between the steps (the session cookie the check sets). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  async send(url: string, init: RequestInit & { headers: Record<string, string> }): Promise<HttpAnswer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const answer = await send(url, cookie === '' ? init : { ...init, headers: { ...init.headers, cookie } });
    for (const line of answer.headers.getSetCookie()) this.keep(line);
    return answer;
  }

  private keep(setCookie: string): void {
    const pair = setCookie.split(';')[0] ?? '';
    const at = pair.indexOf('=');
    if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}
