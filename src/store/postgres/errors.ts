/** Maps pg failures onto the store's error classes, reporting the same fields as the SQLite store. */
import pg from 'pg';
import { StoreUnavailable, UniqueViolation } from '../types.js';

/**
 * SQLSTATEs meaning the database cannot be used right now, as SQLite's BUSY/IOERR/CANTOPEN do
 * (PostgreSQL manual, Appendix A "PostgreSQL Error Codes"):
 * - 08xxx connection exceptions (the server went away, or never answered the start-up);
 * - 25006 read_only_sql_transaction: the server is a standby (a failover in progress) or the
 *   database was made read-only (`default_transaction_read_only`);
 * - 28xxx authorization (credentials rotated under a running instance), 3D000 missing database;
 * - 40001 serialization failure and 40P01 deadlock, once the store's retries are spent;
 * - 53xxx insufficient resources (53300 too many connections, 53100 disk full, 53200 memory);
 * - 55000 object_not_in_prerequisite_state, which is how a new session is refused by a
 *   database with `ALLOW_CONNECTIONS false` ("database … is not currently accepting
 *   connections"); none of the store's statements can raise it for another reason (it uses no
 *   sequences' `currval`, no replication), 55P03 lock wait given up;
 * - 57014 statement timeout; 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect
 *   now (start-up, recovery), 57P04 database dropped, 57P05 idle-session timeout;
 * - 58000 system error and 58030 I/O error on the server.
 */
const UNAVAILABLE_SQLSTATE = /^(08|28|53|25006$|3D000$|40001$|40P01$|55000$|55P03$|57014$|57P0[1-5]$|58000$|58030$)/;

/** Node socket errors of an unreachable or vanished server. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'EPIPE',
]);

/** A Unix-domain socket path with no server behind it (`?host=/run/postgresql` while it is down). */
function isMissingSocket(err: unknown): boolean {
  const { code, syscall } = (err ?? {}) as { code?: unknown; syscall?: unknown };
  return code === 'ENOENT' && syscall === 'connect';
}

/** pg and pg-pool report timeouts and dropped connections as plain Errors with these messages. */
const UNAVAILABLE_MESSAGE = new RegExp(
  [
    'timeout exceeded when trying to connect',
    'Connection terminated',
    'connection timeout',
    'not queryable',
    'Cannot use a pool after calling end',
    'Query read timeout',
  ].join('|'),
  'i',
);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Node 20 tries every address of a host name and reports all failures in one AggregateError. */
function errnoCodes(err: unknown): string[] {
  const nested = err instanceof AggregateError ? err.errors.map(codeOf) : [];
  return [codeOf(err), ...nested].filter((c): c is string => c !== undefined);
}

/**
 * The clashing field, named like SQLite's mapping: a primary key is `id`; otherwise the last
 * column of the violated key, camelCased (`Key (environment_id, name)=(…)` → `name`).
 */
function clashingField(err: pg.DatabaseError): string {
  if (err.constraint?.endsWith('_pkey')) return 'id';
  const columns = /^Key \(([^)]*)\)=/.exec(err.detail ?? '')?.[1];
  const column = columns?.split(',').pop()?.trim() ?? '';
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) || 'id';
}

function isUnavailable(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return UNAVAILABLE_SQLSTATE.test(err.code ?? '');
  if (errnoCodes(err).some((code) => UNAVAILABLE_ERRNO.has(code)) || isMissingSocket(err)) return true;
  return err instanceof Error && UNAVAILABLE_MESSAGE.test(err.message);
}

/** Returns the error to throw in place of `err` (itself when it has no store meaning). */
export function mapPostgresError(err: unknown): unknown {
  if (err instanceof UniqueViolation || err instanceof StoreUnavailable) return err;
  if (err instanceof pg.DatabaseError && err.code === '23505') return new UniqueViolation(clashingField(err));
  if (isUnavailable(err)) {
    const message = err instanceof Error ? err.message || errnoCodes(err).join(', ') : String(err);
    return new StoreUnavailable(`PostgreSQL store unavailable: ${message}`, { cause: err });
  }
  return err;
}

/** A transaction PostgreSQL aborted so that another could go on (deadlock, serialization failure): safe to run again. */
export function isTransactionConflict(err: unknown): boolean {
  return err instanceof pg.DatabaseError && (err.code === '40P01' || err.code === '40001');
}
