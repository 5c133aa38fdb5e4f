/**
 * The rest of a body the server answered without reading: a 413 on the declared length, a 415, a
 * 401 before parsing. Fastify closes the connection after a parser error, but closing a socket
 * that still has unread bytes makes the kernel send a TCP reset, which can destroy the response
 * before the client read it (RFC 9112 §9.6): a client uploading a large body without
 * `Expect: 100-continue` then sees "connection reset" instead of the 413.
 *
 * So the connection is kept and the rest of the body is read and thrown away, as Node does for an
 * unread body, up to a bound. A body larger than that, or one still arriving after a while, ends
 * with the staged close RFC 9112 §9.6 describes: a half-close after the response (the client sees
 * the end of the stream, not a reset, and has the response), reading on for a short linger, then
 * the full close.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** Most bytes of an unwanted body read and discarded to keep the connection. */
export const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;
/** Longest time spent discarding one body. */
const MAX_DISCARD_MS = 30_000;
/** How long a half-closed connection is still read before it is closed (RFC 9112 §9.6). */
const LINGER_MS = 2_000;

export function discardUnreadBodies(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs for every response, the token endpoint's included.
  app.addHook('onSend', (request, reply, payload, done) => {
    // `complete` is false while the request's body is still arriving; Fastify's `inject` has no
    // socket and leaves it undefined.
    if (request.raw.complete === false) {
      reply.removeHeader('connection');
      discardRest(request.raw, reply.raw);
    }
    done(null, payload);
  });
}

/**
 * Reads the rest of the body into nothing. Reading starts now, before the response is written:
 * a body Node itself dumps after the response is no longer counted.
 */
function discardRest(message: IncomingMessage, response: ServerResponse): void {
  let discarded = 0;
  const stop = (): void => {
    message.removeListener('data', count);
    clearTimeout(timer);
    if (response.writableFinished) closeInStages(message.socket);
    else response.once('finish', () => closeInStages(message.socket));
  };
  const count = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) stop();
  };
  const timer = setTimeout(stop, MAX_DISCARD_MS).unref();
  message.on('data', count);
  message.once('end', () => clearTimeout(timer));
  message.once('close', () => clearTimeout(timer));
  message.resume();
}

/** RFC 9112 §9.6: half-close, keep reading for a moment, then close. */
function closeInStages(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
