/** Small helpers shared by the row ↔ record mappers. */

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

export function json(value: unknown): string {
  return JSON.stringify(value);
}

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}
