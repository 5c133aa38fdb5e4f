/**
 * Records client-assertion jtis for a file-backed SQLite store on a worker thread (see
 * jti-worker.ts). One batch is with the worker at a time: records submitted while it commits
 * wait and travel together as the next batch, which shares one commit; each caller hears back
 * only after its row is durable. Under load a batch is as large as the records that arrived
 * during one commit, so a commit, a message each way and a wake-up of each thread are shared by
 * many requests instead of a few; a record waits at most for the commit ahead of it, as it would
 * in the worker's queue. The worker's connection writes to the same WAL database, so every other
 * process and connection sees the rows at once.
 */
import { Worker } from 'node:worker_threads';
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

interface Waiting {
  resolve: (recorded: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * After tsc the worker is a .js file. When the sources run as .ts (tests, under tsx), the worker
 * registers tsx itself: loader hooks of the main thread do not reach worker threads on Node 20.
 */
function startWorker(path: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./jti-worker.js', import.meta.url), { workerData: { path } });
  const source = JSON.stringify(new URL('./jti-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${source}); })`, { eval: true, workerData: { path } });
}

export class JtiWriter {
  private worker: Worker | undefined;
  private queue: Array<{ job: JtiJob } & Waiting> = [];
  private readonly inFlight = new Map<number, Waiting[]>();
  private seq = 0;
  /** A flush is due at the end of this turn of the loop (setImmediate). */
  private scheduled = false;
  /** A batch is with the worker: new records wait in the queue for the next one. */
  private busy = false;
  private closed = false;

  constructor(private readonly path: string) {}

  record(job: JtiJob): Promise<boolean> {
    if (this.closed) return Promise.reject(new StoreUnavailable('the SQLite store is closed'));
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.busy || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new StoreUnavailable('the SQLite store was closed'));
    if (worker) await worker.terminate();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.busy || this.closed) return;
    const batch = this.queue.splice(0, MAX_JTI_BATCH);
    if (batch.length === 0) return;
    const seq = ++this.seq;
    this.inFlight.set(seq, batch);
    this.busy = true;
    this.ensureWorker().postMessage({ seq, jobs: batch.map((b) => b.job) });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.path);
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    // A worker that dies takes its batches with it: their rows may or may not be durable, so
    // they fail as unavailable (the request answers 503 and issues nothing); the next batch
    // starts a new worker.
    const lost = (err: unknown): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new StoreUnavailable('the jti writer stopped', { cause: err }));
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
    this.busy = false;
    this.schedule();
    if ('error' in reply) {
      const err = mapSqliteError(revive(reply.error));
      for (const w of waiting) w.reject(err);
      return;
    }
    waiting.forEach((w, i) => {
      const outcome = reply.outcomes[i];
      if (outcome?.ok) w.resolve(outcome.recorded);
      else w.reject(mapSqliteError(revive(outcome?.error ?? { name: 'Error', message: 'missing outcome' })));
    });
  }

  private failAll(err: unknown): void {
    for (const waiting of this.inFlight.values()) for (const w of waiting) w.reject(err);
    this.inFlight.clear();
    this.busy = false;
    for (const q of this.queue) q.reject(err);
    this.queue = [];
  }
}

function revive(e: SerializedError): Error {
  const err = e.name === 'TypeError' ? new TypeError(e.message) : new Error(e.message);
  if (e.code !== undefined) Object.assign(err, { code: e.code });
  return err;
}
