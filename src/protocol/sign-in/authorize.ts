/**
 * The authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2) as named steps: resolve the
 * client, take the pushed request if any (RFC 9126 §4), trust the redirect URI, validate the
 * rest, then answer from the session or start a sign-in flow.
 */
import { InvalidRequest, OAuthError, ServerError } from '../errors.js';
import type { Params } from '../params.js';
import { bounded, loadClient, trustRedirect, validateRequest, type SignInClient } from './authorize-request.js';
import { InvalidRequestUri, LoginRequired } from './errors.js';
import { flowView, signOnUrl, startFlow } from './flows.js';
import type { SignInContext, SignInPorts } from './ports.js';
import { codeResponse, errorResponse, type ModeResponse, type ResponseTarget } from './response-mode.js';
import { hashSecret, looksLikeSecret } from './secrets.js';
import { currentSession, issueCode, sessionSatisfies } from './sessions.js';

export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

export type AuthorizeResult =
  /** The redirect URI is not trusted (yet): show the error, redirect nowhere (RFC 6749 §4.1.2.1). */
  | { kind: 'error_page'; error: OAuthError }
  | { kind: 'respond'; response: ModeResponse };

export interface AuthorizeInput {
  params: Params;
  /** Value of the `ST` cookie, if the browser sent one. */
  sessionCookie: string | undefined;
}

export async function authorize(ports: SignInPorts, ctx: SignInContext, input: AuthorizeInput): Promise<AuthorizeResult> {
  let client: SignInClient;
  let params: Params;
  let target: ResponseTarget;
  let fromPar: boolean;
  try {
    client = await loadClient(ports, ctx.environmentId, bounded(input.params, 'client_id'));
    ({ params, fromPar } = await pushedOrDirect(ports, ctx, client, input.params));
    target = trustRedirect(client, params);
  } catch (err) {
    return { kind: 'error_page', error: asOAuthError(err) };
  }
  try {
    if (client.settings.parRequirement === 'REQUIRED' && !fromPar) {
      throw new InvalidRequest('the client must use pushed authorization requests');
    }
    const request = validateRequest(client, target, params);
    const session = await currentSession(ports, ctx, input.sessionCookie);
    if (session && sessionSatisfies(session, request, ctx.now)) {
      const code = await issueCode(ports, ctx, request, session);
      return { kind: 'respond', response: codeResponse(target, ctx.issuer, code) };
    }
    if (request.prompt === 'none') throw new LoginRequired('the user must sign in');
    const { id, flow } = await startFlow(ports, ctx, request);
    if (request.responseMode === 'pi.flow') {
      return { kind: 'respond', response: { kind: 'json', status: 200, body: flowView(ctx, id, flow) } };
    }
    return { kind: 'respond', response: { kind: 'redirect', location: signOnUrl(ctx, id) } };
  } catch (err) {
    const error = asOAuthError(err);
    if (error instanceof ServerError) throw err;
    return { kind: 'respond', response: errorResponse(target, ctx.issuer, error) };
  }
}

/**
 * RFC 9126 §4: with `request_uri` the pushed parameters are the request; only `client_id` is
 * also sent, and it must name the client that pushed them. Single use.
 */
async function pushedOrDirect(ports: SignInPorts, ctx: SignInContext, client: SignInClient, params: Params): Promise<{ params: Params; fromPar: boolean }> {
  const requestUri = bounded(params, 'request_uri');
  if (requestUri === undefined) return { params, fromPar: false };
  const id = requestUri.startsWith(REQUEST_URI_PREFIX) ? requestUri.slice(REQUEST_URI_PREFIX.length) : undefined;
  if (!looksLikeSecret(id)) throw new InvalidRequestUri('request_uri is not valid');
  const pushed = await ports.pars.consume(ctx.environmentId, hashSecret(id), ctx.now);
  if (!pushed || pushed.applicationId !== client.profile.client.id) {
    throw new InvalidRequestUri('request_uri is unknown, expired, already used or belongs to another client');
  }
  return { params: new Map(Object.entries(pushed.params)), fromPar: true };
}

function asOAuthError(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  throw err;
}
