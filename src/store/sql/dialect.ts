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
  /** `column` is one of `values`: the predicate and its one parameter. */
  inList(column: string, values: readonly string[]): { predicate: string; param: SqlValue };
  /** Deletes up to `limit` rows of `table` expired at or before `now` (any environment). */
  purgeExpired(table: string, now: string, limit: number): { sql: string; params: SqlValue[] };
}
