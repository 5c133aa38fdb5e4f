/**
 * The hosted sign-on page. GET renders the form with a CSRF token (double submit: hidden field
 * plus a cookie scoped to the page's path, both compared with the flow's token in constant time);
 * POST checks the token and the password, sets the `ST` cookie and 303s to the resume URL.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidDataError, NotFoundError, RequestFailedError } from '../../domain/pingone-error.js';
import type { Flow } from '../../domain/sign-in/flow.js';
import { ServerError, TemporarilyUnavailable } from '../../protocol/errors.js';
import { FLOW_LIFETIME_SECONDS, checkUsernamePassword, findFlow, resumeUrl } from '../../protocol/sign-in/flows.js';
import type { SignInContext } from '../../protocol/sign-in/ports.js';
import { csrfMatches } from '../../protocol/sign-in/secrets.js';
import { errorPage, originOf } from '../../views/message-pages.js';
import { signOnPage } from '../../views/sign-on-page.js';
import { RETRY_AFTER_SECONDS, toOAuthError } from '../error-mapper.js';
import type { SignInDeps } from './deps.js';
import { CSRF_COOKIE, newNonce, readCookie, sendPage, setCookie, setSessionCookie } from './support.js';

const EXPIRED = 'This sign-on link has expired or was already used. Return to the application and start again.';
const BAD_CREDENTIALS = 'The username or password is incorrect, or the account is temporarily locked after too many attempts.';
const BAD_CSRF = 'The form expired. Please enter your username and password again.';

interface PageOptions {
  status?: number;
  error?: string;
  username?: string;
}

function flowIdOf(request: FastifyRequest): string | undefined {
  const flowId = (request.query as { flowId?: unknown } | undefined)?.flowId;
  return typeof flowId === 'string' ? flowId : undefined;
}

export async function signOnGet(deps: SignInDeps, ctx: SignInContext, request: FastifyRequest, reply: FastifyReply, opts: PageOptions = {}): Promise<FastifyReply> {
  const flowId = flowIdOf(request);
  let flow: Flow;
  try {
    flow = await findFlow(deps, ctx, flowId);
  } catch (err) {
    if (err instanceof NotFoundError) return sendPage(reply, errorPage(newNonce(), 404, 'invalid_request', EXPIRED));
    throw err;
  }
  if (flow.status === 'COMPLETED') return reply.code(303).header('Location', resumeUrl(ctx, flowId as string)).header('Cache-Control', 'no-store').send();
  return renderForm(deps, ctx, reply, flowId as string, flow, opts);
}

export async function signOnPost(deps: SignInDeps, ctx: SignInContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const flowId = flowIdOf(request);
  const form = formFields(request.body);
  let flow: Flow;
  try {
    flow = await findFlow(deps, ctx, flowId);
  } catch (err) {
    if (err instanceof NotFoundError) return sendPage(reply, errorPage(newNonce(), 404, 'invalid_request', EXPIRED));
    throw err;
  }
  const id = flowId as string;
  const username = form.get('username');
  if (!csrfMatches(flow.csrfToken, form.get('csrf_token'), readCookie(request, CSRF_COOKIE))) {
    return renderForm(deps, ctx, reply, id, flow, { status: 403, error: BAD_CSRF, ...(username === undefined ? {} : { username }) });
  }
  try {
    const signedIn = await checkUsernamePassword(deps, ctx, id, { username, password: form.get('password') });
    setSessionCookie(deps, request, reply, ctx.environmentId, signedIn.sessionCookie);
    return reply.code(303).header('Location', resumeUrl(ctx, id)).header('Cache-Control', 'no-store').send();
  } catch (err) {
    if (err instanceof NotFoundError) return sendPage(reply, errorPage(newNonce(), 404, 'invalid_request', EXPIRED));
    if (err instanceof RequestFailedError) return reply.code(303).header('Location', resumeUrl(ctx, id)).send();
    if (!(err instanceof InvalidDataError)) throw err;
    const incomplete = err.details.some((d) => d.message.includes('must be'));
    const message = incomplete ? 'Enter your username and password.' : BAD_CREDENTIALS;
    return renderForm(deps, ctx, reply, id, flow, { status: 400, error: message, ...(username === undefined ? {} : { username }) });
  }
}

/**
 * The page could not be served, answered with its HTML error view: 503 with `Retry-After` when
 * the store does not answer, 500 for anything unexpected (classified as the OAuth mapper does).
 */
export function onSignOnError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = toOAuthError(err);
  if (error instanceof TemporarilyUnavailable) void reply.header('Retry-After', RETRY_AFTER_SECONDS);
  else if (error instanceof ServerError) request.log.error({ err }, 'sign-on page error');
  return sendPage(reply, errorPage(newNonce(), error.status, error.error, error.description));
}

function renderForm(deps: SignInDeps, ctx: SignInContext, reply: FastifyReply, id: string, flow: Flow, opts: PageOptions): FastifyReply {
  const path = `/${ctx.environmentId}/signon/`;
  setCookie(deps, reply, CSRF_COOKIE, flow.csrfToken, path, FLOW_LIFETIME_SECONDS);
  const username = opts.username ?? flow.request.loginHint;
  const page = signOnPage({
    action: `${path}?flowId=${encodeURIComponent(id)}`,
    csrfToken: flow.csrfToken,
    nonce: newNonce(),
    redirectOrigin: originOf(flow.request.redirectUri),
    status: opts.status ?? 200,
    ...(username === undefined ? {} : { username }),
    ...(opts.error === undefined ? {} : { error: opts.error }),
  });
  return sendPage(reply, page);
}

/** The sign-on form's fields; repeats keep the first value (the page never sends any). */
function formFields(body: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!Array.isArray(body)) return fields;
  for (const pair of body as Array<[string, string]>) if (!fields.has(pair[0])) fields.set(pair[0], pair[1]);
  return fields;
}
