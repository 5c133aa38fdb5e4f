/**
 * Argon2 off the event loop. `hash-wasm` computes in WebAssembly on the calling thread, and an
 * imported `{ARGON2}` hash of 64 MiB takes a few hundred milliseconds: on the main thread every
 * other request would wait that long at each sign-in attempt of such a user. So the computation
 * runs in one worker thread, started at the first use and not keeping the process alive; requests
 * queue there one at a time, which also bounds the memory Argon2 holds at once to one hash's.
 *
 * The worker is plain JavaScript evaluated from a string (it must run the same from src/ under a
 * TypeScript loader and from dist/), loading the package by the path resolved here.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export type Argon2Variant = 'argon2id' | 'argon2i' | 'argon2d';

export interface Argon2Input {
  variant: Argon2Variant;
  password: Uint8Array;
  salt: Uint8Array;
  passes: number;
  memory: number;
  lanes: number;
  tagLength: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const hashWasm = require(workerData.hashWasm);
parentPort.on('message', async ({ id, variant, options }) => {
  try {
    parentPort.postMessage({ id, tag: await hashWasm[variant]({ ...options, outputType: 'binary' }) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message) });
  }
});
`;

interface Pending {
  resolve: (tag: Uint8Array) => void;
  reject: (err: Error) => void;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(err: Error): void {
  worker = undefined;
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function started(): Worker {
  if (worker) return worker;
  const hashWasm = createRequire(import.meta.url).resolve('hash-wasm');
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { hashWasm } });
  w.on('message', (m: { id: number; tag?: Uint8Array; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (m.tag) p?.resolve(m.tag);
    else p?.reject(new Error(m.error ?? 'argon2 failed'));
  });
  w.on('error', failAll);
  w.on('exit', () => failAll(new Error('the argon2 worker stopped')));
  w.unref();
  worker = w;
  return w;
}

/** The raw Argon2 tag (RFC 9106 §3), computed in the worker thread. */
export function argon2InWorker(input: Argon2Input): Promise<Uint8Array> {
  const w = started();
  const id = nextId++;
  const options = {
    password: input.password,
    salt: input.salt,
    iterations: input.passes,
    memorySize: input.memory,
    parallelism: input.lanes,
    hashLength: input.tagLength,
  };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, variant: input.variant, options });
  });
}
