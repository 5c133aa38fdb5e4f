/**
 * The change feed of an SQLite file shared by several processes (src/store/sqlite/change-log.ts,
 * migration 0014): a store opened with `shared` reads the writes another connection committed,
 * in order, as soon as it catches up; a rolled-back write is never read; more rows than it
 * applies one by one, or a hole left by pruning, drop every cache; the log keeps its last
 * 10,000 rows. A store opened without `shared` (one process) offers no feed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ChangeFeed, ConfigChange } from '../../src/store/types.js';
import { applicationBundle } from '../support/store-fixtures.js';
import { seedTwoEnvironments } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'keyway-change-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function pair(): Promise<{ writer: SqliteStore; reader: SqliteStore; raw: Database.Database; feed: ChangeFeed; received: ConfigChange[]; listened: number[]; close(): Promise<void> }> {
  const path = join(dir, `store-${(files += 1)}.db`);
  const writer = await openSqliteStore(path);
  const reader = await openSqliteStore(path, { shared: true });
  const raw = new Database(path);
  const received: ConfigChange[] = [];
  const listened: number[] = [];
  assert.ok(reader.openChangeFeed, 'a shared store offers its change feed');
  const feed = reader.openChangeFeed({ changed: (c) => void received.push(c), listening: () => void listened.push(Date.now()), lost: () => {} });
  return {
    writer,
    reader,
    raw,
    feed,
    received,
    listened,
    async close() {
      await feed.close();
      raw.close();
      await reader.close();
      await writer.close();
    },
  };
}

describe('SQLite change log (KEYWAY_WORKERS)', () => {
  it('a store for one process offers no feed', async () => {
    const store = await openSqliteStore(join(dir, 'alone.db'));
    try {
      assert.equal(store.openChangeFeed, undefined);
    } finally {
      await store.close();
    }
  });

  it("applies another connection's committed writes in order at the next catch-up; nothing earlier, nothing rolled back", async () => {
    const p = await pair();
    try {
      const { envA, envB } = await seedTwoEnvironments(p.writer);
      assert.equal(p.feed.listening, true);
      assert.equal(p.listened.length, 1, 'listening once, at start');
      p.feed.catchUp?.();
      assert.deepEqual(p.received.filter((c) => c.kind === 'application'), [], 'only writes after the start are read');
      p.received.length = 0;
      const bundle = applicationBundle(envA);
      await p.writer.createApplication(envA, bundle);
      assert.equal(p.received.length, 0, 'read on demand only');
      p.feed.catchUp?.();
      const appId = bundle.application.id;
      assert.ok(p.received.length >= 1);
      assert.ok(p.received.every((c) => c.kind === 'application' && c.environmentId === envA && c.applicationId === appId), JSON.stringify(p.received));
      p.received.length = 0;

      p.raw.exec('BEGIN');
      p.raw.prepare('UPDATE applications SET version = version + 1 WHERE environment_id = ? AND id = ?').run(envA, appId);
      p.raw.exec('ROLLBACK');
      p.feed.catchUp?.();
      assert.equal(p.received.length, 0, 'a rolled-back write is not in the log');

      p.raw.prepare('UPDATE environments SET version = version + 1 WHERE id = ?').run(envB);
      p.raw.prepare('UPDATE applications SET version = version + 1 WHERE environment_id = ? AND id = ?').run(envA, appId);
      p.feed.catchUp?.();
      assert.deepEqual(p.received, [
        { kind: 'environment', environmentId: envB },
        { kind: 'application', environmentId: envA, applicationId: appId },
      ]);
    } finally {
      await p.close();
    }
  });

  it('more than 256 rows at once, or a hole left by pruning, drop every cache; the log keeps its last 10,000 rows', async () => {
    const p = await pair();
    try {
      const { envA } = await seedTwoEnvironments(p.writer);
      p.feed.catchUp?.();
      p.received.length = 0;
      const bump = p.raw.prepare('UPDATE environments SET version = version + 1 WHERE id = ?');
      p.raw.transaction(() => {
        for (let i = 0; i < 300; i++) bump.run(envA);
      })();
      p.feed.catchUp?.();
      assert.deepEqual(p.received, [{ kind: 'all' }]);
      p.received.length = 0;
      p.feed.catchUp?.();
      assert.equal(p.received.length, 0, 'caught up past the burst');

      bump.run(envA);
      bump.run(envA);
      const first = (p.raw.prepare('SELECT min(seq) AS seq FROM config_changes WHERE seq > (SELECT max(seq) - 2 FROM config_changes)').get() as { seq: number }).seq;
      p.raw.prepare('DELETE FROM config_changes WHERE seq = ?').run(first);
      p.feed.catchUp?.();
      assert.deepEqual(p.received, [{ kind: 'all' }], 'a row missed is a hole: everything is dropped');

      p.raw.transaction(() => {
        for (let i = 0; i < 10_050; i++) bump.run(envA);
      })();
      const { n, span } = p.raw.prepare('SELECT count(*) AS n, max(seq) - min(seq) + 1 AS span FROM config_changes').get() as { n: number; span: number };
      assert.equal(n, 10_000);
      assert.equal(span, 10_000);
    } finally {
      await p.close();
    }
  });
});
