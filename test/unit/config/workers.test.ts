/** Runtime configuration: KEYWAY_WORKERS (default, accepted and refused values). */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, MAX_WORKERS } from '../../../src/config/config.js';

const load = (value?: string) => loadConfig(value === undefined ? {} : { KEYWAY_WORKERS: value });

describe('KEYWAY_WORKERS', () => {
  test('defaults to one process; unset and empty are the default', () => {
    assert.equal(load().workers, 1);
    assert.equal(load('').workers, 1);
  });

  test('accepts integers from 1 to the bound', () => {
    assert.equal(load('1').workers, 1);
    assert.equal(load('4').workers, 4);
    assert.equal(load(String(MAX_WORKERS)).workers, MAX_WORKERS);
  });

  test('refuses zero, negatives, fractions, words and values past the bound, naming the variable', () => {
    for (const bad of ['0', '-1', '1.5', 'two', ' 2', '2x', String(MAX_WORKERS + 1)]) {
      assert.throws(() => load(bad), (err: unknown) => err instanceof ConfigError && err.message.startsWith('KEYWAY_WORKERS must be'), bad);
    }
  });
});
