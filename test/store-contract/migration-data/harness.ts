/**
 * The plumbing of the migration data tests: a scratch database per case on each engine, the
 * runner that walks it up version by version writing each version's rows, and the check that
 * every migration of the engine's list has a case. The cases themselves live beside this file,
 * one module per migration, named like the migration files.
 *
 * The SQL is the same for both engines: booleans are written as the quoted literals '1' and
 * '0', which SQLite's STRICT INTEGER columns and PostgreSQL's boolean columns both accept.
 * Each case has its own database: an SQLite file in a new temporary folder, or a PostgreSQL
 * schema with a random suffix, removed when the case ends.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import type { Migration, MigrationStatus } from '../../../src/store/migrator.js';
import { postgresMigrations, sqliteMigrations } from '../../../src/store/migrations/index.js';
import { ensureSchema, migratePostgres } from '../../../src/store/postgres/migrate.js';
import { PgDatabase, poolConfig } from '../../../src/store/postgres/pool.js';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { Connection } from '../../../src/store/sqlite/connection.js';
import { migrateSqlite } from '../../../src/store/sqlite/migrate.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/types.js';

/** Where the cases run: SQLite files, or fresh schemas of the PostgreSQL database at `url`. */
export type MigrationDataTarget = { engine: 'sqlite' } | { engine: 'postgres'; url: string };

/** Both engines' stores report their migrations. */
export type MigratedStore = Store & { migrationStatus(): Promise<MigrationStatus> };

/** A new database of one case, reachable outside any store. */
export interface ScratchDatabase {
  /** Applies the engine's migrations 1 … `version` not applied yet. */
  migrateTo(version: number): Promise<void>;
  /** Runs fixture SQL (several statements) on its own connection. */
  exec(sql: string): Promise<void>;
  /** A store on the database that does not migrate when opened. */
  open(): Promise<MigratedStore>;
  /**
   * A store on the database as one of several processes sharing it opens it (KEYWAY_WORKERS):
   * with the change feed (SQLite's change log of 0014; PostgreSQL's stores always have one).
   */
  openShared(): Promise<MigratedStore>;
  /** Removes the database. */
  drop(): Promise<void>;
}

export interface Engine {
  name: string;
  migrations: readonly Migration[];
  /** Whether the database announces configuration changes itself (PostgreSQL's triggers of 0005). */
  announcesChanges: boolean;
  fresh(): Promise<ScratchDatabase>;
}

export interface CaseContext {
  store: MigratedStore;
  db: ScratchDatabase;
  engine: Engine;
}

export interface MigrationCase {
  version: number;
  name: string;
  /**
   * Rows that exist at this version, as plain SQL valid at it: written right after the database
   * reaches this version, so every later migration runs over them. Every version below head has some.
   */
  rows?: string;
  /** Reads `rows` back at head through the store: the exact records they stand for. */
  readBack?(store: Store): Promise<void>;
  /** Rows written at the version before this migration for its own checks only (SQL valid there). */
  before?: string;
  /** What this migration promises, checked at head on the rows written before it. */
  promises(context: CaseContext): Promise<void>;
}

/** Fixture SQL is written raw: backslashes stay in the text, as JSON escapes need. */
export const sql = String.raw;

/** The `now` given to the store methods that take one: after every fixture instant, before every expiry. */
export const NOW = '2026-06-01T00:00:00.000Z';
export const FAR = '2999-01-01T00:00:00.000Z';
export const page = { limit: 100 };

const versionsAndNames = (list: readonly { version: number; name: string }[]) => list.map(({ version, name }) => ({ version, name }));
const label = (c: { version: number; name: string }) => `${String(c.version).padStart(4, '0')}_${c.name}`;

/**
 * Runs case `c` of `cases`: the database walked up to the version before it, rows written on the
 * way, then head.
 */
async function runCase(engine: Engine, cases: readonly MigrationCase[], c: MigrationCase): Promise<void> {
  const db = await engine.fresh();
  try {
    const last = Math.max(1, c.version - 1);
    const written = cases.filter((w) => w.version <= last);
    for (const w of written) {
      await db.migrateTo(w.version);
      if (w.rows) await db.exec(w.rows);
    }
    if (c.before) await db.exec(c.before);
    const store = await db.open();
    try {
      await store.migrate();
      const status = await store.migrationStatus();
      assert.deepEqual(status.pending, []);
      assert.deepEqual(versionsAndNames(status.applied), versionsAndNames(engine.migrations));
      for (const w of written) await w.readBack?.(store);
      await c.promises({ store, db, engine });
    } finally {
      await store.close();
    }
  } finally {
    await db.drop();
  }
}

function sqliteEngine(): Engine {
  return {
    name: 'sqlite',
    migrations: sqliteMigrations,
    announcesChanges: false,
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'keyway-migration-data-'));
      const path = join(dir, 'store.db');
      const withConnection = async (work: (conn: Connection) => void): Promise<void> => {
        const conn = new Connection(path);
        try {
          work(conn);
        } finally {
          conn.close();
        }
      };
      return {
        migrateTo: (version) => withConnection((conn) => void migrateSqlite(conn, undefined, sqliteMigrations.slice(0, version))),
        exec: (text) => withConnection((conn) => conn.db.exec(text)),
        open: () => openSqliteStore(path, { migrate: false }),
        openShared: () => openSqliteStore(path, { migrate: false, shared: true }),
        async drop() {
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

function postgresEngine(url: string): Engine {
  /** Runs `work` on a plain client whose search_path is `schema` (or the default one). */
  async function onClient(schema: string | undefined, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
    const client = new pg.Client(poolConfig(url, schema));
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
  return {
    name: 'postgres',
    migrations: postgresMigrations,
    announcesChanges: true,
    async fresh() {
      const schema = `keyway_migration_data_${process.pid}_${randomBytes(5).toString('hex')}`;
      const withDatabase = async (work: (db: PgDatabase) => Promise<unknown>): Promise<void> => {
        const db = new PgDatabase(url, schema);
        try {
          await work(db);
        } finally {
          await db.close();
        }
      };
      await withDatabase((db) => ensureSchema(db, schema));
      return {
        migrateTo: (version) => withDatabase((db) => migratePostgres(db, undefined, postgresMigrations.slice(0, version))),
        // Without parameters the statements go as one simple query: several at once, in one transaction.
        exec: (text) => onClient(schema, (client) => client.query(text)),
        open: () => openPostgresStore(url, { schema, migrate: false }),
        openShared: () => openPostgresStore(url, { schema, migrate: false }),
        drop: () => onClient(undefined, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
      };
    },
  };
}

/**
 * Registers the data test of every migration on `target`, and the test that every migration of

/**
 * Registers the data test of every case on `target`, and the test that every migration of the
 * engine's list has one: `cases` in version order, one per migration.
 */
export function registerMigrationDataCases(target: MigrationDataTarget, cases: readonly MigrationCase[]): void {
  const engine = target.engine === 'sqlite' ? sqliteEngine() : postgresEngine(target.url);
  describe(`migration data: ${engine.name}`, () => {
    it('has a data case for every migration, and rows written at every version below head', () => {
      assert.deepEqual(versionsAndNames(cases).map(label), versionsAndNames(engine.migrations).map(label));
      assert.deepEqual(versionsAndNames(sqliteMigrations), versionsAndNames(postgresMigrations));
      const head = Math.max(...cases.map((c) => c.version));
      for (const c of cases.filter((c) => c.version < head)) {
        assert.ok(c.rows && c.readBack, `${label(c)} has rows written at its version, and reads them back`);
      }
    });

    for (const c of cases) {
      const before = c.version <= 2 ? 'written at version 1' : `written at versions 1 to ${c.version - 1}`;
      it(`${label(c)}: rows ${before} read back exactly at head, and what it promises holds`, () => runCase(engine, cases, c));
    }
  });
}
