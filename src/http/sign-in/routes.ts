/**
 * The sign-in routes: `/{envId}/as/authorize`, `/as/resume`, `/as/par`, `/as/signoff`, plus
 * PingOne's flow API and the hosted sign-on page (./flow-routes.ts). Parse, call the protocol,
 * render; every rule lives in src/protocol/sign-in/.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientAssertionPolicyOf } from '../../domain/client-auth/assertion-policy.js';
import { OAuthError, RequestBodyTooLarge, TemporarilyUnavailable } from '../../protocol/errors.js';
import { authorize, type AuthorizeResult } from '../../protocol/sign-in/authorize.js';
import { pushAuthorizationRequest } from '../../protocol/sign-in/par.js';
import { resume } from '../../protocol/sign-in/resume.js';
import { signoff } from '../../protocol/sign-in/signoff.js';
import { errorPage, signedOutPage } from '../../views/message-pages.js';
import { RETRY_AFTER_SECONDS, sendOAuthError, toOAuthError } from '../error-mapper.js';
import { noteForLog } from '../request-log.js';
import type { SignInDeps } from './deps.js';
import { flowRoutes } from './flow-routes.js';
import {
  SESSION_COOKIE, contextOf, environmentOr404, formParams, newNonce, readCookie, requestParams, sendModeResponse, sendPage, sessionCookieSameSite, setCookie,
} from './support.js';

export function signInRoutes(app: FastifyInstance, deps: SignInDeps): void {
  const authorizeHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const params = requestParams(request);
    const ctx = contextOf(deps, env.id);
    const result = await authorize(deps, ctx, { params, sessionCookie: readCookie(request, SESSION_COOKIE) });
    return sendResult(request, reply, result, params.get('response_mode') === 'pi.flow');
  };
  const onAuthorizeError = (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const error = toOAuthError(err);
    if (error.status >= 500) request.log.error({ err }, 'sign-in error');
    return sendError(request, reply, error, false);
  };
  app.get('/:envId/as/authorize', { errorHandler: onAuthorizeError }, authorizeHandler);
  app.post('/:envId/as/authorize', { errorHandler: onAuthorizeError }, authorizeHandler);

  app.get('/:envId/as/resume', { errorHandler: onAuthorizeError }, async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const flowId = (request.query as { flowId?: unknown }).flowId;
    const ctx = contextOf(deps, env.id);
    const result = await resume(deps, ctx, typeof flowId === 'string' ? flowId : undefined, readCookie(request, SESSION_COOKIE));
    return sendResult(request, reply, result, false);
  });

  app.post('/:envId/as/par', async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    try {
      const issuer = deps.issuer(env.id);
      const response = await pushAuthorizationRequest(deps, deps.clientAuth ?? {}, {
        environmentId: env.id,
        authorization: request.headers.authorization,
        params: formParams(request),
        now: deps.now(),
        endpoint: { issuer, tokenEndpoint: `${issuer}/token`, endpointUrl: `${issuer}/par` },
        settings: clientAssertionPolicyOf(env.settings),
        attempts: deps.clientAuthAttempts?.(env.id, request.ip),
      });
      return reply.code(201).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response);
    } catch (err) {
      const usedAuthorizationHeader = request.headers.authorization !== undefined;
      return sendOAuthError(request, reply, err, { usedAuthorizationHeader, detailed: env.settings.detailedErrors === true });
    }
  });

  const signoffHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const ctx = contextOf(deps, env.id);
    const result = await signoff(deps, ctx, requestParams(request), readCookie(request, SESSION_COOKIE));
    // A refused sign-off leaves the session, so its cookie stays too. The expired cookie carries the
    // attributes of the one it replaces, or a cross-site answer could not remove it.
    if (result.kind !== 'refused') setCookie(deps, reply, SESSION_COOKIE, '', `/${env.id}/`, 0, sessionCookieSameSite(deps, request));
    switch (result.kind) {
      case 'redirect':
        return sendModeResponse(reply, { kind: 'redirect', location: result.location });
      case 'signed_out':
        return sendPage(reply, signedOutPage(newNonce()));
      case 'error_page':
      case 'refused':
        return sendError(request, reply, result.error, false);
    }
  };
  app.get('/:envId/as/signoff', { errorHandler: onAuthorizeError }, signoffHandler);
  app.post('/:envId/as/signoff', { errorHandler: onAuthorizeError }, signoffHandler);

  flowRoutes(app, deps);
}

function sendResult(request: FastifyRequest, reply: FastifyReply, result: AuthorizeResult, json: boolean): FastifyReply {
  if (result.kind === 'respond') return sendModeResponse(reply, result.response);
  return sendError(request, reply, result.error, json);
}

/** The redirect URI is not trusted: an HTML page, or JSON for pi.flow and JSON-only callers. */
function sendError(request: FastifyRequest, reply: FastifyReply, error: OAuthError, json: boolean): FastifyReply {
  noteForLog(request, { error: error.error, detail: error.detail });
  // A body over the limit keeps its 413 (RFC 9110 §15.5.14); other refusals of an untrusted
  // request are a plain 400 page, whatever status the error would have at another endpoint.
  const status = error.status >= 500 || error instanceof RequestBodyTooLarge ? error.status : 400;
  if (error instanceof TemporarilyUnavailable) void reply.header('Retry-After', RETRY_AFTER_SECONDS);
  const accept = request.headers.accept ?? '';
  if (json || (accept.includes('application/json') && !accept.includes('text/html'))) {
    return reply.code(status).header('Cache-Control', 'no-store').send({ error: error.error, error_description: error.description });
  }
  return sendPage(reply, errorPage(newNonce(), status, error.error, error.description));
}
