/**
 * Records client-assertion jtis for a file-backed SQLite store on a worker thread (see
 * jti-worker.ts). One batch is with the worker at a time, and the records submitted while it
 * commits travel together as the next batch (src/threads/batch-queue.ts): a commit, a message each
 * way and a wake-up of each thread are shared by many requests instead of a few, and each caller
 * hears back only after its row is durable. The worker's connection writes to the same WAL
 * database, so every other process and connection sees the rows at once.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../threads/start-worker.js';
import { BatchQueue, type Outcome } from '../../threads/batch-queue.js';
import { StoreUnavailable } from '../types.js';
import { mapSqliteError } from './errors.js';

/** The most records one batch carries; more wait for the next. */
export const MAX_JTI_BATCH = 512;

export interface JtiJob {
  environmentId: string;
  clientId: string;
  jti: string;
  expiresAt: string;
  now: string;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type JtiOutcome = { ok: true; recorded: boolean } | { ok: false; error: SerializedError };
export type WorkerReply = { seq: number; outcomes: JtiOutcome[] } | { seq: number; error: SerializedError };

interface InFlight {
  resolve: (outcomes: Array<Outcome<boolean>>) => void;
  reject: (err: unknown) => void;
}

export class JtiWriter {
  private worker: Worker | undefined;
  /** One batch is with the worker at a time (src/threads/batch-queue.ts). */
  private readonly batches = new BatchQueue<JtiJob, boolean>((jobs) => this.commit(jobs), MAX_JTI_BATCH);
  private readonly inFlight = new Map<number, InFlight>();
  private seq = 0;

  constructor(private readonly path: string) {}

  record(job: JtiJob): Promise<boolean> {
    return this.batches.submit(job);
  }

  async close(): Promise<void> {
    this.batches.close(new StoreUnavailable('the SQLite store is closed'));
    const worker = this.worker;
    this.worker = undefined;
    this.failInFlight(new StoreUnavailable('the SQLite store was closed'));
    if (worker) await worker.terminate();
  }

  /** Hands one batch to the worker; answers when its transaction has committed (or failed). */
  private commit(jobs: readonly JtiJob[]): Promise<Array<Outcome<boolean>>> {
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      this.inFlight.set(seq, { resolve, reject });
      this.ensureWorker().postMessage({ seq, jobs });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(import.meta.url, 'jti-worker', { workerData: { path: this.path } });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    // A worker that dies takes its batches with it: their rows may or may not be durable, so
    // they fail as unavailable (the request answers 503 and issues nothing); the next batch
    // starts a new worker.
    const lost = (err: unknown): void => {
      if (this.worker === worker) this.worker = undefined;
      const unavailable = new StoreUnavailable('the jti writer stopped', { cause: err });
      this.failInFlight(unavailable);
      this.batches.failWaiting(unavailable);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.inFlight.get(reply.seq);
    if (!waiting) return;
    this.inFlight.delete(reply.seq);
    if ('error' in reply) waiting.reject(mapSqliteError(revive(reply.error)));
    else waiting.resolve(reply.outcomes.map((o) => (o.ok ? { ok: true, value: o.recorded } : { ok: false, error: mapSqliteError(revive(o.error)) })));
  }

  private failInFlight(err: unknown): void {
    for (const waiting of this.inFlight.values()) waiting.reject(err);
    this.inFlight.clear();
  }
}

function revive(e: SerializedError): Error {
  const err = e.name === 'TypeError' ? new TypeError(e.message) : new Error(e.message);
  if (e.code !== undefined) Object.assign(err, { code: e.code });
  return err;
}
