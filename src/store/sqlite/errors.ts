/** Maps better-sqlite3 failures onto the store's error classes. */
import { StoreUnavailable, UniqueViolation } from '../types.js';

/** Result codes meaning the database file cannot be used right now (I/O, locks, space, memory, closed). */
const UNAVAILABLE = /^SQLITE_(IOERR|CANTOPEN|BUSY|LOCKED|FULL|READONLY|CORRUPT|NOTADB|PROTOCOL|NOMEM)(_|$)/;

/** better-sqlite3 throws plain TypeErrors for these two. */
const NOT_OPEN = /^(The database connection is not open|Cannot open database)/;

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `UNIQUE constraint failed: resources.environment_id, resources.name` → `name`: the last column (camelCased)
 * of the violated key is the field that clashed (every key is prefixed by its scope).
 */
function clashingField(message: string): string {
  const last = message.split(',').pop() ?? '';
  const column = last.trim().split('.').pop() ?? '';
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) || 'id';
}

/** Returns the error to throw in place of `err` (itself when it has no store meaning). */
export function mapSqliteError(err: unknown): unknown {
  if (err instanceof UniqueViolation || err instanceof StoreUnavailable) return err;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new UniqueViolation('id');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') return new UniqueViolation(clashingField(message));
  if ((code !== undefined && UNAVAILABLE.test(code)) || (err instanceof TypeError && NOT_OPEN.test(message))) {
    return new StoreUnavailable(`SQLite store unavailable: ${message}`, { cause: err });
  }
  return err;
}
