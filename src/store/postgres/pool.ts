/**
 * The pg connection pool and the two ways the PostgreSQL store runs SQL: one statement on any
 * pooled connection, or a transaction on one dedicated connection (BEGIN … COMMIT).
 *
 * SQL is written with `?` placeholders, as in the SQLite store, so both dialects' area modules
 * read alike; `?` becomes `$1`, `$2`… here. No statement of the store contains a literal `?`
 * (jsonb's `?` operator is not used: `@>` does the same job).
 */
import pg from 'pg';
import { holdsNul } from '../shared/text.js';
import { StoreUnavailable } from '../types.js';

/** A value pg binds: text, numbers, booleans, NULL, and text arrays (for `= ANY(?::text[])`). */
export type SqlValue = string | number | boolean | null | readonly string[];

export interface Rows<R> {
  rows: R[];
  /** Rows inserted, updated or deleted by the statement. */
  rowCount: number;
}

/** Runs one statement; implemented by the pool and by a transaction's connection. */
export interface Queryable {
  query<R>(sql: string, params?: readonly SqlValue[]): Promise<Rows<R>>;
}

/** A connection inside BEGIN … COMMIT; `exec` runs raw multi-statement SQL (migrations). */
export interface Transaction extends Queryable {
  exec(sql: string): Promise<void>;
}

/** Server-side bound of one statement. */
const STATEMENT_TIMEOUT_MS = 5_000;

/**
 * Client-side bound of one query, a little above the server's: a server that answers reports
 * its own timeout (57014) first, so this one fires only when nothing answers at all, e.g. a dead
 * server behind a half-open TCP connection, which no server-side setting can end.
 */
export const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1_000;

/**
 * Bounds that keep a dead or overloaded server from hanging requests: they, and the readiness
 * check (docs/decisions.md, "Runtime contract"), answer 503 instead.
 */
const POOL_LIMITS = {
  max: 10,
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  statement_timeout: STATEMENT_TIMEOUT_MS,
  keepAlive: true,
} as const;

/** The message pg gives a query that outlived `query_timeout`; mapped to StoreUnavailable (errors.ts). */
const READ_TIMEOUT = 'Query read timeout';

export interface PoolLimits {
  /** Client-side bound of each query (default QUERY_TIMEOUT_MS); tests lower it. */
  queryTimeoutMs?: number;
}

/** Lower-case identifiers only, so the name needs no quoting in `search_path` or CREATE SCHEMA. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`);
}

/**
 * Pool settings for `url`; with `schema`, every connection starts with that `search_path`.
 * pg lets an `options` parameter of the URL override the config's, so one found there is
 * moved into the config and extended rather than silently dropped.
 */
export function poolConfig(url: string, schema?: string, limits: PoolLimits = {}): pg.PoolConfig {
  const config: pg.PoolConfig = {
    connectionString: url,
    fallback_application_name: 'keyway',
    ...POOL_LIMITS,
    query_timeout: limits.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
  };
  if (schema === undefined) return config;
  assertSchemaName(schema);
  const searchPath = `-c search_path=${schema}`;
  if (!/[?&]options=/.test(url)) return { ...config, options: searchPath };
  const parsed = new URL(url);
  const own = parsed.searchParams.get('options') ?? '';
  parsed.searchParams.delete('options');
  return { ...config, connectionString: parsed.toString(), options: `${own} ${searchPath}`.trim() };
}

const numbered = new Map<string, string>();

/** `a = ? AND b = ?` → `a = $1 AND b = $2`, cached: the store's SQL texts are a fixed set of templates. */
export function numberPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, text);
  }
  return text;
}

/** PostgreSQL text cannot hold U+0000; the scoped helpers handle it first (../shared/text.ts), so this is a last guard. */
function bindable(params: readonly SqlValue[]): SqlValue[] {
  for (const value of params) {
    if (holdsNul(value) || (Array.isArray(value) && value.some(holdsNul))) throw new TypeError('SQL parameter contains U+0000');
  }
  return [...params];
}

/** pg reads `query_timeout` per query too, though its typings omit it. */
type TimedQuery = pg.QueryConfig & { query_timeout?: number };

/** `text` as pg sends it; without `values`, as one simple-protocol script (several statements allowed). */
function timed(text: string, values: SqlValue[] | undefined, timeoutMs: number | undefined): TimedQuery {
  const query: TimedQuery = values === undefined ? { text } : { text, values };
  if (timeoutMs !== undefined) query.query_timeout = timeoutMs;
  return query;
}

async function run<R>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[], timeoutMs?: number): Promise<Rows<R>> {
  const result = await client.query(timed(numberPlaceholders(sql), bindable(params), timeoutMs));
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}

/**
 * Ends a failed transaction; returns the error that makes the connection unfit for reuse, if
 * any. After a client-side timeout the connection's state is unknown (and a dead server would
 * make ROLLBACK wait out a second timeout): it is discarded at once instead, and the server
 * rolls the transaction back when the session ends.
 */
async function rollback(client: pg.PoolClient, cause: unknown, timeoutMs?: number): Promise<Error | undefined> {
  if (cause instanceof Error && cause.message === READ_TIMEOUT) return cause;
  try {
    await client.query(timed('ROLLBACK', undefined, timeoutMs));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export class PgDatabase implements Queryable {
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(url: string, schema?: string, limits: PoolLimits = {}) {
    this.pool = new pg.Pool(poolConfig(url, schema, limits));
    // An idle connection that breaks (server restart) is dropped by the pool; without a
    // listener the 'error' event would crash the process. The next query reconnects.
    this.pool.on('error', () => {});
  }

  /** Connections of the pool right now (metrics). */
  usage(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('PostgreSQL store is closed');
  }

  async query<R>(sql: string, params: readonly SqlValue[] = []): Promise<Rows<R>> {
    this.assertOpen();
    return run<R>(this.pool, sql, params);
  }

  /**
   * Runs `work` in one transaction on a dedicated connection: all of it commits, or none.
   * `queryTimeoutMs` replaces the pool's client-side bound for this transaction's statements
   * (migrations, which lift the server-side one too).
   */
  async transaction<T>(work: (tx: Transaction) => Promise<T>, limits: PoolLimits = {}): Promise<T> {
    this.assertOpen();
    const client = await this.pool.connect();
    const timeoutMs = limits.queryTimeoutMs;
    const script = async (sql: string): Promise<void> => void (await client.query(timed(sql, undefined, timeoutMs)));
    const tx: Transaction = {
      query: <R>(sql: string, params: readonly SqlValue[] = []) => run<R>(client, sql, params, timeoutMs),
      exec: script,
    };
    try {
      await script('BEGIN');
      const result = await work(tx);
      await script('COMMIT');
      client.release();
      return result;
    } catch (err) {
      client.release(await rollback(client, err, timeoutMs));
      throw err;
    }
  }

  /** Closes every connection; later calls fail with StoreUnavailable. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
