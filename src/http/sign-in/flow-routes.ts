/**
 * PingOne's flow API (`/{envId}/flows/{flowId}`, JSON) and the hosted sign-on page
 * (`/{envId}/signon/?flowId=`, HTML form) over the same protocol steps.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newId } from '../../domain/ids.js';
import { FlowApiError } from '../../protocol/sign-in/errors.js';
import { USERNAME_PASSWORD_CHECK, checkUsernamePassword, findFlow, flowView } from '../../protocol/sign-in/flows.js';
import type { SignInDeps } from './deps.js';
import { signOnGet, signOnPost } from './sign-on.js';
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
    setSessionCookie(deps, reply, env.id, signedIn.sessionCookie);
    return reply.header('Cache-Control', 'no-store').send(signedIn.body);
  });

  app.get('/:envId/signon/', async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    return signOnGet(deps, contextOf(deps, env.id), request, reply);
  });
  app.post('/:envId/signon/', { errorHandler: (_e, req, reply) => signOnBadForm(deps, req, reply) }, async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    return signOnPost(deps, contextOf(deps, env.id), request, reply);
  });
}

const unsupportedMediaType = (): FlowApiError =>
  // PingOne answers unsupported media types with 415 and code INVALID_REQUEST.
  new FlowApiError(415, 'INVALID_REQUEST', `The request Content-Type is not supported. Use ${USERNAME_PASSWORD_CHECK}.`);

/** PingOne's error shape; anything unexpected is a generic 500. */
function onFlowError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let mapped: FlowApiError;
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof FlowApiError) mapped = err;
  else if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') mapped = unsupportedMediaType();
  else if ((err as { statusCode?: unknown } | null)?.statusCode === 400 || code === 'INVALID_REQUEST') {
    mapped = new FlowApiError(400, 'INVALID_REQUEST', 'The request body is not valid JSON.');
  } else {
    request.log.error({ err }, 'flow API error');
    mapped = new FlowApiError(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.');
  }
  const body: Record<string, unknown> = { id: newId(), code: mapped.code, message: mapped.message };
  if (mapped.details.length > 0) body.details = mapped.details;
  return reply.code(mapped.status).header('Cache-Control', 'no-store').send(body);
}

/** A sign-on POST that is not a form (or too large): answered with the page's error view. */
async function signOnBadForm(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const env = await environmentOr404(deps, request, reply);
  if (!env) return reply;
  return signOnGet(deps, contextOf(deps, env.id), request, reply, { status: 400, error: 'The form could not be read. Please try again.' });
}
