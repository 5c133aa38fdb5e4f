/**
 * 405 Method Not Allowed for the paths Keyway serves (RFC 9110 §15.5.6): a request whose path
 * names a route but whose method that route does not take is answered 405 with an `Allow`
 * header listing the methods it does take, instead of the 404 of an unknown path. A client that
 * sends `GET` to the token endpoint thus learns its mistake.
 *
 * Every route registered after `collectRoutes` is remembered (through `onRoute`); `register`,
 * called once all routes exist, adds one route per path for the methods it lacks. The router
 * keeps matching in one step, so a request pays nothing for this.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

/** The methods answered with 405 where a path lacks them; any other method stays a 404. */
const METHODS: readonly HTTPMethods[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** Writes the 405 body of the path's API; `Allow` is already set on the reply. */
export type MethodNotAllowedAnswer = (request: FastifyRequest, reply: FastifyReply, route: string) => FastifyReply;

/** Starts remembering route paths; the returned function registers their 405 routes. */
export function collectRoutes(app: FastifyInstance, answer: MethodNotAllowedAnswer): () => void {
  const paths = new Set<string>();
  app.addHook('onRoute', (route) => void paths.add(route.url));
  return () => {
    for (const path of [...paths]) {
      const allowed = METHODS.filter((method) => app.hasRoute({ method, url: path }));
      const missing = METHODS.filter((method) => !allowed.includes(method));
      if (allowed.length === 0 || missing.length === 0) continue;
      const allow = allowed.join(', ');
      app.route({ method: [...missing], url: path, handler: async (request, reply) => answer(request, reply.header('Allow', allow), path) });
    }
  };
}
