// PostgreSQL helpers of the benchmark: reachability, a fresh schema per run (dropped at the end,
// also when the run is interrupted), URLs that point Keyway at it, and the CPU of the database
// backends that serve it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { cpuSeconds, onCleanup } from './processes.mjs';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function databaseUrl(env = process.env) {
  return env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL;
}

async function withClient(url, work, timeoutMs = 3_000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'keyway-bench-admin' });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** undefined when `url` answers `SELECT 1`, else the reason. */
export async function unreachable(url) {
  try {
    await withClient(url, (c) => c.query('SELECT 1'));
    return undefined;
  } catch (err) {
    return err instanceof Error && err.message ? err.message : String(err);
  }
}

/**
 * Creates `keyway_bench_<hex>` and registers its removal for an interrupted run.
 * @returns {Promise<{schema, appName, url: (extra?: string) => string, drop: () => Promise<void>}>}
 */
export async function createBenchSchema(baseUrl) {
  const hex = randomBytes(6).toString('hex');
  const schema = `keyway_bench_${hex}`;
  // Every pooled connection of the Keyway instances carries this name, so the backends serving
  // this run (and only those) can be found in pg_stat_activity.
  const appName = `keyway-bench-${hex}`;
  await withClient(baseUrl, (c) => c.query(`CREATE SCHEMA ${schema}`));
  // One drop, whoever asks first (the run's end or an interrupt); later callers wait for it.
  let dropping;
  const drop = () =>
    (dropping ??= withClient(baseUrl, async (c) => {
      await c.query(`SET lock_timeout = '10s'`);
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }, 5_000));
  const unregister = onCleanup(drop);
  return {
    schema,
    appName,
    /** The database URL with `options=-c search_path=<schema>[ extra]` and the run's application_name. */
    url(extraOptions = '') {
      const parsed = new URL(baseUrl);
      parsed.searchParams.set('options', `-c search_path=${schema}${extraOptions ? ` ${extraOptions}` : ''}`);
      parsed.searchParams.set('application_name', appName);
      return parsed.toString();
    },
    async drop() {
      unregister();
      await drop();
    },
  };
}

/** The process ids of the backends serving connections named `appName` (same machine only). */
export async function backendPids(baseUrl, appName) {
  try {
    return await withClient(baseUrl, async (c) => (await c.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [appName])).rows.map((r) => r.pid));
  } catch {
    return [];
  }
}

/** CPU seconds used so far by `pids` (null when none can be read, e.g. a database on another machine). */
export function sumCpuSeconds(pids) {
  let total = 0;
  let seen = 0;
  for (const pid of pids) {
    const s = cpuSeconds(pid);
    if (s !== null) {
      total += s;
      seen += 1;
    }
  }
  return seen === 0 ? null : total;
}
