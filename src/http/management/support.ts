/**
 * Shared plumbing of management routes: the authenticated actor, paging query, ETag/If-Match
 * (a Keyway extension documented in the README), and sending a versioned resource.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUuid } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError, PreconditionFailedError } from '../../domain/pingone-error.js';
import { decodeCursor } from '../../management/common.js';
import { noFilter, parseCollectionFilter } from '../../management/filter/spec.js';
import type { Actor } from '../../management/roles.js';
import type { PageRequest } from '../../store/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('management route reached without an authenticated actor');
  return request.actor;
}

/** Path ids are UUIDs; anything else cannot name a resource, so it is a 404. */
export function pathId(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, string | undefined>)[name];
  if (value === undefined || !isUuid(value)) throw new NotFoundError();
  return value;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `limit` (1..1000, default 100) and the opaque `cursor` of PingOne's cursor paging. */
export function pageRequest(request: FastifyRequest): PageRequest {
  const query = request.query as Record<string, unknown>;
  const page: PageRequest = { limit: DEFAULT_PAGE_SIZE };
  if (query.limit !== undefined) {
    const limit = typeof query.limit === 'string' && /^\d{1,4}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      throw new InvalidDataError([
        { code: 'INVALID_PARAMETER', target: 'limit', message: `limit must be an integer between 1 and ${MAX_PAGE_SIZE}.` },
      ]);
    }
    page.limit = limit;
  }
  if (query.cursor !== undefined) {
    const after = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : undefined;
    if (after === undefined) {
      throw new InvalidDataError([{ code: 'INVALID_PARAMETER', target: 'cursor', message: 'cursor is not a cursor this API issued.' }]);
    }
    page.after = after;
  }
  return page;
}

/**
 * The version named by If-Match, undefined when the header is absent or `*`. A value that is not
 * one of our ETags can never match, so it is a 412.
 */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"(\d{1,15})"\s*$/.exec(header);
  if (!match?.[1]) throw new PreconditionFailedError();
  return Number(match[1]);
}

export function sendVersioned(reply: FastifyReply, status: number, resource: { body: unknown; version: number }): FastifyReply {
  return reply.code(status).header('ETag', `"${resource.version}"`).send(resource.body);
}

/**
 * For collections PingOne does not filter (../../management/filter/spec.ts, `noFilter`): a
 * `filter` is refused with INVALID_FILTER, never ignored.
 */
export function refuseFilter(request: FastifyRequest, collection: string): void {
  parseCollectionFilter(noFilter(collection), filterParam(request));
}

/** The raw `filter` query parameter (an array when repeated), for the service to check. */
export function filterParam(request: FastifyRequest): unknown {
  return (request.query as { filter?: unknown }).filter;
}
