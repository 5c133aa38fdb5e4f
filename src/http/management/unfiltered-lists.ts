/**
 * Every management list that does not filter refuses `filter` with INVALID_FILTER instead of
 * ignoring it (a caller that takes the first hit of an ignored filter gets the wrong record).
 * The lists below check `filter` themselves against their collection's rules
 * (../../management/filter/spec.ts); every other collection read registered after this hook
 * gets the refusal, so a list added later cannot silently ignore a filter.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { actorOf, refuseFilter } from './support.js';

const FILTERED_LISTS = new Set([
  '/v1/organizations',
  '/v1/organizations/:orgId/licenses',
  '/v1/environments',
  '/v1/environments/:envId/populations',
  '/v1/environments/:envId/users',
  '/v1/environments/:envId/groups',
]);

/** A GET whose path ends in a literal segment: a collection, not one resource by id. */
function collectionName(route: RouteOptions): string | undefined {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (!methods.includes('GET') || !route.url.startsWith('/v1/')) return undefined;
  const last = route.url.split('/').at(-1);
  return last === undefined || last.startsWith(':') ? undefined : last;
}

export function refuseFilterOnUnfilteredLists(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const collection = collectionName(route);
    if (collection === undefined || FILTERED_LISTS.has(route.url)) return;
    const refuse = async (request: FastifyRequest): Promise<void> => {
      actorOf(request);
      refuseFilter(request, collection);
    };
    const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [refuse, ...existing];
  });
}
