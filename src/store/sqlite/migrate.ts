/**
 * Applies the SQLite migrations. Each pending migration runs in its own `BEGIN IMMEDIATE`
 * transaction together with its `schema_migrations` row, so when several processes open the
 * same file at once one migrates while the others wait (busy_timeout), then re-check the table
 * inside their own transaction and find nothing left to do.
 */
import { sqliteMigrations } from '../migrations/index.js';
import { assertMigrationList, pendingMigrations, type AppliedMigration, type Migration, type MigrationStatus } from '../migrator.js';
import type { Connection } from './connection.js';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL,
  applied_at  TEXT NOT NULL
) STRICT`;

interface MigrationRow {
  version: number;
  name: string;
  applied_at: string;
}

function tableExists(conn: Connection): boolean {
  return conn.get("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") !== undefined;
}

function applied(conn: Connection): AppliedMigration[] {
  if (!tableExists(conn)) return [];
  return conn
    .all<MigrationRow>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
    .map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at }));
}

export function sqliteMigrationStatus(conn: Connection, migrations: readonly Migration[] = sqliteMigrations): MigrationStatus {
  const done = conn.read(() => applied(conn));
  return { applied: done, pending: pendingMigrations(migrations, done) };
}

/** Applies every pending migration; returns the versions this call applied. */
export function migrateSqlite(
  conn: Connection,
  now: () => string = () => new Date().toISOString(),
  migrations: readonly Migration[] = sqliteMigrations,
): number[] {
  assertMigrationList(migrations);
  // Fast path without the write lock: an up-to-date database needs nothing.
  if (sqliteMigrationStatus(conn, migrations).pending.length === 0) return [];
  const done: number[] = [];
  for (const migration of migrations) {
    const appliedNow = conn.write(() => {
      conn.db.exec(CREATE_TABLE);
      // Re-checked under the lock: another process may have applied it meanwhile.
      if (pendingMigrations(migrations, applied(conn)).every((m) => m.version !== migration.version)) return false;
      conn.db.exec(migration.sql);
      conn.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        now(),
      ]);
      return true;
    });
    if (appliedNow) done.push(migration.version);
  }
  return done;
}
