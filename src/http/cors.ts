/**
 * Cross-origin access to the authorization server's token-bearing endpoints (discovery, JWKS,
 * token, introspection, revocation, userinfo, PAR). PingOne lets every origin call these: they
 * read no cookie, so a page of another origin gains nothing it could not do from a server, and a
 * single-page application needs them to exchange its code (with PKCE) and to call userinfo.
 *
 * The answer is `Access-Control-Allow-Origin: *` without credentials, so a browser never sends
 * cookies along and never exposes a response to a credentialed request. The session-cookie
 * endpoints (authorize, resume, sign-off, flows, the sign-on page) get no CORS headers at all:
 * a cross-origin page can navigate to them but never read what they answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The route patterns of the token-bearing endpoints, as registered in oauth/ and sign-in/. */
const OPEN_ROUTES: ReadonlyMap<string, string> = new Map([
  ['/:envId/as/.well-known/openid-configuration', 'GET'],
  ['/:envId/as/jwks', 'GET'],
  ['/:envId/as/userinfo', 'GET, POST'],
  ['/:envId/as/token', 'POST'],
  ['/:envId/as/introspect', 'POST'],
  ['/:envId/as/revoke', 'POST'],
  ['/:envId/as/par', 'POST'],
]);

/** The request headers a browser may send (beyond the CORS-safelisted ones): credentials and the form's type. */
const ALLOWED_HEADERS = 'Authorization, Content-Type';
/** Read by clients of userinfo and the client-authenticated endpoints on a 401 or 503. */
const EXPOSED_HEADERS = 'WWW-Authenticate, Retry-After';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

export function corsRoutes(app: FastifyInstance): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers.origin === undefined || request.method === 'OPTIONS') return;
    if (!OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
  });
  for (const [route, methods] of OPEN_ROUTES) {
    app.options(route, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', methods)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', PREFLIGHT_MAX_AGE)
        .send(),
    );
  }
}
