/**
 * Dialect-neutral facts about environment scoping (docs/architecture.md, rule 2), used by
 * ../sql/scoped.ts, the single place that writes the environment predicate.
 */
import type { ScopedTable } from '../registry.js';
import type { Page } from '../types.js';

/** The column holding a table's environment id. */
export function scopeColumn(table: ScopedTable): string {
  return table === 'environments' ? 'id' : 'environment_id';
}

/** `<scope column> = ?`, followed by the caller's own predicate when there is one. */
export function scopedWhere(table: ScopedTable, predicate: string): string {
  const scope = `${scopeColumn(table)} = ?`;
  return predicate ? `${scope} AND ${predicate}` : scope;
}

/** One page of rows, before they are mapped to records. */
export interface RowPage<R> {
  rows: R[];
  count: number;
  nextCursor?: string;
}

export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`page limit must be 1..1000, got ${limit}`);
}

/**
 * Cuts a fetched `limit + 1` rows down to the page and sets the cursor when more rows exist
 * (fetching one extra row tells "more" without a second query).
 */
export function toRowPage<R extends { id: string }>(rows: R[], count: number, limit: number): RowPage<R> {
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const result: RowPage<R> = { rows, count };
  const last = rows[rows.length - 1];
  if (more && last) result.nextCursor = last.id;
  return result;
}

export function mapRowPage<R, T>(page: RowPage<R>, toRecord: (row: R) => T): RowPage<T> {
  return { ...page, rows: page.rows.map(toRecord) };
}

/** The store's `Page`, omitting `nextCursor` on the last page. */
export function toPage<T>({ rows, count, nextCursor }: RowPage<T>): Page<T> {
  return nextCursor === undefined ? { items: rows, count } : { items: rows, count, nextCursor };
}

/**
 * A record's own environment id must match the scope it is written under; the helper stamps the
 * scope, so a mismatch is a caller bug that would otherwise be silently rewritten.
 */
export function assertInEnvironment(environmentId: string, recordEnvironmentId: string, what: string): void {
  if (recordEnvironmentId !== environmentId) {
    throw new TypeError(`${what} belongs to environment ${recordEnvironmentId}, not ${environmentId}`);
  }
}
