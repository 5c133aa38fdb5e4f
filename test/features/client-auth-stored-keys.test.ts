/**
 * Keys stored before registration refused some spellings still verify: an RSA `n` with a leading
 * zero octet (refused since, RFC 7518 §6.3.1.1) and an `x5c` that is not the key's certificate
 * (RFC 7517 §4.7) are tolerated when the stored `jwks` is read back, while the same `jwks` sent
 * now is refused. The stored row is written through the store, as an earlier version wrote it.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  assertionForm,
  clientKey,
  createClient,
  createCustomScope,
  createEnvironment,
  expectDetail,
  expectStatus,
  issuerOf,
  postForm,
  signWith,
  startInProcess,
  type GrantableScope,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
let envId: string;
let orders: GrantableScope;
before(async () => {
  h = await startInProcess();
  envId = await createEnvironment(h, 'Stored keys');
  orders = await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read');
});
after(() => h.close());

describe('a jwks stored by an earlier version', () => {
  test('with a padded modulus and a decorative x5c still authenticates; sending it again is refused', async () => {
    const key = await clientKey('RS256', 'legacy');
    const padded = Buffer.concat([Buffer.alloc(1), Buffer.from(String(key.jwk.n), 'base64url')]).toString('base64url');
    const legacyJwks = JSON.stringify({ keys: [{ ...key.jwk, n: padded, x5c: [Buffer.from('not a certificate').toString('base64')] }] });
    const appId = await createClient(h, envId, {}, orders);
    const stored = await h.app.store.getApplication(envId, appId);
    assert.ok(stored);
    const config = { ...stored.config, tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' as const, jwks: legacyJwks };
    await h.app.store.replaceApplication(envId, { ...stored, config }, undefined);

    const res = await postForm(h, `/${envId}/as/token`, assertionForm(await signWith(key, appId, { aud: issuerOf(h, envId) })));
    assert.equal(expectStatus(res, 200).body.scope, 'orders:read');

    const body = { name: 'legacy', enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: legacyJwks };
    expectDetail(await h.inject('PUT', `/v1/environments/${envId}/applications/${appId}`, { body }), 'INVALID_VALUE', 'jwks');
  });
});
