/**
 * The one persister's unit of work: area code is written once, as generator functions that
 * `yield*` statements, and each engine runs them its own way (./engine.ts). On SQLite the
 * generator runs to completion synchronously (better-sqlite3 transactions cannot await); on
 * PostgreSQL each statement is awaited on the pool or on a transaction's connection.
 *
 * SQL is written with `?` placeholders; the PostgreSQL driver numbers them.
 */

/** A value both drivers bind (arrays only for PostgreSQL's `= ANY(?)`, booleans only for its boolean columns). */
export type SqlValue = string | number | bigint | boolean | null | readonly string[];

/** What a statement's caller wants back. */
export type Want = 'row' | 'rows' | 'changes';

export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  readonly want: Want;
}

/** Work that yields statements and returns `T`; run by an engine (./engine.ts). */
export type Q<T> = Generator<Statement, T, unknown>;

/** Every row the statement returns. */
export function* rows<R>(sql: string, params: readonly SqlValue[] = []): Q<R[]> {
  return (yield { sql, params, want: 'rows' }) as R[];
}

/** The first row the statement returns, if any. */
export function* row<R>(sql: string, params: readonly SqlValue[] = []): Q<R | undefined> {
  return (yield { sql, params, want: 'row' }) as R | undefined;
}

/** The number of rows the statement inserted, updated or deleted. */
export function* changes(sql: string, params: readonly SqlValue[] = []): Q<number> {
  return (yield { sql, params, want: 'changes' }) as number;
}
