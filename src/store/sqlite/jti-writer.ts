/**
 * Records client-assertion jtis for a file-backed SQLite store on a worker thread (see
 * jti-worker.ts). One batch is with the worker at a time, and the records submitted while it
 * commits travel together as the next batch (src/threads/batch-queue.ts): a commit, a message each
 * way and a wake-up of each thread are shared by many requests instead of a few, and each caller
 * hears back only after its row is durable. The worker's connection writes to the same WAL
 * database, so every other process and connection sees the rows at once.
 */
import { BatchThread } from '../../threads/batch-thread.js';
import { startWorker } from '../../threads/start-worker.js';
import { BatchQueue, type Outcome } from '../../threads/batch-queue.js';
import { StoreUnavailable } from '../types.js';
import { mapSqliteError } from './errors.js';
import { packJobs, type JtiJob, type SerializedError, type WorkerReply } from './jti-batch.js';

/** The most records one batch carries; more wait for the next. */
export const MAX_JTI_BATCH = 512;

export class JtiWriter {
  /** One batch is with the worker at a time (src/threads/batch-queue.ts). */
  private readonly batches = new BatchQueue<JtiJob, boolean>((jobs) => this.commit(jobs), MAX_JTI_BATCH);
  private readonly thread: BatchThread<WorkerReply>;

  constructor(path: string) {
    // A worker that dies takes its batch with it: its rows may or may not be durable, so it fails
    // as unavailable (the request answers 503 and issues nothing), and so do the records waiting;
    // the next batch starts a new worker.
    const lost = (cause: Error): StoreUnavailable => {
      const unavailable = new StoreUnavailable('the jti writer stopped', { cause });
      this.batches.failWaiting(unavailable);
      return unavailable;
    };
    this.thread = new BatchThread(() => startWorker(import.meta.url, 'jti-worker', { workerData: { path } }), { lost, holdWhenIdle: true });
  }

  record(job: JtiJob): Promise<boolean> {
    return this.batches.submit(job);
  }

  async close(): Promise<void> {
    this.batches.close(new StoreUnavailable('the SQLite store is closed'));
    await this.thread.stop(new StoreUnavailable('the SQLite store was closed'));
  }

  /** Hands one batch to the worker; answers when its transaction has committed (or failed). */
  private async commit(jobs: readonly JtiJob[]): Promise<Array<Outcome<boolean>>> {
    const reply = await this.thread.post((seq) => packJobs(seq, jobs));
    if ('error' in reply) throw mapSqliteError(revive(reply.error));
    return reply.outcomes.map((o) => (typeof o === 'boolean' ? { ok: true, value: o } : { ok: false, error: mapSqliteError(revive(o)) }));
  }
}

function revive(e: SerializedError): Error {
  const err = e.name === 'TypeError' ? new TypeError(e.message) : new Error(e.message);
  if (e.code !== undefined) Object.assign(err, { code: e.code });
  return err;
}
