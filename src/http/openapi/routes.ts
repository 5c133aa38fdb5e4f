/**
 * `GET /keyway/openapi.json` and `GET /keyway/reference`: Keyway's own API description and its
 * reference page (README, "Keyway's API description"). Under `/keyway`, a path PingOne's API
 * does not use and no environment id (a UUID) can take.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiReferencePage } from '../../views/api-reference.js';
import { PINGONE_OPERATIONS } from '../management/pingone-operations.js';
import { openApiDocument, operationsOf, type KeywayDescribedOperation } from './document.js';
import { OUTSIDE_V1 } from './outside-v1.js';
import { servedPingOneOperations } from './served.js';

export const OPENAPI_PATH = '/keyway/openapi.json';
export const REFERENCE_PATH = '/keyway/reference';

const TITLE = 'Keyway API reference';

const normalized = (template: string): string => template.replace(/\{[^}]+\}|:[^/]+/g, '{}');
const openApiPath = (route: string): string => route.replace(/:([^/]+)/g, '{$1}');

/** A route outside `/v1`, described from ./outside-v1.ts; a route without an entry stops the start. */
function outsideV1(route: { method: string; url: string }): KeywayDescribedOperation {
  const entry = OUTSIDE_V1[`${route.method} ${route.url}`];
  if (!entry) throw new Error(`${route.method} ${route.url} has no entry in src/http/openapi/outside-v1.ts, so the API description would leave it out`);
  return { method: route.method, path: openApiPath(route.url), ...entry };
}

/**
 * Starts collecting the routes; the returned function, called once every route is registered and
 * before the 405 routes, serves the description of what was registered: under `/v1` PingOne's
 * operations and Keyway's extensions, outside it every route from ./outside-v1.ts (this
 * document's own two included). HEAD (answered with GET) and the CORS preflight OPTIONS are no
 * operations of their own.
 */
export function apiDescription(app: FastifyInstance): () => void {
  const routes: Array<{ method: string; url: string }> = [];
  let described = false;
  app.addHook('onRoute', (route) => {
    if (described) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url });
  });
  return () => {
    described = true;
    const underV1 = (url: string): boolean => url.startsWith('/v1/') || url === '/v1';
    const pingOne = new Set(PINGONE_OPERATIONS.map(([method, path]) => `${method} ${normalized(path)}`));
    const extensions: KeywayDescribedOperation[] = routes
      .filter((r) => underV1(r.url) && !pingOne.has(`${r.method} ${normalized(r.url)}`))
      .map((r) => ({
        method: r.method,
        path: openApiPath(r.url),
        summary: "Keyway extension to PingOne's management API (README, \"Keyway extensions to PingOne's API\").",
        ok: 'See the README.',
        tag: 'Keyway',
      }));
    const self = [
      { method: 'GET', url: OPENAPI_PATH },
      { method: 'GET', url: REFERENCE_PATH },
    ];
    const outside = [...routes.filter((r) => !underV1(r.url)), ...self].map(outsideV1);
    const document = openApiDocument(servedPingOneOperations(app), [...outside, ...extensions]);
    const body = JSON.stringify(document);
    const rows = operationsOf(document);
    app.get(OPENAPI_PATH, async (_request, reply) => reply.header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', 'no-cache').send(body));
    app.get(REFERENCE_PATH, async (_request, reply) => {
      const nonce = randomBytes(16).toString('base64');
      return reply
        .header('Content-Type', 'text/html; charset=utf-8')
        .header('Content-Security-Policy', `default-src 'none'; style-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`)
        .header('Cache-Control', 'no-cache')
        .send(apiReferencePage(nonce, TITLE, OPENAPI_PATH, rows));
    });
  };
}
