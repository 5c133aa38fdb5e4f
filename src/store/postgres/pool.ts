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

/** Bounds that keep a dead or overloaded server from hanging requests (see DESIGN: readiness). */
const POOL_LIMITS = {
  max: 10,
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  statement_timeout: 5_000,
  keepAlive: true,
} as const;

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
export function poolConfig(url: string, schema?: string): pg.PoolConfig {
  const config: pg.PoolConfig = { connectionString: url, fallback_application_name: 'keyway', ...POOL_LIMITS };
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

async function run<R>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[]): Promise<Rows<R>> {
  const result = await client.query(numberPlaceholders(sql), bindable(params));
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}

/** Ends a failed transaction; returns the error that makes the connection unfit for reuse, if any. */
async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export class PgDatabase implements Queryable {
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(url: string, schema?: string) {
    this.pool = new pg.Pool(poolConfig(url, schema));
    // An idle connection that breaks (server restart) is dropped by the pool; without a
    // listener the 'error' event would crash the process. The next query reconnects.
    this.pool.on('error', () => {});
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('PostgreSQL store is closed');
  }

  async query<R>(sql: string, params: readonly SqlValue[] = []): Promise<Rows<R>> {
    this.assertOpen();
    return run<R>(this.pool, sql, params);
  }

  /** Runs `work` in one transaction on a dedicated connection: all of it commits, or none. */
  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    this.assertOpen();
    const client = await this.pool.connect();
    const tx: Transaction = {
      query: <R>(sql: string, params: readonly SqlValue[] = []) => run<R>(client, sql, params),
      exec: async (sql: string) => void (await client.query(sql)),
    };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      client.release(await rollback(client));
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
