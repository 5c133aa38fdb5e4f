import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { SingleFlightCache } from '../../../src/adapters/cache/single-flight-cache.js';

/** A load whose settlement the test controls, counting how often it ran. */
function controlled<V>() {
  let calls = 0;
  let settle: { resolve(v: V): void; reject(e: Error): void } | undefined;
  const load = (): Promise<V> => {
    calls++;
    return new Promise<V>((resolve, reject) => (settle = { resolve, reject }));
  };
  return { load, calls: () => calls, resolve: (v: V) => settle?.resolve(v), reject: (e: Error) => settle?.reject(e) };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SingleFlightCache', () => {
  test('concurrent callers share one load, and later callers get the cached value', async () => {
    const cache = new SingleFlightCache<string>();
    const c = controlled<string>();
    const first = cache.get('k', c.load);
    const second = cache.get('k', c.load);
    c.resolve('v');
    assert.deepEqual(await Promise.all([first, second]), ['v', 'v']);
    assert.equal(await cache.get('k', c.load), 'v');
    assert.equal(c.calls(), 1);
  });

  test('a rejected load is not kept: the next call loads again', async () => {
    const cache = new SingleFlightCache<string>();
    const c = controlled<string>();
    const failed = cache.get('k', c.load);
    c.reject(new Error('down'));
    await assert.rejects(failed, /down/);
    await tick();
    const again = cache.get('k', c.load);
    c.resolve('v');
    assert.equal(await again, 'v');
    assert.equal(c.calls(), 2);
  });

  test('keep decides which values stay cached', async () => {
    const cache = new SingleFlightCache<string | undefined>({ keep: (v) => v !== undefined });
    let calls = 0;
    const load = async (): Promise<string | undefined> => (calls++ === 0 ? undefined : 'v');
    assert.equal(await cache.get('k', load), undefined);
    await tick();
    assert.equal(await cache.get('k', load), 'v');
    assert.equal(await cache.get('k', load), 'v');
    assert.equal(calls, 2);
  });

  test('a load dropped while in flight does not evict the load that replaced it', async () => {
    const cache = new SingleFlightCache<string>();
    const old = controlled<string>();
    const fresh = controlled<string>();
    const stale = cache.get('k', old.load);
    cache.delete('k');
    const current = cache.get('k', fresh.load);
    fresh.resolve('new');
    old.reject(new Error('late failure'));
    await assert.rejects(stale);
    assert.equal(await current, 'new');
    await tick();
    assert.equal(await cache.get('k', () => Promise.resolve('reloaded')), 'new');
  });

  test('deletePrefix drops the matching keys only; maxEntries clears before adding one more', async () => {
    const cache = new SingleFlightCache<string>({ maxEntries: 3 });
    let calls = 0;
    const load = async (): Promise<string> => `v${calls++}`;
    await cache.get('env-1/a', load);
    await cache.get('env-1/b', load);
    await cache.get('env-2/a', load);
    cache.deletePrefix('env-1/');
    assert.equal(await cache.get('env-2/a', load), 'v2');
    assert.equal(await cache.get('env-1/a', load), 'v3');
    await cache.get('env-3/a', load);
    await cache.get('env-4/a', load);
    // Full at three entries: the fourth cleared the others.
    assert.equal(await cache.get('env-2/a', load), 'v6');
  });
});
