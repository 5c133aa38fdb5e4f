/**
 * The embedded SQLite store (better-sqlite3): the one persister (../sql/sql-store.ts) run
 * synchronously on one connection. Methods return promises because the PostgreSQL engine is
 * asynchronous; driver failures are mapped by `mapSqliteError` (UniqueViolation, StoreUnavailable).
 */
import { recordJti } from '../areas/client-auth.js';
import type { MigrationStatus } from '../migrator.js';
import { SqlStore } from '../sql/sql-store.js';
import type { Q } from '../sql/statement.js';
import type { ChangeFeed, ChangeFeedEvents, Store } from '../types.js';
import { SqliteChangeLog } from './change-log.js';
import { retryWhileBusy, retryWhileBusyAsync } from './busy-retry.js';
import { Connection } from './connection.js';
import { sqliteDialect } from './dialect.js';
import { runSync } from './engine.js';
import { mapSqliteError } from './errors.js';
import { GroupCommit } from './group-commit.js';
import type { JtiJob } from './jti-batch.js';
import { JtiWriter } from './jti-writer.js';
import { migrateSqlite, sqliteMigrationStatus } from './migrate.js';

export interface SqliteStoreOptions {
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean;
  /** Clock for timestamps the store writes itself (migrations, cascaded grant edits). */
  now?: () => string;
  /**
   * Other processes write the same file (KEYWAY_WORKERS): the store then offers the change feed
   * read from the file's change log (change-log.ts), which keeps this process's caches coherent.
   */
  shared?: boolean;
}

export class SqliteStore extends SqlStore implements Store {
  private readonly conn: Connection;
  private readonly now: () => string;
  /** Jti records of concurrent token requests share one commit (one fsync). */
  private readonly jtiCommits: GroupCommit<JtiJob, boolean>;
  /** For a database file: jti records committed on a worker thread, off the event loop. */
  private readonly jtiWriter: JtiWriter | undefined;
  /** Only on a file other processes share (`shared`); absent, this process is the only writer. */
  readonly openChangeFeed?: (events: ChangeFeedEvents) => ChangeFeed;

  /** Opens the database file (`:memory:` for a private in-memory one). Prefer `openSqliteStore`. */
  constructor(path: string, options: Pick<SqliteStoreOptions, 'now' | 'shared'> = {}) {
    const now = options.now ?? (() => new Date().toISOString());
    super(sqliteDialect, now);
    this.now = now;
    try {
      this.conn = new Connection(path);
    } catch (err) {
      throw mapSqliteError(err);
    }
    // The event loop never sleeps in SQLite's busy handler: a lock taken by another connection
    // (the jti writer's thread, another worker process) answers SQLITE_BUSY at once, and `run`
    // waits for it on timers (./busy-retry.ts). Startup work that may block waits in `migrate`.
    this.conn.db.pragma('busy_timeout = 0');
    this.jtiWriter = path === ':memory:' || path === '' ? undefined : new JtiWriter(path);
    this.jtiCommits = new GroupCommit(
      this.conn,
      (r: JtiJob) => runSync(this.conn, recordJti(this.db, r.environmentId, r.clientId, r.jti, r.expiresAt, r.now)),
      mapSqliteError,
    );
    if (options.shared) this.openChangeFeed = (events) => new SqliteChangeLog(this.conn, events).start();
  }

  /**
   * Atomic work runs in one `BEGIN IMMEDIATE` transaction; driver errors become store errors. A
   * lock held elsewhere is waited for without blocking the loop: the `BEGIN IMMEDIATE` (or the one
   * statement of plain work) that met it did nothing, so the work starts again from its first
   * statement.
   */
  protected override async run<T>(start: () => Q<T>, atomic: boolean): Promise<T> {
    try {
      return await retryWhileBusyAsync(() => (atomic ? this.conn.write(() => runSync(this.conn, start())) : runSync(this.conn, start())));
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  /** At startup, where blocking is fine: processes opening one file at once migrate in turn. */
  migrate(): Promise<void> {
    return this.guard(() => void retryWhileBusy(() => migrateSqlite(this.conn, this.now)));
  }

  /** Applied and pending migrations (for `keyway migrate status`). */
  migrationStatus(): Promise<MigrationStatus> {
    return this.guard(() => sqliteMigrationStatus(this.conn));
  }

  async close(): Promise<void> {
    await this.jtiWriter?.close();
    this.conn.close();
  }

  ping(): Promise<void> {
    return this.guard(() => void this.conn.get('SELECT 1'));
  }

  /** The token endpoint's one write: batched with its neighbours' into one commit (see jti-writer.ts). */
  override readonly recordAssertionJti = (environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): Promise<boolean> => {
    const job = { environmentId, clientId, jti, expiresAt, now };
    return this.jtiWriter ? this.jtiWriter.record(job) : this.jtiCommits.submit(job);
  };

  private async guard<T>(work: () => T): Promise<T> {
    try {
      return work();
    } catch (err) {
      throw mapSqliteError(err);
    }
  }
}

/** Opens the SQLite store at `path` (a file, or `:memory:`) and, unless told not to, migrates it. */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const store = new SqliteStore(path, options);
  if (options.migrate === false) return store;
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
