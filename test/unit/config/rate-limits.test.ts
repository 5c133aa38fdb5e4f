/** Runtime configuration: KEYWAY_RATE_LIMIT_CLIENT_AUTH and KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, DEFAULT_RATE_LIMIT_CLIENT_AUTH, DEFAULT_RATE_LIMIT_MANAGEMENT_AUTH, loadConfig } from '../../../src/config/config.js';

const VARIABLES = [
  { name: 'KEYWAY_RATE_LIMIT_CLIENT_AUTH', read: (env: NodeJS.ProcessEnv) => loadConfig(env).rateLimitClientAuth, fallback: DEFAULT_RATE_LIMIT_CLIENT_AUTH },
  { name: 'KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH', read: (env: NodeJS.ProcessEnv) => loadConfig(env).rateLimitManagementAuth, fallback: DEFAULT_RATE_LIMIT_MANAGEMENT_AUTH },
];

for (const { name, read, fallback } of VARIABLES) {
  describe(name, () => {
    test('is on by default, with a limit an attack of 1,000 requests meets and a working client does not', () => {
      assert.ok(fallback >= 10 && fallback <= 100, String(fallback));
      assert.equal(read({}), fallback);
      assert.equal(read({ [name]: '' }), fallback);
    });

    test('takes failures per minute, or 0 or off to turn the limit off', () => {
      assert.equal(read({ [name]: '1' }), 1);
      assert.equal(read({ [name]: '500' }), 500);
      assert.equal(read({ [name]: '1000000' }), 1_000_000);
      assert.equal(read({ [name]: '0' }), 0);
      assert.equal(read({ [name]: 'off' }), 0);
    });

    test('refuses anything else, naming the variable', () => {
      for (const bad of ['-1', '1.5', '10/min', ' 5', '1e3', 'OFF', 'no', '1000001']) {
        assert.throws(() => read({ [name]: bad }), (err: unknown) => err instanceof ConfigError && err.message.includes(name), bad);
      }
    });
  });
}
