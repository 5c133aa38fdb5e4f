/**
 * The origin a session-cookie request came from, when the application's `corsSettings` allow it
 * (decided by ../cors.ts before the handler runs), for the handlers that set the `ST` cookie:
 * such a request is answered with credentials, and its cookie must be one the browser keeps and
 * sends back from that origin (./support.ts, `sessionCookieSameSite`).
 */
import type { FastifyRequest } from 'fastify';

const allowed = new WeakMap<FastifyRequest, string>();

export function rememberCredentialedOrigin(request: FastifyRequest, origin: string): void {
  allowed.set(request, origin);
}

/** The request's `Origin` if the application allows it with credentials; undefined otherwise. */
export function credentialedOrigin(request: FastifyRequest): string | undefined {
  return allowed.get(request);
}
