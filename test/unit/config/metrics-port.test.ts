/** Runtime configuration: KEYWAY_METRICS_PORT (unset, accepted and refused values). */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('KEYWAY_METRICS_PORT', () => {
  test('unset or empty: /metrics stays on the main port', () => {
    assert.equal(loadConfig({}).metricsPort, undefined);
    assert.equal(loadConfig({ KEYWAY_METRICS_PORT: '' }).metricsPort, undefined);
  });

  test('takes a port number (0: any free port)', () => {
    assert.equal(loadConfig({ KEYWAY_METRICS_PORT: '9464' }).metricsPort, 9464);
    assert.equal(loadConfig({ KEYWAY_METRICS_PORT: '0' }).metricsPort, 0);
  });

  test('refuses anything else, and the main port, naming the variable', () => {
    for (const bad of ['-1', '65536', '1.5', 'abc']) {
      assert.throws(() => loadConfig({ KEYWAY_METRICS_PORT: bad }), (err: unknown) => err instanceof ConfigError && /KEYWAY_METRICS_PORT/.test(err.message), bad);
    }
    assert.throws(() => loadConfig({ KEYWAY_PORT: '8080', KEYWAY_METRICS_PORT: '8080' }), /KEYWAY_METRICS_PORT must differ from KEYWAY_PORT/);
  });
});
