/** Runtime configuration: KEYWAY_TRUST_PROXY (default, accepted and refused values). */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { inCidrs } from '../../../src/config/ip-address.js';

const load = (value?: string) => loadConfig(value === undefined ? {} : { KEYWAY_TRUST_PROXY: value });

describe('KEYWAY_TRUST_PROXY', () => {
  test('unset or empty: no proxy is trusted', () => {
    assert.deepEqual(load().trustedProxies, []);
    assert.deepEqual(load('').trustedProxies, []);
    assert.deepEqual(load(' , ').trustedProxies, []);
  });

  test('addresses and CIDR blocks, IPv4 and IPv6, comma-separated with spaces', () => {
    const trusted = load('10.0.0.0/8, 192.0.2.7 ,2001:db8::/32').trustedProxies;
    assert.equal(trusted.length, 3);
    assert.ok(inCidrs('10.1.2.3', trusted));
    assert.ok(inCidrs('192.0.2.7', trusted));
    assert.ok(!inCidrs('192.0.2.8', trusted), 'a bare address is that address alone');
    assert.ok(inCidrs('2001:db8::1', trusted));
    assert.ok(inCidrs('::ffff:10.0.0.1', trusted), 'an IPv4-mapped peer is its IPv4 address');
    assert.ok(!inCidrs('203.0.113.1', trusted));
  });

  test('refuses host names, bad prefixes and garbage, naming the variable and the entry', () => {
    for (const bad of ['proxy.internal', '10.0.0.0/33', '2001:db8::/129', '10.0.0', '*']) {
      assert.throws(
        () => load(`192.0.2.1,${bad}`),
        (err: unknown) => err instanceof ConfigError && err.message.startsWith('KEYWAY_TRUST_PROXY: ') && err.message.includes(bad),
        bad,
      );
    }
  });
});
