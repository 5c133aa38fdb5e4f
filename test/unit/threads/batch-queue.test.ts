/**
 * The batching under both engines' jti writes (src/threads/batch-queue.ts): one batch is
 * committed at a time, and what arrives meanwhile travels as the next one.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { BatchQueue, type Outcome } from '../../../src/threads/batch-queue.js';

/** A commit the test finishes by hand; `batches` records what each one carried. */
function manualCommits() {
  const batches: number[][] = [];
  const lanes: number[] = [];
  const finish: Array<(outcomes: Array<Outcome<string>>) => void> = [];
  const fail: Array<(err: unknown) => void> = [];
  const commit = (items: readonly number[], lane: number) =>
    new Promise<ReadonlyArray<Outcome<string>>>((resolve, reject) => {
      batches.push([...items]);
      lanes.push(lane);
      finish.push(resolve);
      fail.push(reject);
    });
  return { batches, lanes, finish, fail, commit };
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchQueue', () => {
  test("the items of one turn are one batch; those submitted while it commits are the next; each hears its own outcome", async () => {
    const c = manualCommits();
    const queue = new BatchQueue<number, string>(c.commit, 10);
    const first = [queue.submit(1), queue.submit(2)];
    await turn();
    const second = [queue.submit(3), queue.submit(4), queue.submit(5)];
    await turn();
    assert.deepEqual(c.batches, [[1, 2]], 'the next batch waits for the commit ahead');
    c.finish[0]!([{ ok: true, value: 'one' }, { ok: false, error: new Error('two failed') }]);
    assert.equal(await first[0], 'one');
    await assert.rejects(first[1]!, /two failed/);
    await turn();
    assert.deepEqual(c.batches, [[1, 2], [3, 4, 5]]);
    c.finish[1]!([{ ok: true, value: 'three' }, { ok: true, value: 'four' }]);
    assert.deepEqual(await Promise.allSettled(second).then((r) => r.map((x) => x.status)), ['fulfilled', 'fulfilled', 'rejected'], 'an item without an outcome fails');
  });

  test('a batch carries at most maxBatch items; a commit that fails fails its whole batch, and the next one goes on', async () => {
    const c = manualCommits();
    const queue = new BatchQueue<number, string>(c.commit, 2);
    const all = [1, 2, 3].map((i) => queue.submit(i));
    await turn();
    assert.deepEqual(c.batches, [[1, 2]]);
    c.fail[0]!(new Error('the database is gone'));
    await assert.rejects(all[0]!, /gone/);
    await assert.rejects(all[1]!, /gone/);
    await turn();
    assert.deepEqual(c.batches, [[1, 2], [3]]);
    c.finish[1]!([{ ok: true, value: 'three' }]);
    assert.equal(await all[2], 'three');
  });

  test('closing refuses new items and fails those waiting, not the batch being committed', async () => {
    const c = manualCommits();
    const queue = new BatchQueue<number, string>(c.commit, 10);
    const committing = queue.submit(1);
    await turn();
    const waiting = queue.submit(2);
    queue.close(new Error('closed'));
    await assert.rejects(waiting, /closed/);
    await assert.rejects(queue.submit(3), /closed/);
    c.finish[0]!([{ ok: true, value: 'one' }]);
    assert.equal(await committing, 'one');
  });

  test('with several lanes, what waits is shared evenly among the free ones, each with one batch at a time', async () => {
    const c = manualCommits();
    const queue = new BatchQueue<number, string>(c.commit, 10, 2);
    const first = [1, 2, 3, 4, 5].map((i) => queue.submit(i));
    await turn();
    assert.deepEqual(c.batches, [[1, 2, 3], [4, 5]]);
    assert.deepEqual(c.lanes, [0, 1]);
    const later = [queue.submit(6), queue.submit(7)];
    await turn();
    assert.equal(c.batches.length, 2, 'no lane is free');
    c.finish[1]!([{ ok: true, value: 'four' }, { ok: true, value: 'five' }]);
    assert.equal(await first[3], 'four');
    await turn();
    assert.deepEqual(c.batches[2], [6, 7]);
    assert.equal(c.lanes[2], 1, 'the lane that fell free takes them');
    c.finish[0]!([1, 2, 3].map((i) => ({ ok: true, value: String(i) })));
    c.finish[2]!([{ ok: true, value: 'six' }, { ok: true, value: 'seven' }]);
    assert.deepEqual(await Promise.all([...first, ...later]), ['1', '2', '3', 'four', 'five', 'six', 'seven']);
    assert.throws(() => new BatchQueue(c.commit, 10, 0), RangeError);
  });
});
