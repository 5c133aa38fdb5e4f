/**
 * Runs the store contract against SQLite (in memory and on a file), then checks what only the
 * SQLite store has: its migration list, the schema_migrations table, several processes
 * migrating one file or recording one jti in it, and the mapping of file-level failures to
 * StoreUnavailable.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sqliteMigrations } from '../../src/store/migrations/index.js';
import { Connection } from '../../src/store/sqlite/connection.js';
import { migrateSqlite } from '../../src/store/sqlite/migrate.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreUnavailable } from '../../src/store/types.js';
import { environmentBundle, organization } from '../support/store-fixtures.js';
import { runStoreContract } from './contract.js';
import { ROWS_1 } from './migration-data/0001_init.js';
import { migrationDataCases } from './migration-data/index.js';
import { clientAuthMigrationCases } from './migration-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keyway-store-'));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.db`);
after(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite :memory:', () => openSqliteStore(':memory:'));

/**
 * A new file holding an empty, migrated database for each contract case: a copy of one file
 * migrated once (a closed SQLite database is its file, with its WAL if one is left), instead of
 * running every migration with its fsyncs for each case.
 */
let template: string | undefined;
async function migratedFile(): Promise<string> {
  if (template === undefined) {
    const path = freshFile();
    await (await openSqliteStore(path)).close();
    template = path;
  }
  const path = freshFile();
  copyFileSync(template, path);
  if (existsSync(`${template}-wal`)) copyFileSync(`${template}-wal`, `${path}-wal`);
  return path;
}

runStoreContract('sqlite file', async () => openSqliteStore(await migratedFile()), {
  async freshDatabase() {
    const path = freshFile();
    return { open: () => openSqliteStore(path, { migrate: false }) };
  },
});

const migrationsDir = fileURLToPath(new URL('../../src/store/migrations/', import.meta.url));
const storeModule = new URL('../../src/store/sqlite/sqlite-store.ts', import.meta.url).href;

clientAuthMigrationCases('sqlite', async () => {
  const path = freshFile();
  const conn = new Connection(path);
  try {
    migrateSqlite(conn, undefined, sqliteMigrations.slice(0, 1));
    conn.db.exec(ROWS_1);
  } finally {
    conn.close();
  }
  return openSqliteStore(path, { migrate: false });
});

migrationDataCases({ engine: 'sqlite' });

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a child prints once it is ready to start; it then waits for a line on its stdin. */
const READY = 'ready\n';

/** Script line that reports the child ready and waits for the signal to go on (`startTogether`). */
const awaitGo = `process.stdout.write(${JSON.stringify(READY)}); await new Promise((resolve) => process.stdin.once('data', resolve)); process.stdin.destroy();`;

/**
 * Runs ES module `scripts` (TypeScript through tsx), one Node process each, and lets them past
 * their `awaitGo` line together once every one of them has reached it, so that what follows runs
 * in all of them at once. Resolves with each child's exit code and output (stdout without READY).
 */
async function startTogether(scripts: string[]): Promise<ChildResult[]> {
  const children = scripts.map((script) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let markReady = (): void => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith(READY)) markReady();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => {});
    const done = new Promise<ChildResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        markReady(); // a child that dies early must not hold the others back
        resolve({ code, stdout: stdout.startsWith(READY) ? stdout.slice(READY.length) : stdout, stderr });
      });
    });
    return { child, ready, done };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const { child } of children) child.stdin.end('go\n');
  return Promise.all(children.map((c) => c.done));
}

/** A script that opens and migrates `path` (new) once all its siblings are ready. */
function migrateScript(path: string): string {
  return `
    const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
    ${awaitGo}
    const store = await openSqliteStore(${JSON.stringify(path)});
    await store.ping();
    await store.close();`;
}

/**
 * A script that records jtis `jti-0`…`jti-<count-1>` of one client once all its siblings are
 * ready; it prints the results as a JSON array of booleans.
 */
function recordJtisScript(path: string, environmentId: string, count: number): string {
  return `
    const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
    const store = await openSqliteStore(${JSON.stringify(path)}, { migrate: false });
    ${awaitGo}
    const results = [];
    for (let i = 0; i < ${count}; i++) {
      const now = new Date().toISOString();
      results.push(await store.recordAssertionJti(${JSON.stringify(environmentId)}, 'client', 'jti-' + i, '2999-01-01T00:00:00.000Z', now));
    }
    await store.close();
    process.stdout.write(JSON.stringify(results));`;
}

describe('sqlite store specifics', () => {
  it('lists every migration file of the folder, numbered in order', () => {
    const onDisk = readdirSync(migrationsDir)
      .filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(f))
      .sort()
      .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -3) }));
    assert.deepEqual(
      sqliteMigrations.map(({ version, name }) => ({ version, name })),
      onDisk,
    );
  });

  it('records each applied migration once in schema_migrations, and uses WAL', async () => {
    const path = freshFile();
    const store = await openSqliteStore(path);
    await store.migrate();
    const status = await store.migrationStatus();
    assert.deepEqual(status.pending, []);
    assert.deepEqual(
      status.applied.map(({ version, name }) => ({ version, name })),
      sqliteMigrations.map(({ version, name }) => ({ version, name })),
    );
    await store.close();
    const raw = new Database(path, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal((raw.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, sqliteMigrations.length);
    } finally {
      raw.close();
    }
  });

  it('lets several processes open and migrate one new file at once', async () => {
    const path = freshFile();
    const results = await startTogether(Array.from({ length: 4 }, () => migrateScript(path)));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const store = await openSqliteStore(path);
    try {
      assert.equal((await store.migrationStatus()).applied.length, sqliteMigrations.length);
      await store.createOrganization(organization());
    } finally {
      await store.close();
    }
  });

  it('lets exactly one of several processes record each jti in one file', async () => {
    const path = freshFile();
    const store = await openSqliteStore(path);
    const org = organization();
    const env = environmentBundle(org.id);
    try {
      await store.createOrganization(org);
      await store.createEnvironment(env);
    } finally {
      await store.close();
    }
    const count = 25;
    const children = await startTogether(Array.from({ length: 4 }, () => recordJtisScript(path, env.environment.id, count)));
    for (const child of children) assert.equal(child.code, 0, child.stderr);
    const results = children.map((child) => JSON.parse(child.stdout) as boolean[]);
    for (let i = 0; i < count; i++) {
      assert.equal(results.filter((r) => r[i] === true).length, 1, `jti-${i} recorded by exactly one process`);
    }
  });

  it('refuses a database migrated by a newer build', async () => {
    const path = freshFile();
    await (await openSqliteStore(path)).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')").run();
    raw.close();
    await assert.rejects(openSqliteStore(path), /newer than this build/);
  });

  it('maps files that cannot be opened or are not databases to StoreUnavailable', async () => {
    await assert.rejects(openSqliteStore(join(dir, 'no-such-dir', 'x.db')), StoreUnavailable);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database '.repeat(100));
    await assert.rejects(openSqliteStore(junk), StoreUnavailable);
  });
});
