/**
 * Cross-origin access to the authorization server, in PingOne's two kinds (Fetch standard, CORS):
 *
 * - Token-bearing endpoints (discovery, JWKS, token, introspection, revocation, userinfo, PAR)
 *   read no cookie, so every origin may call them: `Access-Control-Allow-Origin: *` without
 *   credentials. A single-page application needs them to exchange its code (with PKCE) and call
 *   userinfo; a browser never sends cookies along nor shows a credentialed response.
 * - Session-cookie endpoints (authorize, resume, sign-off, the flow API) answer only the origins
 *   of the application's `corsSettings` (ALLOW_SPECIFIC_ORIGINS), with credentials, so that its
 *   own pages can run the redirectless `pi.flow`; any other origin gets no CORS header at all.
 *   The application is the request's `client_id`, or the flow's (flow API, resume).
 *
 * The management API and the hosted sign-on page answer no origin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { originAllowed } from '../protocol/sign-in/cors-origin.js';
import { findFlow } from '../protocol/sign-in/flows.js';
import { credentialedOrigin, rememberCredentialedOrigin } from './sign-in/credentialed-origin.js';
import type { SignInDeps } from './sign-in/deps.js';
import { contextOf, requestParams } from './sign-in/support.js';

/** The route patterns of the token-bearing endpoints and their methods. */
const OPEN_ROUTES: ReadonlyMap<string, string> = new Map([
  ['/:envId/as/.well-known/openid-configuration', 'GET'],
  ['/:envId/as/jwks', 'GET'],
  ['/:envId/as/userinfo', 'GET, POST'],
  ['/:envId/as/token', 'POST'],
  ['/:envId/as/introspect', 'POST'],
  ['/:envId/as/revoke', 'POST'],
  ['/:envId/as/par', 'POST'],
]);

/** The route patterns of the session-cookie endpoints and their methods. */
const SESSION_ROUTES: ReadonlyMap<string, string> = new Map([
  ['/:envId/as/authorize', 'GET, POST'],
  ['/:envId/as/resume', 'GET'],
  ['/:envId/as/signoff', 'GET, POST'],
  ['/:envId/flows/:flowId', 'GET, POST'],
]);

/** The request headers a browser may send beyond the CORS-safelisted ones. */
const OPEN_ALLOWED_HEADERS = 'Authorization, Content-Type';
/** The flow API's vendor media types make a POST non-simple; no Authorization there. */
const SESSION_ALLOWED_HEADERS = 'Content-Type';
/** Read by clients of userinfo and the client-authenticated endpoints on a 401 or 503. */
const EXPOSED_HEADERS = 'WWW-Authenticate, Retry-After';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

/**
 * Registers the preflight routes, and hooks that attach to the CORS routes only (through
 * `onRoute`, so call this before the routes are registered): no other request pays for them.
 */
export function corsRoutes(app: FastifyInstance, deps: SignInDeps): void {
  // Session requests: decided before the handler runs, because resume consumes the flow that
  // names the application (and the handler's cookie depends on it).
  const decideSessionOrigin = async (request: FastifyRequest): Promise<void> => {
    const origin = request.headers.origin;
    if (origin !== undefined && (await sessionOriginAllowed(deps, request, origin))) rememberCredentialedOrigin(request, origin);
  };
  const answerSession = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.headers.origin === undefined) return;
    // The answer depends on Origin: shared caches must not hand it to another one.
    reply.header('vary', 'Origin');
    const origin = credentialedOrigin(request);
    if (origin !== undefined) allowCredentialed(reply, origin);
  };
  // A callback hook, not an async one: the token endpoint's every response passes it, and most
  // carry no Origin.
  const answerOpen = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void => {
    if (request.headers.origin !== undefined) {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    }
    done(null, payload);
  };
  app.addHook('onRoute', (route) => {
    if (route.method === 'OPTIONS') return;
    if (OPEN_ROUTES.has(route.url)) route.onSend = [...asList(route.onSend), answerOpen];
    if (SESSION_ROUTES.has(route.url)) {
      route.preHandler = [...asList(route.preHandler), decideSessionOrigin];
      route.onSend = [...asList(route.onSend), answerSession];
    }
  });
  for (const [route, methods] of OPEN_ROUTES) {
    app.options(route, async (_request, reply) =>
      preflight(reply.header('access-control-allow-origin', '*'), methods, OPEN_ALLOWED_HEADERS),
    );
  }
  for (const [route, methods] of SESSION_ROUTES) {
    app.options(route, async (request, reply) => {
      const origin = request.headers.origin;
      reply.header('vary', 'Origin');
      if (origin === undefined || !(await sessionOriginAllowed(deps, request, origin))) return reply.code(204).send();
      allowCredentialed(reply, origin);
      return preflight(reply, methods, SESSION_ALLOWED_HEADERS);
    });
  }
}

/** A route option that takes one hook or several, as a list. */
function asList<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}

function preflight(reply: FastifyReply, methods: string, headers: string): FastifyReply {
  return reply
    .code(204)
    .header('access-control-allow-methods', methods)
    .header('access-control-allow-headers', headers)
    .header('access-control-max-age', PREFLIGHT_MAX_AGE)
    .send();
}

function allowCredentialed(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-allow-credentials', 'true');
}

/**
 * Whether the application this session request is about lists `origin` in its `corsSettings`.
 * Any failure to tell (unknown flow or client, unreadable parameters, store down) is a no.
 */
async function sessionOriginAllowed(deps: SignInDeps, request: FastifyRequest, origin: string): Promise<boolean> {
  try {
    const envId = (request.params as { envId?: unknown }).envId;
    if (typeof envId !== 'string') return false;
    const applicationId = await applicationOf(deps, request, envId);
    if (applicationId === undefined) return false;
    const settings = await deps.clients.settings(envId, applicationId);
    return settings !== undefined && originAllowed(origin, settings.corsOrigins);
  } catch {
    return false;
  }
}

/** The live flow's application (flow API, resume; an unknown flow throws), else the `client_id` parameter (authorize, sign-off). */
async function applicationOf(deps: SignInDeps, request: FastifyRequest, envId: string): Promise<string | undefined> {
  const flowId = (request.params as { flowId?: unknown }).flowId ?? (request.query as { flowId?: unknown } | undefined)?.flowId;
  if (typeof flowId === 'string') return (await findFlow(deps, contextOf(deps, envId), flowId)).applicationId;
  const clientId = request.method === 'OPTIONS' ? (request.query as { client_id?: unknown } | undefined)?.client_id : requestParams(request).get('client_id');
  return typeof clientId === 'string' ? clientId : undefined;
}
