/**
 * How a batch of key operations and its results travel between a process's event loop and a key
 * operation thread (./key-operations.ts): in a few flat fields, not as an object per operation.
 *
 * A message is copied by the structured clone, which writes every property name of every object
 * and, on the other side, builds each object again key by key. For the handful of small
 * operations of a batch, that work outweighed the operations' bytes: an object per operation
 * cost the event loop about twice what these fields cost, for the same batch (measured:
 * docs/decisions.md, "The token endpoint's hot path"). So each operation is seven integers in
 * one Int32Array, its bytes are a stretch of one Uint8Array, and each key is written once per
 * batch however many operations use it.
 */
import type { KeyObject } from 'node:crypto';
import type { Outcome } from './batch-queue.js';

/** A key with its options (padding, salt length, signature encoding), as node:crypto's `sign` and `verify` take it. */
export interface KeyInput {
  key: KeyObject;
  padding?: number;
  saltLength?: number;
  dsaEncoding?: 'der' | 'ieee-p1363';
}

/** One `crypto.sign` or `crypto.verify`, as node:crypto's one-shot form takes it. */
export type KeyOperation =
  | { op: 'sign'; digest: string | null; key: KeyInput; data: Uint8Array }
  | { op: 'verify'; digest: string | null; key: KeyInput; data: Uint8Array; signature: Uint8Array };

/** What an operation gave: a signature, whether it verified, or why node:crypto threw. */
export type OperationResult = { ok: true; value: Uint8Array | boolean } | { ok: false; error: string };

export interface OperationBatch {
  seq: number;
  /** Per operation, FIELDS integers: see `pack`. */
  layout: Int32Array;
  /** Per operation, its data and then its signature (verify only), one after the other. */
  bytes: Uint8Array;
  /** Per operation, its digest's name (null where the key's type implies it: Ed25519). */
  digests: Array<string | null>;
  /** Each key once, in the order of first use. */
  keys: KeyObject[];
}

export interface BatchResults {
  seq: number;
  /** Per operation: a signature's length (≥ 0), VERIFIED, NOT_VERIFIED or FAILED. */
  outcomes: Int32Array;
  /** The signatures, one after the other. */
  signatures: Uint8Array;
  /** The message of each FAILED operation, in order. */
  errors: string[];
}

const FIELDS = 7;
const [KIND, KEY, PADDING, SALT_LENGTH, DSA_ENCODING, DATA_LENGTH, SIGNATURE_LENGTH] = [0, 1, 2, 3, 4, 5, 6] as const;
/** An option the operation does not set (node:crypto's salt lengths can be negative). */
const ABSENT = -0x80000000;
const SIGN = 0;
const VERIFY = 1;
const DSA_ENCODINGS = [undefined, 'der', 'ieee-p1363'] as const;

const VERIFIED = -1;
const NOT_VERIFIED = -2;
const FAILED = -3;

export function packOperations(seq: number, operations: readonly KeyOperation[]): OperationBatch {
  const layout = new Int32Array(operations.length * FIELDS);
  const keys: KeyObject[] = [];
  const keyIndex = new Map<KeyObject, number>();
  let size = 0;
  operations.forEach((operation, i) => {
    const { key, padding, saltLength, dsaEncoding } = operation.key;
    let index = keyIndex.get(key);
    if (index === undefined) keyIndex.set(key, (index = keys.push(key) - 1));
    const at = i * FIELDS;
    layout[at + KIND] = operation.op === 'sign' ? SIGN : VERIFY;
    layout[at + KEY] = index;
    layout[at + PADDING] = padding ?? ABSENT;
    layout[at + SALT_LENGTH] = saltLength ?? ABSENT;
    layout[at + DSA_ENCODING] = DSA_ENCODINGS.indexOf(dsaEncoding);
    layout[at + DATA_LENGTH] = operation.data.length;
    layout[at + SIGNATURE_LENGTH] = operation.op === 'verify' ? operation.signature.length : 0;
    size += operation.data.length + (operation.op === 'verify' ? operation.signature.length : 0);
  });
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const operation of operations) {
    bytes.set(operation.data, offset);
    offset += operation.data.length;
    if (operation.op === 'verify') {
      bytes.set(operation.signature, offset);
      offset += operation.signature.length;
    }
  }
  return { seq, layout, bytes, digests: operations.map((o) => o.digest), keys };
}

export function unpackOperations(batch: OperationBatch): KeyOperation[] {
  const operations: KeyOperation[] = [];
  let offset = 0;
  const take = (length: number): Uint8Array => batch.bytes.subarray(offset, (offset += length));
  for (let at = 0, i = 0; at < batch.layout.length; at += FIELDS, i += 1) {
    const field = (n: number): number => batch.layout[at + n] as number;
    const key: KeyInput = { key: batch.keys[field(KEY)] as KeyObject };
    if (field(PADDING) !== ABSENT) key.padding = field(PADDING);
    if (field(SALT_LENGTH) !== ABSENT) key.saltLength = field(SALT_LENGTH);
    const dsaEncoding = DSA_ENCODINGS[field(DSA_ENCODING)];
    if (dsaEncoding !== undefined) key.dsaEncoding = dsaEncoding;
    const digest = batch.digests[i] ?? null;
    const data = take(field(DATA_LENGTH));
    operations.push(field(KIND) === SIGN ? { op: 'sign', digest, key, data } : { op: 'verify', digest, key, data, signature: take(field(SIGNATURE_LENGTH)) });
  }
  return operations;
}

export function packResults(seq: number, results: readonly OperationResult[]): BatchResults {
  const outcomes = new Int32Array(results.length);
  const errors: string[] = [];
  let size = 0;
  results.forEach((result, i) => {
    if (!result.ok) {
      outcomes[i] = FAILED;
      errors.push(result.error);
    } else if (typeof result.value === 'boolean') {
      outcomes[i] = result.value ? VERIFIED : NOT_VERIFIED;
    } else {
      outcomes[i] = result.value.length;
      size += result.value.length;
    }
  });
  const signatures = new Uint8Array(size);
  let offset = 0;
  for (const result of results) {
    if (result.ok && typeof result.value !== 'boolean') {
      signatures.set(result.value, offset);
      offset += result.value.length;
    }
  }
  return { seq, outcomes, signatures, errors };
}

/**
 * Each operation's outcome as the batch queue answers its caller (a failure as an Error with the
 * thread's message); each signature is a view of the batch's one buffer, not a copy.
 */
export function unpackResults(results: BatchResults): Array<Outcome<Uint8Array | boolean>> {
  let offset = 0;
  let failed = 0;
  return Array.from(results.outcomes, (outcome): Outcome<Uint8Array | boolean> => {
    if (outcome === VERIFIED) return { ok: true, value: true };
    if (outcome === NOT_VERIFIED) return { ok: true, value: false };
    if (outcome === FAILED) return { ok: false, error: new Error(results.errors[failed++] ?? 'failed') };
    return { ok: true, value: results.signatures.subarray(offset, (offset += outcome)) };
  });
}
