/**
 * The SQLite store on the event loop's thread never sleeps in SQLite's busy handler
 * (src/store/sqlite/sqlite-store.ts, busy-retry.ts): while another connection (the jti writer's
 * thread, another worker process) holds the file's write lock, a write waits on timers, so the
 * process goes on serving, and it commits once the lock is free.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { environmentBundle, organization } from '../../support/store-fixtures.js';

let dir: string;
let path: string;
let store: SqliteStore;
let orgId: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyway-lock-wait-'));
  path = join(dir, 'keyway.db');
  store = await openSqliteStore(path);
  const org = organization();
  await store.createOrganization(org);
  orgId = org.id;
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const HELD_MS = 200;

test(`writes wait for a lock held elsewhere for ${HELD_MS} ms without blocking the event loop, then commit`, async () => {
  const other = new Database(path);
  try {
    other.exec('BEGIN IMMEDIATE');
    const env = environmentBundle(orgId);
    // An atomic write (one BEGIN IMMEDIATE transaction) and a plain one (one statement).
    const writes = Promise.all([store.createEnvironment(env), store.deleteApplicationAttribute(env.environment.id, 'no-such-app', 'no-such-attribute')]);
    let ticks = 0;
    const ticking = setInterval(() => void (ticks += 1), 5);
    await new Promise((resolve) => setTimeout(resolve, HELD_MS));
    clearInterval(ticking);
    other.exec('COMMIT');
    const [, deleted] = await writes;
    // Blocked in SQLite's busy handler, the loop would have run no timer until the lock was free.
    assert.ok(ticks >= 10, `the event loop ran ${ticks} timers of 5 ms while the lock was held`);
    assert.equal(deleted, false);
    assert.equal((await store.getEnvironment(env.environment.id))?.id, env.environment.id, 'the atomic write committed');
  } finally {
    other.close();
  }
});
