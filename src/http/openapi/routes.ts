/**
 * `GET /keyway/openapi.json` and `GET /keyway/reference`: Keyway's own API description and its
 * reference page (README, "Keyway's API description"). Under `/keyway`, a path PingOne's API
 * does not use and no environment id (a UUID) can take.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiReferencePage } from '../../views/api-reference.js';
import { PINGONE_OPERATIONS } from '../management/pingone-operations.js';
import { openApiDocument, operationsOf, type ExtensionOperation } from './document.js';
import { servedPingOneOperations } from './served.js';

export const OPENAPI_PATH = '/keyway/openapi.json';
export const REFERENCE_PATH = '/keyway/reference';

const TITLE = 'Keyway API reference';

/** Keyway's operations outside /v1, always served. */
const OWN: readonly ExtensionOperation[] = [
  { method: 'GET', path: '/health/live', summary: 'Liveness: the process serves requests.', ok: '{"status":"ok"}', tag: 'Keyway' },
  { method: 'GET', path: '/health/ready', summary: 'Readiness: the store answers; on PostgreSQL the change feed listens. 503 otherwise.', ok: '{"status":"ok","checks":{…}}', tag: 'Keyway' },
  { method: 'GET', path: '/healthz', summary: 'Readiness, under its earlier name.', ok: '{"status":"ok","checks":{…}}', tag: 'Keyway' },
  { method: 'GET', path: OPENAPI_PATH, summary: 'This description (OpenAPI 3).', ok: 'The OpenAPI document.', tag: 'Keyway' },
  { method: 'GET', path: REFERENCE_PATH, summary: 'The reference page generated from this description.', ok: 'HTML.', tag: 'Keyway' },
];
const METRICS: ExtensionOperation = { method: 'GET', path: '/metrics', summary: 'Prometheus metrics (text format 0.0.4).', ok: 'The metrics.', tag: 'Keyway' };

const normalized = (template: string): string => template.replace(/\{[^}]+\}|:[^/]+/g, '{}');

/**
 * Starts collecting the management routes; the returned function, called once every route is
 * registered and before the 405 routes, serves the description of what was registered.
 */
export function apiDescription(app: FastifyInstance, options: { metricsHere: boolean }): () => void {
  const management: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/') && route.url !== '/v1') return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') management.push({ method, url: route.url });
  });
  return () => {
    const pingOne = new Set(PINGONE_OPERATIONS.map(([method, path]) => `${method} ${normalized(path)}`));
    const extensions: ExtensionOperation[] = management
      .filter((r) => !pingOne.has(`${r.method} ${normalized(r.url)}`))
      .map((r) => ({
        method: r.method,
        path: r.url.replace(/:([^/]+)/g, '{$1}'),
        summary: "Keyway extension to PingOne's management API (README, \"Keyway extensions to PingOne's API\").",
        ok: 'See the README.',
        tag: 'Keyway',
      }));
    const document = openApiDocument(servedPingOneOperations(app), [...OWN, ...(options.metricsHere ? [METRICS] : []), ...extensions]);
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
