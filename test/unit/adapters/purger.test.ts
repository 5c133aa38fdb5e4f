/**
 * The background purger: it asks the store to purge in batches (the store takes the cut-off from
 * the database's clock, so the purger passes no time of its own), runs one pass at a time, and
 * warns when this instance's clock is further from the database's than half the tolerated skew
 * (src/store/shared/clock-margin.ts).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { startPurger, type PurgeableStore } from '../../../src/adapters/purger.js';
import { CLOCK_SKEW_MARGIN_SECONDS, CLOCK_SKEW_WARNING_SECONDS } from '../../../src/store/shared/clock-margin.js';

const DB_NOW = Date.parse('2026-06-01T12:00:00.000Z');

function fakeStore(backlog: number[] = []): PurgeableStore & { calls: string[] } {
  const calls: string[] = [];
  const batches = [...backlog];
  return {
    calls,
    databaseClock: async () => new Date(DB_NOW).toISOString(),
    purgeExpiredAssertionJtis: async (limit: number) => {
      calls.push(`jtis(${limit})`);
      return batches.shift() ?? 0;
    },
    purgeExpiredRevocations: async (limit: number) => {
      calls.push(`revocations(${limit})`);
      return 0;
    },
    purgeExpiredSignInState: async (limit: number) => {
      calls.push(`signIn(${limit})`);
      return 0;
    },
  };
}

function capture() {
  const warnings: Array<{ obj: any; msg: string }> = [];
  return { warnings, log: { warn: (obj: unknown, msg: string) => void warnings.push({ obj, msg }) } };
}

test('a pass purges each kind in batches until a batch comes back short', async () => {
  const store = fakeStore([1000, 1000, 3]);
  const purger = startPurger(store, () => new Date(DB_NOW), capture().log);
  await purger.runOnce();
  purger.stop();
  assert.deepEqual(store.calls, ['jtis(1000)', 'jtis(1000)', 'jtis(1000)', 'revocations(1000)', 'signIn(1000)']);
});

test('a second runOnce while a pass runs joins that pass', async () => {
  const store = fakeStore();
  const purger = startPurger(store, () => new Date(DB_NOW), capture().log);
  const [one, two] = [purger.runOnce(), purger.runOnce()];
  assert.equal(one, two);
  await one;
  purger.stop();
  assert.equal(store.calls.filter((c) => c.startsWith('jtis')).length, 1);
});

for (const skew of [-(CLOCK_SKEW_WARNING_SECONDS + 1), CLOCK_SKEW_WARNING_SECONDS + 1, CLOCK_SKEW_MARGIN_SECONDS * 2]) {
  test(`warns when the instance's clock is ${skew} s off the database's, naming the skew and the tolerance`, async () => {
    const { warnings, log } = capture();
    const purger = startPurger(fakeStore(), () => new Date(DB_NOW + skew * 1000), log);
    await purger.runOnce();
    purger.stop();
    assert.equal(warnings.length, 1);
    assert.deepEqual(warnings[0]?.obj, { skewSeconds: skew, toleratedSeconds: CLOCK_SKEW_MARGIN_SECONDS });
  });
}

for (const skew of [0, 30, -CLOCK_SKEW_WARNING_SECONDS]) {
  test(`stays quiet when the instance's clock is ${skew} s off the database's`, async () => {
    const { warnings, log } = capture();
    const purger = startPurger(fakeStore(), () => new Date(DB_NOW + skew * 1000), log);
    await purger.runOnce();
    purger.stop();
    assert.deepEqual(warnings, []);
  });
}

test('a failing store is logged and the pass ends; the next pass tries again', async () => {
  const { warnings, log } = capture();
  const store = fakeStore();
  store.purgeExpiredAssertionJtis = async () => Promise.reject(new Error('down'));
  store.databaseClock = async () => Promise.reject(new Error('down'));
  const purger = startPurger(store, () => new Date(DB_NOW), log);
  await purger.runOnce();
  await purger.runOnce();
  purger.stop();
  assert.equal(warnings.length, 4);
});
