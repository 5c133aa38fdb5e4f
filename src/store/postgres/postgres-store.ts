/**
 * The PostgreSQL store (pg), for several Keyway instances sharing one database: the one
 * persister (../sql/sql-store.ts) run on a pool. Single statements run on the pool; every
 * multi-row write runs in one transaction on a dedicated connection. Driver failures are mapped
 * by `mapPostgresError` (UniqueViolation, StoreUnavailable), so callers see the same errors as
 * from the SQLite store.
 */
import type { ClientConfig } from 'pg';
import type { MigrationStatus } from '../migrator.js';
import { SqlStore } from '../sql/sql-store.js';
import type { Q } from '../sql/statement.js';
import type { ChangeFeed, ChangeFeedEvents, PoolUsage, Store } from '../types.js';
import { postgresDialect } from './dialect.js';
import { runAsync } from './engine.js';
import { isTransactionConflict, mapPostgresError } from './errors.js';
import { ensureSchema, migratePostgres, postgresMigrationStatus } from './migrate.js';
import { PgChangeFeed } from './notify.js';
import { assertSchemaName, PgDatabase, poolConfig } from './pool.js';

/** Tries of one atomic unit of work that the database keeps aborting as a deadlock victim. */
const TRANSACTION_ATTEMPTS = 3;

export interface PostgresStoreOptions {
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean;
  /**
   * Keep every table in this schema (created when missing) instead of the connection's default
   * `search_path`; lower-case letters, digits and `_`. Tests use a fresh one per store.
   */
  schema?: string;
  /** Clock for timestamps the store writes itself (migrations, cascaded grant edits). */
  now?: () => string;
  /**
   * Client-side bound of each query in milliseconds (default QUERY_TIMEOUT_MS, a little above the
   * server's statement_timeout): a query past it fails with StoreUnavailable. Tests lower it.
   */
  queryTimeoutMs?: number;
}

export class PostgresStore extends SqlStore implements Store {
  private readonly pg: PgDatabase;
  private readonly now: () => string;
  /** The pool's settings, for the change feed's own connection. */
  private readonly feedConnection: ClientConfig;

  /** Creates the pool; connects lazily. Prefer `openPostgresStore`. */
  constructor(url: string, options: Pick<PostgresStoreOptions, 'schema' | 'now' | 'queryTimeoutMs'> = {}) {
    const now = options.now ?? (() => new Date().toISOString());
    super(postgresDialect, now);
    this.now = now;
    if (options.schema !== undefined) assertSchemaName(options.schema);
    const limits = options.queryTimeoutMs !== undefined ? { queryTimeoutMs: options.queryTimeoutMs } : {};
    this.pg = new PgDatabase(url, options.schema, limits);
    this.feedConnection = poolConfig(url, options.schema, limits);
  }

  /**
   * Plain work runs statement by statement on the pool; atomic work in one transaction on one
   * connection (BEGIN … COMMIT), started again (at most twice) when PostgreSQL aborted it as a
   * deadlock victim or a serialization failure: nothing of it was committed, and concurrent
   * single-use writes (two instances revoking one refresh-token family) can meet that way.
   * Driver errors become store errors.
   */
  protected override async run<T>(start: () => Q<T>, atomic: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return atomic ? await this.pg.transaction((tx) => runAsync(tx, start())) : await runAsync(this.pg, start());
      } catch (err) {
        if (!(atomic && attempt < TRANSACTION_ATTEMPTS && isTransactionConflict(err))) throw mapPostgresError(err);
      }
    }
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw mapPostgresError(err);
    }
  }

  /** Creates the schema the pool's `search_path` names (see PostgresStoreOptions.schema). */
  createSchema(schema: string): Promise<void> {
    return this.guard(() => ensureSchema(this.pg, schema));
  }

  migrate(): Promise<void> {
    return this.guard(async () => void (await migratePostgres(this.pg, this.now)));
  }

  /** Applied and pending migrations (for `keyway migrate status`). */
  migrationStatus(): Promise<MigrationStatus> {
    return this.guard(() => postgresMigrationStatus(this.pg));
  }

  close(): Promise<void> {
    return this.pg.close();
  }

  /**
   * Listens on one dedicated connection (same settings and `search_path` as the pool) for the
   * configuration changes that the triggers of migration 0005 announce when a write commits,
   * whoever wrote it (see notify.ts).
   */
  openChangeFeed(events: ChangeFeedEvents): ChangeFeed {
    return new PgChangeFeed({ connection: this.feedConnection, events }).start();
  }

  ping(): Promise<void> {
    return this.guard(async () => void (await this.pg.query('SELECT 1')));
  }

  poolUsage(): PoolUsage {
    return this.pg.usage();
  }
}

/**
 * Opens the PostgreSQL store at `url` (a `postgres://` URL); with `schema`, creates that schema
 * when missing. Unless told not to, applies pending migrations (under an advisory lock, so
 * instances starting together are safe). Fails with StoreUnavailable when the server cannot be used.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const store = new PostgresStore(url, options);
  try {
    if (options.schema !== undefined) await store.createSchema(options.schema);
    if (options.migrate !== false) await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
