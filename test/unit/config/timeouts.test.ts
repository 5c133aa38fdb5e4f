/**
 * Runtime configuration: KEYWAY_SHUTDOWN_TIMEOUT_SECONDS and KEYWAY_REQUEST_TIMEOUT_SECONDS
 * (default, accepted and refused values).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, loadConfig, type Config } from '../../../src/config/config.js';

const VARIABLES: ReadonlyArray<{ name: string; field: keyof Config; fallback: number; defaultSeconds: number }> = [
  { name: 'KEYWAY_SHUTDOWN_TIMEOUT_SECONDS', field: 'shutdownTimeoutSeconds', fallback: DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, defaultSeconds: 10 },
  { name: 'KEYWAY_REQUEST_TIMEOUT_SECONDS', field: 'requestTimeoutSeconds', fallback: DEFAULT_REQUEST_TIMEOUT_SECONDS, defaultSeconds: 30 },
];

for (const { name, field, fallback, defaultSeconds } of VARIABLES) {
  const load = (value?: string) => loadConfig(value === undefined ? {} : { [name]: value })[field];

  describe(name, () => {
    test(`defaults to ${defaultSeconds} seconds when unset or empty`, () => {
      assert.equal(fallback, defaultSeconds);
      assert.equal(load(), defaultSeconds);
      assert.equal(load(''), defaultSeconds);
    });

    test('takes a whole number of seconds from 1 to 3600', () => {
      assert.equal(load('1'), 1);
      assert.equal(load('30'), 30);
      assert.equal(load('3600'), 3_600);
    });

    test('refuses anything else, naming the variable', () => {
      for (const bad of ['0', '3601', '-5', '1.5', '10s', ' 5', '1e3', 'abc']) {
        assert.throws(() => load(bad), (err: unknown) => err instanceof ConfigError && err.message.includes(name), bad);
      }
    });
  });
}
