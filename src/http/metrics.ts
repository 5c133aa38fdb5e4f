/**
 * Request metrics and the `/metrics` exposition (README, "Health and metrics"). Durations are
 * labelled by the route template Fastify matched (`/:envId/as/token`), never the path itself,
 * so environment, application and user ids do not become label values; unmatched paths share
 * one label. The children of each label combination are resolved once and kept, so a request
 * costs one clock read (Fastify's) and one observation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../adapters/metrics/metrics.js';

type Child = ReturnType<Metrics['httpDuration']['labels']>;

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
const UNMATCHED = 'unmatched';

/** Observes every response's duration; with `serve`, also answers `GET /metrics` on this server. */
export function requestMetrics(app: FastifyInstance, metrics: Metrics, serve: boolean): void {
  const children = new Map<string, Map<string, Child[]>>();
  const childFor = (method: string, route: string, status: number): Child => {
    let byMethod = children.get(route);
    if (!byMethod) children.set(route, (byMethod = new Map()));
    let byClass = byMethod.get(method);
    if (!byClass) byMethod.set(method, (byClass = STATUS_CLASSES.map((c) => metrics.httpDuration.labels(method, route, c))));
    const index = Math.min(Math.max(Math.floor(status / 100) - 1, 0), 4);
    return byClass[index] as Child;
  };
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // An unknown method is not a label value either.
    const route = request.routeOptions.url ?? UNMATCHED;
    const method = route === UNMATCHED && !KNOWN_METHODS.has(request.method) ? 'OTHER' : request.method;
    childFor(method, route, reply.statusCode).observe(reply.elapsedTime / 1000);
    done();
  });
  if (serve) app.get('/metrics', async (_request, reply) => metricsReply(metrics, reply));
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export async function metricsReply(metrics: Metrics, reply: FastifyReply): Promise<FastifyReply> {
  const text = await metrics.text();
  return reply.header('Content-Type', metrics.contentType).header('Cache-Control', 'no-store').send(text);
}
