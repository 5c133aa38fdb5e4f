/**
 * What truly differs between the two SQL engines, for the statements area code writes once.
 * DDL differences live in the migrations; driver, locking and notification differences in each
 * engine's folder.
 */
import type { SqlValue } from './statement.js';

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Row-lock clauses. PostgreSQL locks the rows a read-then-write depends on; SQLite needs none,
   * as every transaction takes the database's write lock up front (BEGIN IMMEDIATE).
   */
  readonly forUpdate: string;
  readonly forKeyShare: string;
  /** A boolean column value as bound (SQLite stores 0/1) and a predicate testing one. */
  bool(value: boolean): SqlValue;
  isTrue(column: string): string;
  /** `column` (a JSON array of strings) contains the bound string. */
  jsonArrayHas(column: string): string;
  /**
   * The string at `path` inside `column` (JSON object text) as an SQL text expression, NULL when
   * absent or not a string; compared byte-wise like every stored column (`COLLATE "C"`).
   * `path` holds plain attribute names only (they are written into the SQL).
   */
  jsonText(column: string, path: readonly string[]): string;
  /** `column` is one of `values`: the predicate and its one parameter. */
  inList(column: string, values: readonly string[]): { predicate: string; param: SqlValue };
  /**
   * The database's clock `secondsBack` seconds ago, as an SQL expression of text in the form
   * every instant is stored in (`Date.toISOString`, `YYYY-MM-DDTHH:MM:SS.sssZ`), so that it
   * compares with stored instants as text. Purge cut-offs use it, never an instance's clock
   * (../shared/clock-margin.ts).
   */
  clockText(secondsBack: number): string;
  /** Deletes up to `limit` rows of `table` whose `expires_at` is at or before the SQL text `cutoff` (any environment). */
  purgeExpired(table: string, cutoff: string, limit: number): { sql: string; params: SqlValue[] };
}

/** For `clockText`, whose offset is written into the SQL text: only whole non-negative seconds are accepted. */
export function wholeSeconds(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError(`seconds must be a non-negative integer, got ${seconds}`);
  return seconds;
}

/** Attribute names written into a JSON path: letters and digits only, so nothing needs quoting. */
export function jsonPath(path: readonly string[]): readonly string[] {
  for (const name of path) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new RangeError(`not a plain attribute name: ${name}`);
  return path;
}
