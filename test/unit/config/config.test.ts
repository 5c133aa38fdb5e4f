import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

/** Only resolved, never created: loadConfig does not touch the disk. */
const base = { KEYWAY_DATA_DIR: join(tmpdir(), 'keyway-config-test') };

describe('loadConfig: values parsed once into their final form', () => {
  test('KEYWAY_FETCH_ALLOW becomes the allow-list the fetcher takes; unset, empty lists', () => {
    assert.deepEqual(loadConfig({ ...base, KEYWAY_FETCH_ALLOW: '127.0.0.1/32, LocalHost' }).fetchAllow, {
      allowCidrs: ['127.0.0.1/32'],
      allowHosts: ['localhost'],
    });
    assert.deepEqual(loadConfig(base).fetchAllow, { allowCidrs: [], allowHosts: [] });
    assert.deepEqual(loadConfig({ ...base, KEYWAY_FETCH_ALLOW: '  ' }).fetchAllow, { allowCidrs: [], allowHosts: [] });
  });

  test('a bad KEYWAY_FETCH_ALLOW entry stops loading with a message naming the variable', () => {
    assert.throws(
      () => loadConfig({ ...base, KEYWAY_FETCH_ALLOW: '127.0.0.1/33' }),
      (err: Error) => err instanceof ConfigError && err.message.startsWith('KEYWAY_FETCH_ALLOW: '),
    );
  });

  test('KEYWAY_MASTER_KEY is decoded to its 32 bytes (base64 or hex)', () => {
    const key = Buffer.alloc(32, 7);
    assert.deepEqual(loadConfig({ ...base, KEYWAY_MASTER_KEY: key.toString('base64') }).masterKey, key);
    assert.deepEqual(loadConfig({ ...base, KEYWAY_MASTER_KEY: key.toString('hex') }).masterKey, key);
    assert.equal(loadConfig(base).masterKey, undefined);
  });

  test('a KEYWAY_MASTER_KEY of another length stops loading with a message naming the variable', () => {
    assert.throws(
      () => loadConfig({ ...base, KEYWAY_MASTER_KEY: Buffer.alloc(16).toString('base64') }),
      (err: Error) => err instanceof ConfigError && err.message.startsWith('KEYWAY_MASTER_KEY '),
    );
  });
});
