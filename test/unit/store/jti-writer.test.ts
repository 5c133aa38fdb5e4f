/**
 * The SQLite jti writer (src/store/sqlite/jti-writer.ts, jti-worker.ts): how records travel to
 * the worker thread, what one record's failure does to the rest of its batch, and how a batch
 * waits for a write lock held by another connection (src/store/sqlite/busy-retry.ts). The
 * contract suite checks what a jti record means; this checks the batching it rests on. Last, the
 * store's own writes on the event loop's thread, which never sleep in SQLite's busy handler
 * while another connection (this writer's thread, another worker process) holds the lock: they
 * wait on timers, so the process goes on serving, and commit once the lock is free.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { packJobs, unpackJobs, type JtiBatch, type JtiJob } from '../../../src/store/sqlite/jti-batch.js';
import { JtiWriter, MAX_JTI_BATCH } from '../../../src/store/sqlite/jti-writer.js';
import { StoreUnavailable } from '../../../src/store/types.js';
import { environmentBundle, organization } from '../../support/store-fixtures.js';

let dir: string;
let path: string;
let environmentId: string;
let organizationId: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyway-jti-writer-'));
  path = join(dir, 'keyway.db');
  const store = await openSqliteStore(path);
  await store.migrate();
  const org = organization();
  const env = environmentBundle(org.id);
  await store.createOrganization(org);
  await store.createEnvironment(env);
  environmentId = env.environment.id;
  organizationId = org.id;
  await store.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const expiresAt = new Date(Date.now() + 600_000).toISOString();
const job = (jti: string, env = environmentId): JtiJob => ({ environmentId: env, clientId: 'client', jti, expiresAt, now: new Date().toISOString() });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The batches posted to any worker while `run` runs: how many records each carried. */
async function batchesOf(run: () => Promise<unknown>): Promise<number[]> {
  const sizes: number[] = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
    const jobs = (message as Partial<JtiBatch>).jobs;
    if (Array.isArray(jobs)) sizes.push(unpackJobs(jobs).length);
    return (post as (...args: unknown[]) => void).call(this, message, ...rest);
  } as typeof post;
  try {
    await run();
  } finally {
    Worker.prototype.postMessage = post;
  }
  return sizes;
}

describe('SQLite jti writer', () => {
  test('a batch reaches the worker record by record as it was submitted, whatever characters a jti holds', () => {
    const jobs = [job('plain'), job('with\u0000nul, commas; and \u00e9\u{1f511}'), job(''), job('x'.repeat(1000), '00000000-0000-4000-8000-000000000000')];
    const batch = structuredClone(packJobs(9, jobs));
    assert.equal(batch.seq, 9);
    assert.ok(batch.jobs.every((field) => typeof field === 'string'), 'strings only, no object per record');
    assert.deepEqual(unpackJobs(batch.jobs), jobs);
  });

  test('records that arrive while a batch is with the worker travel together as the next batch', async () => {
    const writer = new JtiWriter(path);
    try {
      const sizes = await batchesOf(async () => {
        const pending = [writer.record(job('a1')), writer.record(job('a2'))];
        // Each record below arrives in a later turn of the loop, while the first batch is with
        // the worker (which is still starting: its first batch takes far longer than a turn).
        for (const jti of ['b1', 'b2', 'b3']) {
          await nextTurn();
          pending.push(writer.record(job(jti)));
        }
        assert.deepEqual(await Promise.all(pending), [true, true, true, true, true]);
      });
      assert.deepEqual(sizes, [2, 3]);
    } finally {
      await writer.close();
    }
  });

  test(`a batch carries at most ${MAX_JTI_BATCH} records; the rest follow in the next`, async () => {
    const writer = new JtiWriter(path);
    try {
      const count = MAX_JTI_BATCH + 7;
      const sizes = await batchesOf(async () => {
        const results = await Promise.all(Array.from({ length: count }, (_, i) => writer.record(job(`many-${i}`))));
        assert.equal(results.filter(Boolean).length, count);
      });
      assert.deepEqual(sizes, [MAX_JTI_BATCH, 7]);
    } finally {
      await writer.close();
    }
  });

  test('a record that fails fails alone: the others of its batch are committed and answered', async () => {
    const writer = new JtiWriter(path);
    try {
      const sizes = await batchesOf(async () => {
        // An unknown environment breaks the foreign key: that one statement fails (SQLite's
        // statement atomicity), inside a batch with a fresh record and a replay.
        await writer.record(job('seen'));
        const outcomes = await Promise.allSettled([writer.record(job('fresh')), writer.record(job('orphan', '00000000-0000-4000-8000-000000000000')), writer.record(job('seen'))]);
        assert.deepEqual(outcomes[0], { status: 'fulfilled', value: true });
        assert.equal(outcomes[1]?.status, 'rejected');
        assert.deepEqual(outcomes[2], { status: 'fulfilled', value: false }, 'a replay is refused');
      });
      assert.deepEqual(sizes, [1, 3]);
    } finally {
      await writer.close();
    }
    const raw = new Database(path, { readonly: true });
    try {
      const jtis = raw.prepare('SELECT jti FROM assertion_jtis WHERE jti IN (?, ?, ?) ORDER BY jti').pluck().all('fresh', 'orphan', 'seen');
      assert.deepEqual(jtis, ['fresh', 'seen']);
    } finally {
      raw.close();
    }
  });

  test("a batch that finds the write lock taken by another connection (another process's writer) waits for it and commits", async () => {
    const writer = new JtiWriter(path);
    const other = new Database(path);
    try {
      await writer.record(job('lock-warm-up'));
      other.exec('BEGIN IMMEDIATE');
      const waiting = writer.record(job('lock-waiter'));
      // The worker's BEGIN IMMEDIATE is refused (SQLITE_BUSY) for as long as the lock is held here.
      await new Promise((resolve) => setTimeout(resolve, 200));
      other.exec('COMMIT');
      assert.equal(await waiting, true, 'committed once the lock was free, not failed');
      assert.equal(await writer.record(job('lock-waiter')), false, 'and recorded: a replay is refused');
    } finally {
      other.close();
      await writer.close();
    }
  });

  test('a closed writer refuses records, and what was waiting fails as unavailable', async () => {
    const writer = new JtiWriter(path);
    const waiting = writer.record(job('closing'));
    await writer.close();
    await assert.rejects(waiting, StoreUnavailable);
    await assert.rejects(writer.record(job('after')), StoreUnavailable);
  });
});

describe('SQLite store on the event loop\'s thread', () => {
  const HELD_MS = 200;

  test(`writes wait for a lock held elsewhere for ${HELD_MS} ms without blocking the event loop, then commit`, async () => {
    const store = await openSqliteStore(path);
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const env = environmentBundle(organizationId);
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
      await store.close();
    }
  });
});
