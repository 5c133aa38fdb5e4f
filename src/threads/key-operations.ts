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
 * Each thread is a lane of a BatchQueue (./batch-queue.ts): one batch at a time, what waits when
 * threads fall free shared evenly among them. A batch travels in the flat form of
 * ./key-batch-wire.ts, its keys with it (node:crypto's KeyObject is cloned into the thread: the
 * key material is shared, not copied), so a thread holds no key beyond its batch.
 *
 * Threads start at the first operation and keep the process alive only while they have work:
 * a command that signs one token still ends when it is done.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { BatchQueue, type Outcome } from './batch-queue.js';
import { BatchThread } from './batch-thread.js';
import { packOperations, unpackResults, type BatchResults, type KeyInput, type KeyOperation } from './key-batch-wire.js';
import { startWorker } from './start-worker.js';

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

/** A thread to run batches on; replaced in tests. */
export type StartThread = () => Worker;

const startKeyWorker: StartThread = () => startWorker(import.meta.url, 'key-worker');

export class KeyOperationThreads {
  private readonly threads: Array<BatchThread<BatchResults>>;
  /** One lane per thread, one batch per lane (./batch-queue.ts). */
  private readonly batches: BatchQueue<KeyOperation, Uint8Array | boolean>;
  private closed = false;

  constructor(threads: number, start: StartThread = startKeyWorker) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`key operation threads: ${threads} is not a positive integer`);
    // A thread that stops fails its batch (node:crypto threw nothing we could answer with); the
    // next batch for that lane starts a new thread. An idle thread does not hold the process.
    const lost = (cause: Error): Error => new KeyThreadsUnavailable('a key operation thread stopped', { cause });
    this.threads = Array.from({ length: threads }, () => new BatchThread<BatchResults>(start, { lost, holdWhenIdle: false }));
    this.batches = new BatchQueue((operations, lane) => this.send(this.threads[lane] as BatchThread<BatchResults>, operations), MAX_BATCH, threads);
  }

  run(operation: KeyOperation): Promise<Uint8Array | boolean> {
    return this.batches.submit(operation);
  }

  /**
   * Starts every thread now rather than at the first operations, which would otherwise wait for
   * a thread's start (tens of milliseconds): a server calls it as it starts.
   */
  startThreads(): void {
    if (!this.closed) for (const thread of this.threads) thread.start();
  }

  /** Stops every thread; operations waiting or under way fail, and so do later ones. */
  async close(): Promise<void> {
    const stopped = new KeyThreadsUnavailable('the key operation threads were closed');
    this.closed = true;
    this.batches.close(stopped);
    await Promise.all(this.threads.map((thread) => thread.stop(stopped)));
  }

  /** Hands one batch to a thread; answers with its results. */
  private async send(thread: BatchThread<BatchResults>, operations: readonly KeyOperation[]): Promise<Array<Outcome<Uint8Array | boolean>>> {
    return unpackResults(await thread.post((seq) => packOperations(seq, operations)));
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
export async function signOffLoop(digest: string | null, data: Uint8Array, key: KeyInput): Promise<Buffer> {
  const signature = await keyThreads().run({ op: 'sign', digest, key, data });
  if (!(signature instanceof Uint8Array)) throw new Error('a signature was expected');
  return Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
}

/** `crypto.verify` on a key operation thread; rejects where the synchronous form throws. */
export async function verifyOffLoop(digest: string | null, data: Uint8Array, key: KeyInput, signature: Uint8Array): Promise<boolean> {
  return (await keyThreads().run({ op: 'verify', digest, key, data, signature })) === true;
}
