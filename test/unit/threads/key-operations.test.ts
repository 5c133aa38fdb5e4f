/**
 * The key operation threads (src/threads/key-operations.ts): real threads sign and verify as
 * node:crypto does on the caller's thread (RFC 7518 §3.3–§3.5, RFC 8037 §3.1); with stand-in
 * threads, the batching (one turn's operations in one message, one batch per thread, what waits
 * shared among free threads), the failure of one operation or of a thread, and that an idle
 * thread does not keep the process alive.
 */
import { strict as assert } from 'node:assert';
import { constants, sign, verify } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { after, describe, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';
import { packResults, unpackOperations, type KeyOperation, type OperationBatch } from '../../../src/threads/key-batch-wire.js';
import { defaultKeyThreadCount, KeyOperationThreads } from '../../../src/threads/key-operations.js';

describe('key operation threads: real threads', () => {
  const threads = new KeyOperationThreads(2);
  after(() => threads.close());
  const data = Buffer.from('header.payload');

  test('signatures made on a thread verify on this one, and the reverse (RS256, PS256, ES256, Ed25519)', async () => {
    const cases = [
      { digest: 'sha256', pair: newKeyPairSync({ type: 'rsa', modulusLength: 2048 }), options: { padding: constants.RSA_PKCS1_PADDING } },
      { digest: 'sha256', pair: newKeyPairSync({ type: 'rsa', modulusLength: 2048 }), options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
      { digest: 'sha256', pair: newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }), options: { dsaEncoding: 'ieee-p1363' as const } },
      { digest: null, pair: newKeyPairSync({ type: 'ed25519' }), options: {} },
    ];
    for (const { digest, pair, options } of cases) {
      const signature = await threads.run({ op: 'sign', digest, key: { ...options, key: pair.privateKey }, data });
      assert.ok(signature instanceof Uint8Array);
      assert.equal(verify(digest, data, { ...options, key: pair.publicKey }, signature), true);
      const here = sign(digest, data, { ...options, key: pair.privateKey });
      assert.equal(await threads.run({ op: 'verify', digest, key: { ...options, key: pair.publicKey }, data, signature: here }), true);
      const tampered = Buffer.from(here);
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
      assert.equal(await threads.run({ op: 'verify', digest, key: { ...options, key: pair.publicKey }, data, signature: tampered }), false);
    }
  });

  test('an operation node:crypto refuses fails alone; the others of its batch succeed', async () => {
    const ec = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
    const good = threads.run({ op: 'sign', digest: 'sha256', key: { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }, data });
    const bad = threads.run({ op: 'sign', digest: 'no-such-digest', key: { key: ec.privateKey }, data });
    assert.ok((await good) instanceof Uint8Array);
    await assert.rejects(bad, /digest/i);
  });
});

/** A thread that records what it is sent and answers when the test says so. */
class StandInThread extends EventEmitter {
  readonly batches: OperationBatch[] = [];
  refs = 0;
  terminated = false;
  postMessage(batch: OperationBatch): void {
    this.batches.push(batch);
  }
  ref(): void {
    this.refs += 1;
  }
  unref(): void {
    this.refs = 0;
  }
  terminate(): Promise<number> {
    this.terminated = true;
    return Promise.resolve(0);
  }
  /** Answers the oldest unanswered batch: each operation's `data` as its signature. */
  answer(index = this.batches.length - 1): void {
    const batch = this.batches[index];
    assert.ok(batch);
    this.emit('message', packResults(batch.seq, unpackOperations(batch).map((o) => ({ ok: true, value: o.data }))));
  }
}

const STAND_IN_KEY = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }).privateKey;

function standIns(): { started: StandInThread[]; pool: (n: number) => KeyOperationThreads } {
  const started: StandInThread[] = [];
  const start = (): Worker => {
    const thread = new StandInThread();
    started.push(thread);
    return thread as unknown as Worker;
  };
  return { started, pool: (n) => new KeyOperationThreads(n, start) };
}

const op = (text: string): KeyOperation => ({ op: 'sign', digest: 'sha256', key: { key: STAND_IN_KEY }, data: Buffer.from(text) });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const text = (value: Uint8Array | boolean): string => Buffer.from(value as Uint8Array).toString();

describe('key operation threads: batching', () => {
  test("one turn's operations travel in one message, and each caller gets its own result", async () => {
    const { started, pool } = standIns();
    const threads = pool(1);
    const results = ['a', 'b', 'c'].map((t) => threads.run(op(t)));
    await turn();
    assert.equal(started.length, 1);
    assert.deepEqual(started[0]?.batches.map((b) => unpackOperations(b).length), [3]);
    started[0]?.answer();
    assert.deepEqual((await Promise.all(results)).map(text), ['a', 'b', 'c']);
  });

  test('a thread has one batch at a time: what arrives meanwhile waits, and leaves together when it answers', async () => {
    const { started, pool } = standIns();
    const threads = pool(1);
    const first = threads.run(op('1'));
    await turn();
    const later = ['2', '3'].map((t) => threads.run(op(t)));
    await turn();
    const thread = started[0];
    assert.equal(thread?.batches.length, 1);
    thread?.answer(0);
    assert.equal(text(await first), '1');
    await turn();
    assert.deepEqual(thread?.batches.map((b) => unpackOperations(b).length), [1, 2]);
    thread?.answer(1);
    assert.deepEqual((await Promise.all(later)).map(text), ['2', '3']);
  });

  test('what waits is shared evenly among the free threads', async () => {
    const { started, pool } = standIns();
    const threads = pool(2);
    const results = ['a', 'b', 'c', 'd', 'e'].map((t) => threads.run(op(t)));
    await turn();
    assert.deepEqual(started.map((t) => (t.batches[0] ? unpackOperations(t.batches[0]) : []).map((o) => Buffer.from(o.data).toString())), [['a', 'b', 'c'], ['d', 'e']]);
    for (const t of started) t.answer();
    assert.deepEqual((await Promise.all(results)).map(text), ['a', 'b', 'c', 'd', 'e']);
  });

  test('a thread keeps the process alive only while it has a batch', async () => {
    const { started, pool } = standIns();
    const threads = pool(1);
    const result = threads.run(op('x'));
    await turn();
    assert.equal(started[0]?.refs, 1);
    started[0]?.answer();
    await result;
    assert.equal(started[0]?.refs, 0);
  });

  test("a thread that stops fails its batch; the next batch starts a new thread", async () => {
    const { started, pool } = standIns();
    const threads = pool(1);
    const lost = threads.run(op('lost'));
    await turn();
    started[0]?.emit('exit', 1);
    await assert.rejects(lost, /a key operation thread stopped/);
    const next = threads.run(op('next'));
    await turn();
    assert.equal(started.length, 2);
    started[1]?.answer();
    assert.equal(text(await next), 'next');
  });

  test('close fails what waits and what is under way, stops the threads, and refuses later operations', async () => {
    const { started, pool } = standIns();
    const threads = pool(1);
    const underWay = threads.run(op('1'));
    await turn();
    const waiting = threads.run(op('2'));
    await threads.close();
    await assert.rejects(underWay, /closed/);
    await assert.rejects(waiting, /closed/);
    assert.equal(started[0]?.terminated, true);
    await assert.rejects(threads.run(op('3')), /closed/);
    assert.equal(started.length, 1);
  });

  test('threads started ahead take the first batches, and do not hold the process while idle', async () => {
    const { started, pool } = standIns();
    const threads = pool(2);
    threads.startThreads();
    assert.equal(started.length, 2);
    assert.ok(started.every((t) => t.refs === 0));
    const result = threads.run(op('a'));
    await turn();
    assert.equal(started.length, 2, 'no thread started for the batch');
    assert.equal(started[0]?.refs, 1);
    started[0]?.answer();
    await result;
    await threads.close();
    threads.startThreads();
    assert.equal(started.length, 2, 'closed threads start no more');
  });

  test("by default a process takes its share of the cores less one, at least one and at most four", () => {
    assert.equal(defaultKeyThreadCount(1, 2), 1);
    assert.equal(defaultKeyThreadCount(1, 1), 1);
    assert.equal(defaultKeyThreadCount(2, 2), 1);
    assert.equal(defaultKeyThreadCount(1, 4), 3);
    assert.equal(defaultKeyThreadCount(2, 8), 3);
    assert.equal(defaultKeyThreadCount(1, 64), 4);
  });

  test('the number of threads is a positive integer', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) assert.throws(() => new KeyOperationThreads(n), RangeError);
  });
});

describe('key operation threads: the process', () => {
  test('a process that signs one token on a thread ends when it is done: an idle thread does not hold it', async () => {
    const { spawn } = await import('node:child_process');
    const script = `
      const { signJwtAsync } = await import(${JSON.stringify(new URL('../../../src/jose/jwt.ts', import.meta.url).href)});
      const { newKeyPairSync } = await import(${JSON.stringify(new URL('../../../src/keys/key-pair.ts', import.meta.url).href)});
      const token = await signJwtAsync({ alg: 'ES256', kid: 'k' }, { sub: 's' }, newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }).privateKey);
      process.stdout.write(token.split('.').length + ' parts');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(signal ?? c)));
    clearTimeout(timer);
    assert.equal(code, 0);
    assert.equal(out, '3 parts');
  });
});
