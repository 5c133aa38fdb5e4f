/** Runtime configuration: KEYWAY_KEY_THREADS (default, accepted and refused values). */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, MAX_KEY_THREADS } from '../../../src/config/config.js';

const load = (value?: string) => loadConfig(value === undefined ? {} : { KEYWAY_KEY_THREADS: value });

describe('KEYWAY_KEY_THREADS', () => {
  test('unset or empty: no count (one thread per core but one, chosen at start)', () => {
    assert.equal(load().keyThreads, undefined);
    assert.equal(load('').keyThreads, undefined);
  });

  test('an integer from 1 to the bound is taken', () => {
    assert.equal(load('1').keyThreads, 1);
    assert.equal(load(String(MAX_KEY_THREADS)).keyThreads, MAX_KEY_THREADS);
  });

  test('anything else is refused, naming the variable', () => {
    for (const bad of ['0', '-1', '1.5', 'two', ' 2', String(MAX_KEY_THREADS + 1)]) {
      assert.throws(() => load(bad), (err: unknown) => err instanceof ConfigError && err.message.startsWith('KEYWAY_KEY_THREADS must be'), bad);
    }
  });
});
