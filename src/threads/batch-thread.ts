/**
 * One worker thread that takes batches and answers each by its sequence number: the jti writer's
 * (src/store/sqlite/jti-writer.ts) and each key operation thread (./key-operations.ts). It starts
 * at the first batch (or `start`), and again after it stops; a thread that stops fails the batches
 * it had not answered, since nobody knows how far it got.
 */
import type { Worker } from 'node:worker_threads';

interface Owed<A> {
  resolve: (answer: A) => void;
  reject: (err: unknown) => void;
}

export interface BatchThreadOptions {
  /** Called when the thread stops on its own; answers the error its unanswered batches fail with. */
  lost(cause: Error): unknown;
  /** Whether the thread keeps the process alive while it owes nothing (false: only while it does). */
  holdWhenIdle: boolean;
}

export class BatchThread<A extends { seq: number }> {
  private worker: Worker | undefined;
  private readonly owed = new Map<number, Owed<A>>();
  private seq = 0;

  constructor(
    private readonly startThread: () => Worker,
    private readonly options: BatchThreadOptions,
  ) {}

  /** Posts the message `write` makes with a sequence number of its own; resolves with the answer that names it. */
  post(write: (seq: number) => { seq: number }): Promise<A> {
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      this.owed.set(seq, { resolve, reject });
      const worker = this.start();
      if (!this.options.holdWhenIdle) worker.ref();
      worker.postMessage(write(seq));
    });
  }

  /** The thread, started now if it is not running. */
  start(): Worker {
    if (this.worker) return this.worker;
    const worker = this.startThread();
    worker.on('message', (answer: A) => this.answer(answer));
    const lost = (cause: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(this.options.lost(cause));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit ${code}`)));
    if (!this.options.holdWhenIdle) worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Stops the thread; what it had not answered fails with `err`. */
  async stop(err: unknown): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.fail(err);
    if (worker) await worker.terminate();
  }

  private answer(answer: A): void {
    const owed = this.owed.get(answer.seq);
    if (owed === undefined) return;
    this.owed.delete(answer.seq);
    if (this.owed.size === 0 && !this.options.holdWhenIdle) this.worker?.unref();
    owed.resolve(answer);
  }

  private fail(err: unknown): void {
    const owed = [...this.owed.values()];
    this.owed.clear();
    for (const o of owed) o.reject(err);
  }
}
