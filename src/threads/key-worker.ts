/**
 * A key operation thread (./key-operations.ts): runs each batch's signatures and verifications
 * with node:crypto's one-shot functions, in order, and answers them in one message. An operation
 * that throws fails alone.
 */
import { sign, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { packResults, unpackOperations, type KeyOperation, type OperationBatch, type OperationResult } from './key-batch-wire.js';

function perform(operation: KeyOperation): OperationResult {
  try {
    const { digest, data, key } = operation;
    const value = operation.op === 'sign' ? sign(digest, data, key) : verify(digest, data, key, operation.signature);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (batch: OperationBatch) => {
  parentPort?.postMessage(packResults(batch.seq, unpackOperations(batch).map(perform)));
});
