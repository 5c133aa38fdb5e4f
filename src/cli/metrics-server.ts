/**
 * `/metrics` on a port of its own (KEYWAY_METRICS_PORT), plain HTTP on the main host, so that the
 * scrape endpoint can be kept off the public listener. It answers nothing else.
 */
import { createServer, type Server } from 'node:http';
import type { Metrics } from '../adapters/metrics/metrics.js';
import { requestTimeouts } from '../http/server.js';

/** Serves `/metrics` on `host:port`; a scrape request must arrive whole within `requestTimeoutMs`, as on the main port. */
export async function startMetricsServer(metrics: Metrics, host: string, port: number, requestTimeoutMs: number): Promise<Server> {
  const server = createServer({ requestTimeout: requestTimeoutMs, ...requestTimeouts(requestTimeoutMs) }, (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end();
      return;
    }
    metrics.text().then(
      (text) => response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text),
      () => response.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** Closes the metrics server; scrapes in progress are cut (they hold no state). */
export function stopMetricsServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
