/**
 * One better-sqlite3 connection with its pragmas, a per-connection prepared-statement cache and
 * transaction helpers. Everything here is synchronous; the store wraps it in promises.
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';

/** A value better-sqlite3 can bind. */
export type SqlValue = string | number | bigint | Buffer | null;

/** How long opening waits for other processes that are switching the same new file to WAL. */
const WAL_SWITCH_DEADLINE_MS = 5_000;
const WAL_SWITCH_RETRY_MS = 20;

/**
 * `journal_mode = WAL` needs an exclusive lock. When several processes open one new file at once,
 * SQLite can answer SQLITE_BUSY at once, without calling the busy handler (it would deadlock
 * otherwise), so the switch is retried here within a bound. Startup only: blocking is fine.
 */
function switchToWal(db: Db): void {
  const deadline = Date.now() + WAL_SWITCH_DEADLINE_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, WAL_SWITCH_RETRY_MS);
    }
  }
}

export class Connection {
  readonly db: Db;
  private readonly statements = new Map<string, Statement<SqlValue[]>>();

  constructor(path: string) {
    this.db = new Database(path);
    try {
      // busy_timeout first: switching a new file to WAL takes a lock another process may hold.
      this.db.pragma('busy_timeout = 5000');
      switchToWal(this.db);
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  get open(): boolean {
    return this.db.open;
  }

  /** The prepared statement for `sql`, prepared once per connection. */
  stmt(sql: string): Statement<SqlValue[]> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<SqlValue[]>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  get<R>(sql: string, params: readonly SqlValue[] = []): R | undefined {
    return this.stmt(sql).get(...params) as R | undefined;
  }

  all<R>(sql: string, params: readonly SqlValue[] = []): R[] {
    return this.stmt(sql).all(...params) as R[];
  }

  /** Runs a write statement and returns the number of rows changed. */
  run(sql: string, params: readonly SqlValue[] = []): number {
    return this.stmt(sql).run(...params).changes;
  }

  /**
   * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a
   * read-then-write never fails on a lock upgrade when another process writes too.
   */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Runs `fn` in a deferred transaction: several reads see one snapshot. */
  read<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
