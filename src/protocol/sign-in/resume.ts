/**
 * `GET /{envId}/as/resume?flowId=`: finishes a completed flow with an authorization code
 * (RFC 6749 §4.1.2) in the request's response mode. The flow is consumed (single use) and, when
 * the browser presents an `ST` cookie, must belong to that session.
 */
import { NotFoundError } from '../../domain/pingone-error.js';
import { InvalidRequest } from '../errors.js';
import { loadClient } from './authorize-request.js';
import type { AuthorizeResult } from './authorize.js';
import { LoginRequired } from './errors.js';
import { findFlow, signOnUrl } from './flows.js';
import type { SignInContext, SignInPorts } from './ports.js';
import { codeResponse, errorResponse, type ResponseTarget } from './response-mode.js';
import { hashSecret, looksLikeSecret, safeEqual } from './secrets.js';
import { issueCode } from './sessions.js';

export async function resume(ports: SignInPorts, ctx: SignInContext, flowId: string | undefined, sessionCookie: string | undefined): Promise<AuthorizeResult> {
  let flow;
  try {
    flow = await findFlow(ports, ctx, flowId);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    return { kind: 'error_page', error: new InvalidRequest('the sign-in flow was not found, has expired or was already used') };
  }
  const id = flowId as string;
  const { request } = flow;
  if (flow.status !== 'COMPLETED' || flow.sessionId === undefined) {
    if (request.responseMode !== 'pi.flow') return { kind: 'respond', response: { kind: 'redirect', location: signOnUrl(ctx, id) } };
    return { kind: 'error_page', error: new InvalidRequest('the sign-in flow is not completed') };
  }
  if (sessionCookie !== undefined && !(looksLikeSecret(sessionCookie) && safeEqual(hashSecret(sessionCookie), flow.sessionId))) {
    return { kind: 'error_page', error: new InvalidRequest('the sign-in flow belongs to another browser session') };
  }
  if (!(await ports.flows.consume(ctx.environmentId, flow.id))) {
    return { kind: 'error_page', error: new InvalidRequest('the sign-in flow was already used') };
  }
  try {
    await loadClient(ports, ctx.environmentId, request.clientId);
  } catch (err) {
    if (!(err instanceof InvalidRequest)) throw err;
    return { kind: 'error_page', error: new InvalidRequest('unknown or disabled client') };
  }
  const target: ResponseTarget = { redirectUri: request.redirectUri, responseMode: request.responseMode };
  if (request.state !== undefined) target.state = request.state;
  const session = await ports.sessions.get(ctx.environmentId, flow.sessionId, ctx.now);
  if (!session) return { kind: 'respond', response: errorResponse(target, ctx.issuer, new LoginRequired('the session has ended')) };
  const code = await issueCode(ports, ctx, request, session);
  return { kind: 'respond', response: codeResponse(target, ctx.issuer, code, request.responseMode === 'pi.flow' ? id : undefined) };
}
