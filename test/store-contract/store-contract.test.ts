/**
 * Runs the store contract against SQLite (in memory and on a file), then checks what only the
 * SQLite store has: its migration list, the schema_migrations table, several processes
 * migrating one file, and the mapping of file-level failures to StoreUnavailable.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sqliteMigrations } from '../../src/store/migrations/sqlite/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreUnavailable } from '../../src/store/types.js';
import { organization } from '../support/store-fixtures.js';
import { runStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'keyway-store-'));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.db`);
after(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite :memory:', () => openSqliteStore(':memory:'));

runStoreContract('sqlite file', () => openSqliteStore(freshFile()), {
  async freshDatabase() {
    const path = freshFile();
    return { open: () => openSqliteStore(path, { migrate: false }) };
  },
});

const migrationsDir = fileURLToPath(new URL('../../src/store/migrations/sqlite/', import.meta.url));
const storeModule = new URL('../../src/store/sqlite/sqlite-store.ts', import.meta.url).href;

/**
 * Opens and migrates `path` in a separate Node process once the clock reaches `startAt`, so that
 * several children hit the new file together; resolves with the exit code and stderr.
 */
function migrateInChild(path: string, startAt: number): Promise<{ code: number | null; stderr: string }> {
  const script = `
    const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
    await new Promise((resolve) => setTimeout(resolve, ${startAt} - Date.now()));
    const store = await openSqliteStore(${JSON.stringify(path)});
    await store.ping();
    await store.close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
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
    const startAt = Date.now() + 3000;
    const results = await Promise.all(Array.from({ length: 4 }, () => migrateInChild(path, startAt)));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const store = await openSqliteStore(path);
    try {
      assert.equal((await store.migrationStatus()).applied.length, sqliteMigrations.length);
      await store.createOrganization(organization());
    } finally {
      await store.close();
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
