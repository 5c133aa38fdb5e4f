/**
 * PingOne's flow API (`/{envId}/flows/{flowId}`, JSON) and the hosted sign-on page
 * (`/{envId}/signon/?flowId=`, HTML form) over the same protocol steps.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../../domain/pingone-error.js';
import { TemporarilyUnavailable } from '../../protocol/errors.js';
import { USERNAME_PASSWORD_CHECK, checkUsernamePassword, findFlow, flowView } from '../../protocol/sign-in/flows.js';
import { managementFastifyErrors, sendPingOneError, toOAuthError, type FastifyErrorWording } from '../error-mapper.js';
import type { SignInDeps } from './deps.js';
import { onSignOnError, signOnGet, signOnPost } from './sign-on.js';
import { contextOf, environmentOr404, setSessionCookie } from './support.js';

export function flowRoutes(app: FastifyInstance, deps: SignInDeps): void {
  app.get('/:envId/flows/:flowId', { errorHandler: onFlowError }, async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const ctx = contextOf(deps, env.id);
    const { flowId } = request.params as { flowId: string };
    const flow = await findFlow(deps, ctx, flowId);
    return reply.header('Cache-Control', 'no-store').send(flowView(ctx, flowId, flow));
  });

  app.post('/:envId/flows/:flowId', { errorHandler: onFlowError }, async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== USERNAME_PASSWORD_CHECK.toLowerCase()) throw unsupportedMediaType();
    const ctx = contextOf(deps, env.id);
    const { flowId } = request.params as { flowId: string };
    const signedIn = await checkUsernamePassword(deps, ctx, flowId, request.body);
    setSessionCookie(deps, request, reply, env.id, signedIn.sessionCookie);
    return reply.header('Cache-Control', 'no-store').send(signedIn.body);
  });

  app.get('/:envId/signon/', { errorHandler: onSignOnError }, async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    return signOnGet(deps, contextOf(deps, env.id), request, reply);
  });
  app.post('/:envId/signon/', { errorHandler: (err, req, reply) => onSignOnPostError(deps, err, req, reply) }, async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    return signOnPost(deps, contextOf(deps, env.id), request, reply);
  });
}

const unsupportedMediaType = (): UnsupportedMediaTypeError =>
  // PingOne answers unsupported media types with 415 and code INVALID_REQUEST.
  new UnsupportedMediaTypeError(`The request Content-Type is not supported. Use ${USERNAME_PASSWORD_CHECK}.`);

/**
 * The flow API's wording of Fastify's own errors: the management API's (a body over the limit is
 * 413, a malformed one 400), naming the one media type this API takes.
 */
const flowFastifyErrors: FastifyErrorWording = (err) => {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType();
  return managementFastifyErrors(err);
};

/** PingOne's error shape, through the same mapper as the management API. */
function onFlowError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendPingOneError(request, reply, err, flowFastifyErrors);
}

/**
 * A failed sign-on POST. A store outage, or a failure while showing the form again, gets the
 * page's 503 or 500 view; anything else (a body that is not a form, or too large) shows the form
 * again with an error.
 */
async function onSignOnPostError(deps: SignInDeps, err: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (toOAuthError(err) instanceof TemporarilyUnavailable) return onSignOnError(err, request, reply);
  try {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    return await signOnGet(deps, contextOf(deps, env.id), request, reply, { status: 400, error: 'The form could not be read. Please try again.' });
  } catch (again) {
    return onSignOnError(again, request, reply);
  }
}
