/**
 * Applies the PostgreSQL migrations. Each pending migration runs in its own transaction together
 * with its `schema_migrations` row, after taking a transaction-scoped advisory lock: when several
 * instances start together, one migrates while the others wait on the lock, then re-read the
 * table under it and find nothing left to do. PostgreSQL's DDL is transactional, so a failing
 * migration leaves no half-built schema behind.
 */
import { postgresMigrations } from '../migrations/index.js';
import { assertMigrationList, pendingMigrations, type AppliedMigration, type Migration, type MigrationStatus } from '../migrator.js';
import type { PgDatabase, Queryable, Transaction } from './pool.js';

/**
 * Advisory lock key: a fixed class id (ASCII "KW", 0x4b57) plus a hash of the schema being
 * migrated, so instances sharing one schema serialise while separate schemas do not wait on
 * each other. `coalesce` because a NULL key would make the call return without locking.
 */
const LOCK = `pg_advisory_xact_lock(${0x4b57}, hashtext(coalesce(current_schema(), '')))`;

/** Migrations may rewrite large tables and wait for the lock: the pool's 5 s bound is lifted, to a bound. */
const MIGRATION_STATEMENT_TIMEOUT_MS = 10 * 60_000;
const MIGRATION_STATEMENT_TIMEOUT = `SET LOCAL statement_timeout = ${MIGRATION_STATEMENT_TIMEOUT_MS}`;
/** The client-side bound (pool.ts) is lifted with it, staying a little above. */
const MIGRATION_QUERY_TIMEOUT_MS = MIGRATION_STATEMENT_TIMEOUT_MS + 60_000;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version     integer NOT NULL PRIMARY KEY,
  name        text COLLATE "C" NOT NULL,
  applied_at  text COLLATE "C" NOT NULL
)`;

interface MigrationRow {
  version: number;
  name: string;
  applied_at: string;
}

async function applied(q: Queryable): Promise<AppliedMigration[]> {
  const { rows: exists } = await q.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists[0]?.present) return [];
  const { rows } = await q.query<MigrationRow>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
  return rows.map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at }));
}

export async function postgresMigrationStatus(
  db: Queryable,
  migrations: readonly Migration[] = postgresMigrations,
): Promise<MigrationStatus> {
  const done = await applied(db);
  return { applied: done, pending: pendingMigrations(migrations, done) };
}

/** Applies `migration` unless another instance did first; true when this call applied it. */
async function applyOne(tx: Transaction, migrations: readonly Migration[], migration: Migration, now: () => string): Promise<boolean> {
  await tx.exec(MIGRATION_STATEMENT_TIMEOUT);
  await tx.exec(`SELECT ${LOCK}`);
  await tx.exec(CREATE_TABLE);
  // Re-checked under the lock: another instance may have applied it meanwhile.
  if (pendingMigrations(migrations, await applied(tx)).every((m) => m.version !== migration.version)) return false;
  await tx.exec(migration.sql);
  await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, now()]);
  return true;
}

/** Applies every pending migration; returns the versions this call applied. */
export async function migratePostgres(
  db: PgDatabase,
  now: () => string = () => new Date().toISOString(),
  migrations: readonly Migration[] = postgresMigrations,
): Promise<number[]> {
  assertMigrationList(migrations);
  // Fast path without the lock: an up-to-date schema needs nothing.
  if ((await postgresMigrationStatus(db, migrations)).pending.length === 0) return [];
  const done: number[] = [];
  for (const migration of migrations) {
    const appliedNow = await db.transaction((tx) => applyOne(tx, migrations, migration, now), { queryTimeoutMs: MIGRATION_QUERY_TIMEOUT_MS });
    if (appliedNow) done.push(migration.version);
  }
  return done;
}

/**
 * Creates `schema` when missing. Two instances doing so at once can both pass IF NOT EXISTS and
 * one then fails on the catalog's unique index (23505) or as duplicate_schema (42P06): the schema
 * exists either way, which is all that is asked.
 */
export async function ensureSchema(db: Queryable, schema: string): Promise<void> {
  try {
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw err;
  }
}
