/**
 * Waiting for another connection's write lock in fine steps (src/store/sqlite/busy-retry.ts),
 * on a fake clock: SQLITE_BUSY and its extended codes are tried again after 50 µs, doubling to
 * 1 ms, within 5 s; any other error, or the bound passed, is thrown. The event loop's variant
 * keeps the same rules, awaiting timers between tries.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { LOCK_WAIT_MS, retryWhileBusy, retryWhileBusyAsync, type BusyRetryClock } from '../../../src/store/sqlite/busy-retry.js';

const busy = (code = 'SQLITE_BUSY') => Object.assign(new Error('database is locked'), { code });

/** A clock whose pauses are recorded and advance it. */
function fakeClock(): BusyRetryClock & { pauses: number[] } {
  let t = 0;
  const pauses: number[] = [];
  return { pauses, now: () => t, pause: (ms) => void (pauses.push(ms), (t += ms)) };
}

/** An attempt that throws the given errors in turn, then answers `done`. */
function failing(errors: Error[]) {
  let calls = 0;
  return {
    calls: () => calls,
    attempt: () => {
      const err = errors[calls++];
      if (err) throw err;
      return 'done';
    },
  };
}

describe('retryWhileBusy', () => {
  test('an attempt that succeeds runs once, without a pause', () => {
    const clock = fakeClock();
    const run = failing([]);
    assert.equal(retryWhileBusy(run.attempt, clock), 'done');
    assert.deepEqual([run.calls(), clock.pauses], [1, []]);
  });

  test('SQLITE_BUSY and SQLITE_BUSY_* are tried again after 50 µs, doubling to at most 1 ms', () => {
    const clock = fakeClock();
    const run = failing([busy(), busy('SQLITE_BUSY_RECOVERY'), busy(), busy(), busy(), busy(), busy()]);
    assert.equal(retryWhileBusy(run.attempt, clock), 'done');
    assert.deepEqual(clock.pauses, [0.05, 0.1, 0.2, 0.4, 0.8, 1, 1]);
    assert.equal(run.calls(), 8);
  });

  test('any other error is thrown at once', () => {
    const clock = fakeClock();
    const run = failing([busy(), Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })]);
    assert.throws(() => retryWhileBusy(run.attempt, clock), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    assert.deepEqual(clock.pauses, [0.05]);
  });

  test(`a lock still taken after ${LOCK_WAIT_MS} ms is reported as SQLITE_BUSY, as busy_timeout would`, () => {
    const clock = fakeClock();
    let calls = 0;
    const always = () => {
      calls += 1;
      throw busy();
    };
    assert.throws(() => retryWhileBusy(always, clock), { code: 'SQLITE_BUSY' });
    const waited = clock.pauses.reduce((a, b) => a + b, 0);
    assert.ok(waited >= LOCK_WAIT_MS && waited < LOCK_WAIT_MS + 1, `waited ${waited} ms`);
    assert.equal(calls, clock.pauses.length + 1);
  });
});

describe('retryWhileBusyAsync (the event loop\'s thread)', () => {
  test('tries again after SQLITE_BUSY until the attempt succeeds; other errors are thrown at once', async () => {
    const run = failing([busy(), busy('SQLITE_BUSY_SNAPSHOT'), busy()]);
    assert.equal(await retryWhileBusyAsync(run.attempt), 'done');
    assert.equal(run.calls(), 4);
    const other = failing([Object.assign(new Error('io'), { code: 'SQLITE_IOERR' })]);
    await assert.rejects(retryWhileBusyAsync(other.attempt), { code: 'SQLITE_IOERR' });
    assert.equal(other.calls(), 1);
  });

  test(`gives up with SQLITE_BUSY once ${LOCK_WAIT_MS} ms have passed`, async () => {
    let t = 0;
    // Each reading of the clock is a second later: the bound passes after a few tries.
    const now = () => (t += 1_000);
    let calls = 0;
    await assert.rejects(
      retryWhileBusyAsync(() => {
        calls += 1;
        throw busy();
      }, now),
      { code: 'SQLITE_BUSY' },
    );
    assert.ok(calls >= 2 && calls <= 6, `${calls} tries`);
  });
});
