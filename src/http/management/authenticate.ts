/**
 * Authentication of a management API request, with its source address's failures counted: an
 * address whose Bearer tokens failed too often gets 429 `REQUEST_LIMITED` before its next token is
 * even read (docs/decisions.md, "Failed authentications are rate limited").
 */
import type { FastifyRequest } from 'fastify';
import { AccessFailedError, RequestLimitedError } from '../../domain/pingone-error.js';
import { authenticateActor, type AuthenticateDeps } from '../../management/authenticate.js';
import type { Actor } from '../../management/roles.js';

/** Failed Bearer tokens per source address (src/adapters/rate-limit/management-auth-limits.ts). */
export interface ManagementAuthAttempts {
  /** Failures a source may have per minute. */
  readonly limit: number;
  waitSeconds(address: string): number;
  failed(address: string): void;
}

export async function authenticateRequest(deps: AuthenticateDeps, attempts: ManagementAuthAttempts | undefined, request: FastifyRequest): Promise<Actor> {
  if (attempts === undefined) return authenticateActor(deps, request.headers.authorization);
  const wait = attempts.waitSeconds(request.ip);
  if (wait > 0) throw new RequestLimitedError(wait, attempts.limit, deps.now());
  try {
    return await authenticateActor(deps, request.headers.authorization);
  } catch (err) {
    // 401 is a token that failed; 403 and a store outage are not the caller guessing.
    if (err instanceof AccessFailedError && err.status === 401) attempts.failed(request.ip);
    throw err;
  }
}
