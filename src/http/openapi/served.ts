/**
 * Which of PingOne's operations this server serves: those whose method and path template a
 * registered route answers (route parameter names aside). Read before the 405 routes are added,
 * which answer every other method of a known path and would otherwise count as served.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { PINGONE_OPERATIONS } from '../management/pingone-operations.js';

export interface ServedOperation {
  method: string;
  /** PingOne's template under /v1, with `{param}` segments. */
  path: string;
  operationId: string;
}

/** `/v1/environments/{environmentID}` → `/v1/environments/:environmentID` (Fastify's syntax). */
export const routeTemplate = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

export function servedPingOneOperations(app: FastifyInstance): ServedOperation[] {
  return PINGONE_OPERATIONS.filter(([method, path]) => app.hasRoute({ method: method as HTTPMethods, url: routeTemplate(path) })).map(
    ([method, path, operationId]) => ({ method, path, operationId }),
  );
}
