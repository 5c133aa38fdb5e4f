/** The configuration line of `keyway start` (README, "Logs") never holds a secret. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/config.js';
import { logConfiguration, redactDatabaseUrl } from '../../../src/cli/lifecycle-log.js';

describe('lifecycle log', () => {
  test('a database URL is logged without user, password or parameters', () => {
    assert.equal(redactDatabaseUrl('postgres://keyway:s3cret@db.internal:5433/idp?sslmode=require&password=x'), 'postgres://db.internal:5433/idp');
    assert.equal(redactDatabaseUrl('not a url'), '(unparsable)');
  });

  test('keyway.configuration names where the master key comes from, never the key', () => {
    const masterKey = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ KEYWAY_MASTER_KEY: masterKey, KEYWAY_DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:5432/test', KEYWAY_DATA_DIR: '/tmp/x' });
    const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    logConfiguration({ info: (obj, msg) => lines.push({ obj, msg }), warn: () => {} }, config);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line?.msg, 'keyway.configuration');
    assert.equal(line?.obj.masterKey, 'KEYWAY_MASTER_KEY');
    assert.equal(line?.obj.store, 'postgres');
    assert.equal(line?.obj.database, 'postgres://127.0.0.1:5432/test');
    assert.equal(line?.obj.requestTimeoutSeconds, 30);
    assert.equal(line?.obj.shutdownTimeoutSeconds, 10);
    const text = JSON.stringify(line);
    assert.ok(!text.includes('hunter2'));
    assert.ok(!text.includes(masterKey));
  });
});
