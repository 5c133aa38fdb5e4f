/**
 * One thread that answers batches by sequence number (src/threads/batch-thread.ts), under the jti
 * writer and each key operation thread: answers reach their own caller, a thread that stops fails
 * what it owed with the owner's error (once, and not for a thread already replaced), the next
 * batch starts a new thread, and an idle thread holds the process only when asked to.
 */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { BatchThread } from '../../../src/threads/batch-thread.js';

class StandIn extends EventEmitter {
  readonly posted: Array<{ seq: number; n: number }> = [];
  referenced = true;
  terminated = false;
  postMessage(message: { seq: number; n: number }): void {
    this.posted.push(message);
  }
  ref(): void {
    this.referenced = true;
  }
  unref(): void {
    this.referenced = false;
  }
  terminate(): Promise<number> {
    this.terminated = true;
    return Promise.resolve(0);
  }
  reply(index: number): void {
    const m = this.posted[index]!;
    this.emit('message', { seq: m.seq, doubled: m.n * 2 });
  }
}

function setUp(holdWhenIdle: boolean) {
  const started: StandIn[] = [];
  const losses: Error[] = [];
  const thread = new BatchThread<{ seq: number; doubled: number }>(
    () => {
      const s = new StandIn();
      started.push(s);
      return s as unknown as Worker;
    },
    { lost: (cause) => (losses.push(cause), new Error('thread lost')), holdWhenIdle },
  );
  return { started, losses, thread };
}

describe('BatchThread', () => {
  test('each answer reaches the batch it names, in whatever order they come', async () => {
    const { started, thread } = setUp(true);
    const a = thread.post((seq) => ({ seq, n: 1 }));
    const b = thread.post((seq) => ({ seq, n: 2 }));
    assert.equal(started.length, 1, 'one thread for both');
    started[0]!.reply(1);
    started[0]!.reply(0);
    assert.deepEqual([(await a).doubled, (await b).doubled], [2, 4]);
  });

  test("a thread that stops fails what it owed with the owner's error; the next batch starts a new thread", async () => {
    const { started, losses, thread } = setUp(true);
    const owed = thread.post((seq) => ({ seq, n: 1 }));
    started[0]!.emit('exit', 1);
    await assert.rejects(owed, /thread lost/);
    assert.equal(losses.length, 1);
    const next = thread.post((seq) => ({ seq, n: 3 }));
    assert.equal(started.length, 2);
    started[0]!.emit('error', new Error('late error of the old thread'));
    assert.equal(losses.length, 1, 'a thread already replaced is not lost again');
    started[1]!.reply(0);
    assert.equal((await next).doubled, 6);
  });

  test('holdWhenIdle false: the thread holds the process only while it owes an answer', async () => {
    const { started, thread } = setUp(false);
    thread.start();
    assert.equal(started[0]!.referenced, false);
    const owed = thread.post((seq) => ({ seq, n: 1 }));
    assert.equal(started[0]!.referenced, true);
    started[0]!.reply(0);
    await owed;
    assert.equal(started[0]!.referenced, false);
  });

  test('holdWhenIdle true: the thread is never unreferenced', async () => {
    const { started, thread } = setUp(true);
    const owed = thread.post((seq) => ({ seq, n: 1 }));
    started[0]!.reply(0);
    await owed;
    assert.equal(started[0]!.referenced, true);
  });

  test('stop fails what is owed with the given error and terminates the thread', async () => {
    const { started, losses, thread } = setUp(true);
    const owed = thread.post((seq) => ({ seq, n: 1 }));
    await thread.stop(new Error('closed'));
    await assert.rejects(owed, /closed/);
    assert.equal(started[0]!.terminated, true);
    started[0]!.emit('exit', 0);
    assert.equal(losses.length, 0, 'a stopped thread is not lost');
  });
});
