/**
 * Small helpers shared by the row ↔ record mappers of every SQL dialect. Rows are what a driver
 * returns for `SELECT *` (snake_case columns); records are the camelCase types of `../types.ts`.
 */

/** A column value every dialect binds the same way. Booleans are not here: SQLite stores them as 0/1. */
export type ColumnValue = string | number | null;

/** A boolean column as read: SQLite stores 0/1, PostgreSQL a boolean. */
export const flag = (value: number | boolean): boolean => value === true || value === 1;

/** Columns to write, keyed by column name. */
export type Columns = Record<string, ColumnValue>;

/** Columns every versioned row has. */
export interface VersionedColumns {
  version: number;
  created_at: string;
  updated_at: string;
}

/** Adds `key` to `target` only when the column is not NULL (records omit absent optionals). */
export function withOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null): T {
  if (value !== null && value !== undefined) target[key] = value;
  return target;
}

export function versioned(row: VersionedColumns): { version: number; createdAt: string; updatedAt: string } {
  return { version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
}

/**
 * Nested data is stored as JSON text in both dialects (never PostgreSQL `jsonb`, which would
 * reorder keys and re-encode strings): JSON keeps every string exact, so `config.jwks` comes back
 * byte for byte, and U+0000 inside a string is escaped as `\u0000`, which both engines can hold.
 */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}
