/** Runtime configuration: KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS (default, accepted and refused values). */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS, loadConfig } from '../../../src/config/config.js';

const load = (value?: string) => loadConfig(value === undefined ? {} : { KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS: value });

describe('KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS', () => {
  test('defaults to one minute when unset or empty', () => {
    assert.equal(DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS, 60);
    assert.equal(load().jwksRefetchCooldownSeconds, 60);
    assert.equal(load('').jwksRefetchCooldownSeconds, 60);
  });

  test('takes a whole number of seconds from 1 to 86400', () => {
    assert.equal(load('1').jwksRefetchCooldownSeconds, 1);
    assert.equal(load('300').jwksRefetchCooldownSeconds, 300);
    assert.equal(load('86400').jwksRefetchCooldownSeconds, 86_400);
  });

  test('refuses anything else, naming the variable', () => {
    for (const bad of ['0', '86401', '-5', '1.5', '2s', ' 5', '1e3', 'abc']) {
      assert.throws(() => load(bad), (err: unknown) => err instanceof ConfigError && /KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS/.test(err.message), bad);
    }
  });
});
