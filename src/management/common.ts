/**
 * Small shared pieces of the management services: collection envelopes, cursors,
 * version checks. The request-body field readers live in `./fields.ts`.
 */
import { isUuid } from '../domain/ids.js';
import { NotFoundError, PreconditionFailedError } from '../domain/pingone-error.js';
import type { Page, PageRequest, UpdateResult } from '../store/types.js';

type JsonObject = Record<string, unknown>;

/** PingOne collection envelope with Keyway's cursor paging. */
export function collection(
  selfHref: string,
  name: string,
  page: Page<unknown> & { items: unknown[] },
  request: PageRequest | undefined,
): JsonObject {
  const links: JsonObject = { self: { href: selfHref } };
  if (page.nextCursor !== undefined && request) {
    const next = new URL(selfHref);
    next.searchParams.set('limit', String(request.limit));
    next.searchParams.set('cursor', encodeCursor(page.nextCursor));
    links.next = { href: next.href };
  }
  return { _links: links, _embedded: { [name]: page.items }, count: page.count, size: page.items.length };
}

/** Cursors are opaque to clients; inside they carry the last id of the previous page. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return isUuid(id) ? id : undefined;
}

/** Maps a conditional store write to the record, 404 or 412. */
export function unwrapUpdate<T>(result: UpdateResult<T>): T {
  if (result.status === 'not_found') throw new NotFoundError();
  if (result.status === 'conflict') throw new PreconditionFailedError();
  return result.record;
}

export function nowIso(now: Date): string {
  return now.toISOString();
}

/**
 * Options of a create that the declarative configuration (src/declarative/) passes: PingOne's
 * create operations take no `id`, a configuration file names the ids its objects keep.
 */
export interface CreateOptions {
  /** The new object's id (a UUID the caller has checked); default: a new one. */
  id?: string;
}
