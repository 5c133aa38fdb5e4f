/**
 * The failure channel (src/adapters/rate-limit/failure-channel.ts) between the workers of
 * KEYWAY_WORKERS: a worker sends each failure it counts to the primary over node:cluster's IPC
 * channel, and the primary passes it on to every other worker. A failure thus reaches the other
 * workers within a message's round trip on the machine, typically well under a millisecond, and
 * a failed authentication at any worker spends the one budget the README documents.
 */
import type { Worker } from 'node:cluster';
import { isSharedFailure, type FailureChannel } from '../adapters/rate-limit/failure-channel.js';

const FAILURE_MESSAGE = 'keyway:auth-failure';

interface FailureMessage {
  type: typeof FAILURE_MESSAGE;
  counter: string;
  key: string;
}

function isFailureMessage(message: unknown): message is FailureMessage {
  const m = message as Partial<FailureMessage> | null;
  return m?.type === FAILURE_MESSAGE && isSharedFailure(m.counter, m.key);
}

/** A worker's side: failures go to the primary; the ones it passes on reach their counter. */
export function workerFailureChannel(): FailureChannel {
  const receivers = new Map<string, (key: string) => void>();
  process.on('message', (message: unknown) => {
    if (isFailureMessage(message)) receivers.get(message.counter)?.(message.key);
  });
  return {
    send: (counter, key) => {
      if (!process.connected || !process.send) return;
      // With a callback, a channel closing meanwhile (the primary is gone) is an error passed to
      // it rather than an 'error' event that would end the process; the failure stays counted here.
      process.send({ type: FAILURE_MESSAGE, counter, key } satisfies FailureMessage, undefined, undefined, () => {});
    },
    listen: (counter, receive) => void receivers.set(counter, receive),
  };
}

/** The primary's side: a failure announced by `from` is passed on to each other live worker. */
export function relayFailure(from: Worker, message: unknown, workers: readonly Worker[]): void {
  if (!isFailureMessage(message)) return;
  for (const worker of workers) {
    if (worker !== from && worker.isConnected()) worker.send(message, () => {});
  }
}
