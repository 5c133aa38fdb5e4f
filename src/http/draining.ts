/**
 * Connections during shutdown. Closing the server stops accepting connections and closes the idle
 * ones, but a keep-alive connection whose request is still in flight becomes idle only after its
 * response, and would then wait out the keep-alive timeout (72 s) before the process can exit. So
 * every response written once closing has begun says `Connection: close` (RFC 9112 §9.6), and
 * Node closes its connection as soon as it is written. A request that arrives meanwhile (one whose
 * connection was already open and busy) is refused with `ServerClosing`, which each API's error
 * mapper answers as its own 503 with `Retry-After`, as for a database that does not answer.
 */
import type { FastifyInstance } from 'fastify';

/** The server is shutting down: the request arrived too late to be served. */
export class ServerClosing extends Error {
  constructor() {
    super('the server is shutting down');
    this.name = 'ServerClosing';
  }
}

/** Registered before every other hook, so a refused request reaches no handler and no store. */
export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  app.addHook('onRequest', (_request, _reply, done) => {
    done(draining ? new ServerClosing() : undefined);
  });
  // A callback hook, not an async one: it runs for every response, the token endpoint's included.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}
