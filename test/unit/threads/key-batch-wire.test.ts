/**
 * The wire form of a key operation batch (src/threads/key-batch-wire.ts): what the thread reads
 * is what the event loop sent, option by option, and what comes back is each operation's own
 * result, in order.
 */
import { strict as assert } from 'node:assert';
import { constants } from 'node:crypto';
import { test } from 'node:test';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';
import { packOperations, packResults, unpackOperations, unpackResults, type KeyOperation, type OperationResult } from '../../../src/threads/key-batch-wire.js';

const ec = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
const rsa = newKeyPairSync({ type: 'rsa', modulusLength: 2048 });
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const operations: KeyOperation[] = [
  { op: 'sign', digest: 'sha256', key: { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }, data: bytes('first') },
  { op: 'verify', digest: 'sha384', key: { key: ec.publicKey, dsaEncoding: 'der' }, data: bytes('second'), signature: bytes('sig-2') },
  { op: 'sign', digest: 'sha256', key: { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, data: bytes('') },
  { op: 'verify', digest: null, key: { key: ec.publicKey }, data: bytes('fourth'), signature: bytes('') },
  { op: 'sign', digest: 'sha512', key: { key: ec.privateKey, padding: 0, saltLength: 0 }, data: bytes('fifth') },
];

/** Plain copies, so that deepEqual compares bytes and not the views' buffers; keys are compared apart (KeyObject.equals). */
const plain = ({ key: { key: _key, ...options }, ...o }: KeyOperation): object => ({ ...o, options, data: [...o.data], ...(o.op === 'verify' ? { signature: [...o.signature] } : {}) });

test('the thread reads each operation as it was sent: kind, digest, key, options (a negative salt length and zeros too), data and signature', () => {
  const batch = packOperations(7, operations);
  assert.equal(batch.seq, 7);
  const read = unpackOperations(structuredClone(batch));
  assert.equal(read.length, operations.length);
  assert.deepEqual(read.map(plain), operations.map(plain));
  assert.deepEqual(read.map((o, i) => o.key.key.equals((operations[i] as KeyOperation).key.key)), [true, true, true, true, true]);
});

test('a batch carries no object per operation, and each key once however many operations use it', () => {
  const batch = packOperations(1, operations);
  assert.deepEqual(Object.keys(batch).sort(), ['bytes', 'digests', 'keys', 'layout', 'seq']);
  assert.deepEqual(batch.keys, [ec.privateKey, ec.publicKey, rsa.privateKey]);
  assert.ok(batch.layout instanceof Int32Array && batch.bytes instanceof Uint8Array);
  assert.equal(batch.bytes.length, 'first'.length + 'second'.length + 'sig-2'.length + 'fourth'.length + 'fifth'.length);
});

test('results come back in order: signatures (an empty one too), true, false, and each failure with its own message', () => {
  const results: OperationResult[] = [
    { ok: true, value: bytes('signature-one') },
    { ok: true, value: true },
    { ok: false, error: 'first failure' },
    { ok: true, value: false },
    { ok: true, value: bytes('') },
    { ok: false, error: 'second failure' },
    { ok: true, value: bytes('signature-two') },
  ];
  const read = unpackResults(structuredClone(packResults(3, results)));
  assert.deepEqual(
    read.map((r) => (r.ok && r.value instanceof Uint8Array ? { ok: true, value: new TextDecoder().decode(r.value) } : r.ok ? r : { ok: false, error: (r.error as Error).message })),
    results.map((r) => (r.ok && r.value instanceof Uint8Array ? { ok: true, value: new TextDecoder().decode(r.value) } : r)),
  );
});
