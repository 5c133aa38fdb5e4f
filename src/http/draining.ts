/**
 * Connections during shutdown. Closing the server stops accepting connections and closes the idle
 * ones, but a keep-alive connection whose request is still in flight becomes idle only after its
 * response, and would then wait out the keep-alive timeout (72 s) before the process can exit. So
 * every response written once closing has begun says `Connection: close` (RFC 9112 §9.6), and
 * Node closes its connection as soon as it is written. Requests that arrive on such a connection
 * meanwhile get Fastify's 503 (`return503OnClosing`).
 */
import type { FastifyInstance } from 'fastify';

export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  // A callback hook, not an async one: it runs for every response, the token endpoint's included.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}
