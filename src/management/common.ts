/**
 * Small shared pieces of the management services: field readers used by body parsers,
 * collection envelopes, version checks.
 */
import { detail, InvalidRequestError, NotFoundError, PreconditionFailedError, type ErrorDetail } from './errors.js';
import type { Page, PageRequest, UpdateResult } from '../store/types.js';

export type JsonObject = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function asObject(body: unknown): JsonObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.');
  }
  return body as JsonObject;
}

/** Collects details while reading typed fields out of a request body. */
export class FieldReader {
  readonly details: ErrorDetail[] = [];
  constructor(readonly body: JsonObject, private readonly prefix = '') {}

  private target(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  string(name: string, opts: { required?: boolean; max?: number; min?: number } = {}): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (opts.required) this.details.push(detail.required(this.target(name)));
      return undefined;
    }
    if (typeof value !== 'string') {
      this.details.push(detail.invalid(this.target(name), `${this.target(name)} must be a string.`));
      return undefined;
    }
    if (value.includes('\u0000')) {
      this.details.push(detail.invalid(this.target(name), `${this.target(name)} must not contain U+0000.`));
      return undefined;
    }
    const min = opts.min ?? (opts.required ? 1 : 0);
    if (value.trim().length < min) {
      this.details.push(opts.required ? detail.required(this.target(name)) : detail.invalid(this.target(name), `${this.target(name)} must not be empty.`));
      return undefined;
    }
    const max = opts.max ?? 1024;
    if (value.length > max) {
      this.details.push(detail.invalid(this.target(name), `${this.target(name)} must be at most ${max} characters.`, { maximumValue: max }));
      return undefined;
    }
    return value;
  }

  integer(name: string, min: number, max: number, opts: { required?: boolean } = {}): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (opts.required) this.details.push(detail.required(this.target(name)));
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.details.push(detail.invalid(this.target(name), `${this.target(name)} must be an integer.`));
      return undefined;
    }
    if (value < min || value > max) {
      this.details.push(detail.range(this.target(name), min, max));
      return undefined;
    }
    return value;
  }

  enumValue<T extends string>(name: string, allowed: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (opts.required) this.details.push(detail.required(this.target(name)));
      return undefined;
    }
    const found = allowed.find((a) => a === value);
    if (found === undefined) {
      this.details.push(
        detail.invalid(this.target(name), `${this.target(name)} must be one of ${allowed.join(', ')}.`, { allowedValues: allowed }),
      );
    }
    return found;
  }

  /** A `{ "id": "<uuid>" }` reference. */
  reference(name: string, opts: { required?: boolean } = {}): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (opts.required) this.details.push(detail.required(`${this.target(name)}.id`));
      return undefined;
    }
    const id = typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject).id : undefined;
    if (typeof id !== 'string' || !isUuid(id)) {
      this.details.push(detail.invalid(`${this.target(name)}.id`, `${this.target(name)}.id must be a UUID.`));
      return undefined;
    }
    return id;
  }
}

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
