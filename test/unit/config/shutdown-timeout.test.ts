/** Runtime configuration: KEYWAY_SHUTDOWN_TIMEOUT_SECONDS (default, accepted and refused values). */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, loadConfig } from '../../../src/config/config.js';

const load = (value?: string) => loadConfig(value === undefined ? {} : { KEYWAY_SHUTDOWN_TIMEOUT_SECONDS: value });

describe('KEYWAY_SHUTDOWN_TIMEOUT_SECONDS', () => {
  test('defaults to ten seconds when unset or empty', () => {
    assert.equal(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, 10);
    assert.equal(load().shutdownTimeoutSeconds, 10);
    assert.equal(load('').shutdownTimeoutSeconds, 10);
  });

  test('takes a whole number of seconds from 1 to 3600', () => {
    assert.equal(load('1').shutdownTimeoutSeconds, 1);
    assert.equal(load('30').shutdownTimeoutSeconds, 30);
    assert.equal(load('3600').shutdownTimeoutSeconds, 3_600);
  });

  test('refuses anything else, naming the variable', () => {
    for (const bad of ['0', '3601', '-5', '1.5', '10s', ' 5', '1e3', 'abc']) {
      assert.throws(() => load(bad), (err: unknown) => err instanceof ConfigError && /KEYWAY_SHUTDOWN_TIMEOUT_SECONDS/.test(err.message), bad);
    }
  });
});
