/**
 * Signatures and verifications on threads of Keyway's own, in batches, off the event loop.
 *
 * Every token request authenticated by a client assertion costs a verification and a signature.
 * ECDSA ones are cheap (an ES256 signature about 30 µs, a verification about 60 µs): on the event
 * loop they hold it, and handed to libuv's thread pool one by one (node:crypto with a callback)
 * each costs about as much again in hand-off and wake-ups, which on a 2-core virtual machine are
 * system calls. Here the operations submitted in one turn of the loop, and those submitted while
 * every thread is busy, travel together in one message to a thread that is free, and come back
 * in one: under load a hand-off and a wake-up are shared by many tokens. (An RSA signature, about
 * 270 µs, outweighs its hand-off and stays on libuv's pool.) Measured on the token endpoint:
 * docs/decisions.md, "The token endpoint's hot path".
 *
 * Each thread has at most one batch at a time. The operations waiting when threads fall free are
 * shared evenly among them, so that a batch does not wait behind one thread's work while another
 * thread idles. Keys travel with each operation (node:crypto's KeyObject is cloned into the
 * thread: the key material is shared, not copied), so a thread holds no key beyond its batch.
 *
 * Threads start at the first operation and keep the process alive only while they have work:
 * a command that signs one token still ends when it is done.
 */
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';

/** node:crypto's options for a key (padding, salt length, signature encoding), without the key. */
export interface KeyOptions {
  padding?: number;
  saltLength?: number;
  dsaEncoding?: 'der' | 'ieee-p1363';
}

/** One `crypto.sign` or `crypto.verify`, as node:crypto's one-shot form takes it. */
export type KeyOperation =
  | { op: 'sign'; digest: string | null; key: KeyObject; options: KeyOptions; data: Uint8Array }
  | { op: 'verify'; digest: string | null; key: KeyObject; options: KeyOptions; data: Uint8Array; signature: Uint8Array };

/** What a thread answers per operation: a signature, whether it verified, or why it threw. */
export type OperationResult = { ok: true; value: Uint8Array | boolean } | { ok: false; error: string };

export interface OperationBatch {
  seq: number;
  operations: KeyOperation[];
}

export interface BatchResults {
  seq: number;
  results: OperationResult[];
}

/**
 * The threads could not run an operation: one stopped under it, or they were closed. Not an
 * answer about the key or the signature, so a verification that fails this way is not a
 * failed authentication.
 */
export class KeyThreadsUnavailable extends Error {
  override readonly name = 'KeyThreadsUnavailable';
}

/** The most operations one message carries; more wait for the next. */
const MAX_BATCH = 256;

interface Waiting {
  operation: KeyOperation;
  resolve: (value: Uint8Array | boolean) => void;
  reject: (err: Error) => void;
}

/** What a thread is doing: nothing, or one batch. */
interface Slot {
  worker: Worker | undefined;
  batch: { seq: number; waiting: Waiting[] } | undefined;
}

/** A thread to run batches on; replaced in tests. */
export type StartThread = () => Worker;

const startKeyWorker: StartThread = () => startWorker(import.meta.url, 'key-worker');

export class KeyOperationThreads {
  private readonly slots: Slot[];
  private queue: Waiting[] = [];
  private scheduled = false;
  private seq = 0;
  private closedWith: Error | undefined;

  constructor(
    threads: number,
    private readonly start: StartThread = startKeyWorker,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`key operation threads: ${threads} is not a positive integer`);
    this.slots = Array.from({ length: threads }, () => ({ worker: undefined, batch: undefined }));
  }

  run(operation: KeyOperation): Promise<Uint8Array | boolean> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      this.queue.push({ operation, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Starts every thread now rather than at the first operations, which would otherwise wait for
   * a thread's start (tens of milliseconds): a server calls it as it starts.
   */
  startThreads(): void {
    if (this.closedWith === undefined) for (const slot of this.slots) this.workerOf(slot);
  }

  /** Stops every thread; operations waiting or under way fail, and so do later ones. */
  async close(): Promise<void> {
    const stopped = new KeyThreadsUnavailable('the key operation threads were closed');
    this.closedWith = stopped;
    for (const w of this.queue.splice(0)) w.reject(stopped);
    await Promise.all(this.slots.map((slot) => this.stop(slot, stopped)));
  }

  /** The batches of this turn leave at its end (setImmediate), so one turn's operations share one. */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || !this.slots.some((s) => s.batch === undefined)) return;
    this.scheduled = true;
    setImmediate(() => this.dispatch());
  }

  /** Shares what waits evenly among the threads that are free. */
  private dispatch(): void {
    this.scheduled = false;
    const free = this.slots.filter((s) => s.batch === undefined);
    const share = Math.min(MAX_BATCH, Math.ceil(this.queue.length / Math.max(1, free.length)));
    for (const slot of free) {
      if (this.queue.length === 0) break;
      this.send(slot, this.queue.splice(0, share));
    }
  }

  private send(slot: Slot, waiting: Waiting[]): void {
    const seq = ++this.seq;
    slot.batch = { seq, waiting };
    const worker = this.workerOf(slot);
    worker.ref();
    worker.postMessage({ seq, operations: waiting.map((w) => w.operation) } satisfies OperationBatch);
  }

  private workerOf(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const worker = this.start();
    worker.on('message', (answer: BatchResults) => this.settle(slot, answer));
    // A thread that dies fails its batch (node:crypto threw nothing we could answer with); the
    // next batch for that slot starts a new thread.
    const lost = (err: Error): void => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      this.fail(slot, new KeyThreadsUnavailable('a key operation thread stopped', { cause: err }));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit ${code}`)));
    // Idle until it is sent a batch (send refs it): an idle thread does not hold the process.
    worker.unref();
    slot.worker = worker;
    return worker;
  }

  private settle(slot: Slot, answer: BatchResults): void {
    const batch = slot.batch;
    if (batch === undefined || batch.seq !== answer.seq) return;
    slot.batch = undefined;
    slot.worker?.unref();
    this.schedule();
    batch.waiting.forEach((w, i) => {
      const result = answer.results[i];
      if (result?.ok) w.resolve(result.value);
      else w.reject(new Error(result === undefined ? 'the thread answered nothing for this operation' : result.error));
    });
  }

  private fail(slot: Slot, err: Error): void {
    const batch = slot.batch;
    slot.batch = undefined;
    for (const w of batch?.waiting ?? []) w.reject(err);
    this.schedule();
  }

  private async stop(slot: Slot, err: Error): Promise<void> {
    const worker = slot.worker;
    slot.worker = undefined;
    this.fail(slot, err);
    if (worker) await worker.terminate();
  }
}

/** The most threads a process starts by default, as libuv's pool: enough for ECDSA at 10,000 tokens a second. */
export const DEFAULT_MAX_KEY_THREADS = 4;

/**
 * Each of `processes` server processes on this machine gets an equal share of its cores, one of
 * them for its event loop and the rest for its key operation threads: at least one, at most
 * DEFAULT_MAX_KEY_THREADS, since the count of cores Node reports is the machine's, which a
 * container's CPU quota may be far below. `KEYWAY_KEY_THREADS` overrides it.
 */
export function defaultKeyThreadCount(processes = 1, cores = availableParallelism()): number {
  return Math.max(1, Math.min(DEFAULT_MAX_KEY_THREADS, Math.floor(cores / processes) - 1));
}

let shared: KeyOperationThreads | undefined;
let sharedCount: number | undefined;

/** Sets how many threads the process's key operations use (before the first operation). */
export function configureKeyThreads(threads: number): void {
  if (shared !== undefined) throw new Error('the key operation threads have already started');
  sharedCount = threads;
}

/** The process's key operation threads, made at the first operation. */
export function keyThreads(): KeyOperationThreads {
  shared ??= new KeyOperationThreads(sharedCount ?? defaultKeyThreadCount());
  return shared;
}

/** `crypto.sign` on a key operation thread. */
export async function signOffLoop(digest: string | null, data: Uint8Array, key: KeyObject, options: KeyOptions): Promise<Buffer> {
  const signature = await keyThreads().run({ op: 'sign', digest, key, options, data });
  if (!(signature instanceof Uint8Array)) throw new Error('a signature was expected');
  return Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
}

/** `crypto.verify` on a key operation thread; rejects where the synchronous form throws. */
export async function verifyOffLoop(digest: string | null, data: Uint8Array, key: KeyObject, options: KeyOptions, signature: Uint8Array): Promise<boolean> {
  return (await keyThreads().run({ op: 'verify', digest, key, options, data, signature })) === true;
}
