/**
 * The PostgreSQL store (pg), for several Keyway instances sharing one database: the one
 * persister (../sql/sql-store.ts) run on a pool. Single statements run on the pool; every
 * multi-row write runs in one transaction on a dedicated connection. Driver failures are mapped
 * by `mapPostgresError` (UniqueViolation, StoreUnavailable), so callers see the same errors as
 * from the SQLite store.
 */
import { randomUUID } from 'node:crypto';
import type { ClientConfig } from 'pg';
import { recordJti } from '../areas/client-auth.js';
import type { MigrationStatus } from '../migrator.js';
import { SqlStore } from '../sql/sql-store.js';
import type { Q } from '../sql/statement.js';
import type { Broadcast, ChangeFeed, ChangeFeedEvents, PoolUsage, Store } from '../types.js';
import { postgresDialect } from './dialect.js';
import { runAsync } from './engine.js';
import { isTransactionConflict, mapPostgresError } from './errors.js';
import { ensureSchema, migratePostgres, postgresMigrationStatus } from './migrate.js';
import { BROADCAST_CHANNEL, BROADCAST_SQL, MAX_BROADCAST_CHARS, readBroadcast } from './broadcast.js';
import { PgJtiBatches } from './jti-batches.js';
import { PgListener } from './notify.js';
import { CHANGES_CHANNEL, readChange } from './notify-message.js';
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
  /** The pool's settings, for the listening connections (change feed, broadcast). */
  private readonly feedConnection: ClientConfig;
  /** Jti records of concurrent token requests share one statement (./jti-batches.ts). */
  private readonly jtiBatches: PgJtiBatches;

  /** Creates the pool; connects lazily. Prefer `openPostgresStore`. */
  constructor(url: string, options: Pick<PostgresStoreOptions, 'schema' | 'now' | 'queryTimeoutMs'> = {}) {
    const now = options.now ?? (() => new Date().toISOString());
    super(postgresDialect, now);
    this.now = now;
    if (options.schema !== undefined) assertSchemaName(options.schema);
    const limits = options.queryTimeoutMs !== undefined ? { queryTimeoutMs: options.queryTimeoutMs } : {};
    this.pg = new PgDatabase(url, options.schema, limits);
    this.feedConnection = poolConfig(url, options.schema, limits);
    this.jtiBatches = new PgJtiBatches(this.pg, (r) => this.run(() => recordJti(this.db, r.environmentId, r.clientId, r.jti, r.expiresAt, r.now), false));
  }

  /** The token endpoint's one write: batched with its neighbours' into one statement (see jti-batches.ts). */
  override readonly recordAssertionJti = (environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): Promise<boolean> =>
    this.jtiBatches.record({ environmentId, clientId, jti, expiresAt, now });

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
    const receive = (payload: string | undefined, schema: string | null): void => {
      const change = readChange(payload, { schema });
      if (change) events.changed(change);
    };
    return new PgListener({ connection: this.feedConnection, channel: CHANGES_CHANNEL, receive, events }).start();
  }

  /**
   * Messages between the instances on this database and schema (./broadcast.ts): `send` is one
   * `pg_notify` through the pool, received by every other instance's listening connection. This
   * instance's own messages come back to its listener and are left out there.
   */
  openBroadcast(receive: (message: string) => void, events: Pick<ChangeFeedEvents, 'listening' | 'lost'> = { listening: () => {}, lost: () => {} }): Broadcast {
    const instance = randomUUID();
    const listener = new PgListener({
      connection: this.feedConnection,
      channel: BROADCAST_CHANNEL,
      receive: (payload, schema) => {
        const message = readBroadcast(payload, { schema, instance });
        if (message !== undefined) receive(message);
      },
      events,
    }).start();
    return {
      send: (message) => {
        // A message that is not delivered is only a count the other instances miss.
        if (message.length <= MAX_BROADCAST_CHARS) this.pg.query(BROADCAST_SQL, [instance, message]).catch(() => {});
      },
      close: () => listener.close(),
    };
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
