/**
 * Worker-thread side of the jti writer: its own connection to the database file, where each
 * batch of jti records is committed in one transaction (one fsync, synchronous=FULL) while the
 * main thread keeps serving requests. Each record is one statement, which SQLite makes atomic on
 * its own: a record that fails leaves the others of its batch as they were, without a savepoint
 * around each. An error that ends the whole transaction instead (SQLite rolls back on some I/O
 * and memory errors) fails the whole batch. When another connection (another process's writer)
 * holds the write lock, the batch waits for it in sub-millisecond steps (./busy-retry.ts) rather
 * than by SQLite's busy handler.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recordJti } from '../areas/client-auth.js';
import { EnvScoped } from '../sql/scoped.js';
import { retryWhileBusy } from './busy-retry.js';
import { Connection } from './connection.js';
import { sqliteDialect } from './dialect.js';
import { runSync } from './engine.js';
import { unpackJobs, type JtiBatch, type JtiJob, type JtiOutcome, type SerializedError, type WorkerReply } from './jti-batch.js';

const conn = new Connection((workerData as { path: string }).path);
// A lock taken elsewhere answers SQLITE_BUSY at once; retryWhileBusy waits for it, in finer steps.
conn.db.pragma('busy_timeout = 0');
// Only the record's own expiry and `now` are written: the store clock is never read here.
const db = { scoped: new EnvScoped(sqliteDialect), dialect: sqliteDialect, now: () => new Date().toISOString(), environmentTables: [] };

function serialize(err: unknown): SerializedError {
  const e = err as { code?: unknown; message?: unknown; name?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

function recordOne(job: JtiJob): JtiOutcome {
  try {
    return runSync(conn, recordJti(db, job.environmentId, job.clientId, job.jti, job.expiresAt, job.now));
  } catch (err) {
    if (!conn.db.inTransaction) throw err;
    return serialize(err);
  }
}

/** One transaction for a batch, made once: better-sqlite3 builds a transaction function's wrappers anew on each `transaction()`. */
const commitBatch = conn.db.transaction((jobs: readonly JtiJob[]): JtiOutcome[] => jobs.map(recordOne));

parentPort?.on('message', (message: JtiBatch) => {
  let reply: WorkerReply;
  try {
    // BEGIN IMMEDIATE takes the write lock before any record is written: a batch refused it is tried again whole.
    reply = { seq: message.seq, outcomes: retryWhileBusy(() => commitBatch.immediate(unpackJobs(message.jobs))) };
  } catch (err) {
    reply = { seq: message.seq, error: serialize(err) };
  }
  parentPort?.postMessage(reply);
});
