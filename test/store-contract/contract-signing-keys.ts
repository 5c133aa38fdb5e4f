/**
 * Contract: environment keys. At most one default per usage type (a new default takes the flag
 * from the previous one in the same write); the default signing key is neither deleted nor
 * unset; a certificate is recorded once on a key that has none, and replaced with the published
 * JWK that carries it (a CA's answer to the key's CSR); one environment never sees or changes
 * another's keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyCertificate } from '../../src/domain/signing-key.js';
import type { Store } from '../../src/store/types.js';
import { signingKey } from '../support/store-fixtures.js';
import { seedTwoEnvironments, type ContractContext } from './harness.js';

const CERT: KeyCertificate = {
  der: 'MIIB',
  subjectDN: 'CN=Test',
  issuerDN: 'CN=Test',
  serialNumber: '12345678901234567890',
  startsAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
  validityPeriod: 365,
  signatureAlgorithm: 'SHA256withECDSA',
};

async function defaults(store: Store, environmentId: string): Promise<string[]> {
  return (await store.listSigningKeys(environmentId)).filter((k) => k.default).map((k) => `${k.usageType}:${k.id}`);
}

export function signingKeysContract(ctx: ContractContext): void {
  describe('signing keys', () => {
    it('creates and reads exactly; a new default signing key takes the flag; other usage types keep theirs', async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const first = a.signingKey;
      const ec = signingKey(envA, { name: 'EC', algorithm: 'ES256', keyAlgorithm: 'EC', keyLength: 256, default: true, certificate: CERT, createdAt: '2026-02-01T00:00:00.000Z' });
      const enc = signingKey(envA, { usageType: 'ENCRYPTION', default: true, createdAt: '2026-02-02T00:00:00.000Z' });
      await store.createSigningKey(envA, ec);
      await store.createSigningKey(envA, enc);
      assert.deepEqual(await store.getSigningKey(envA, ec.id), ec);
      assert.deepEqual(await store.listSigningKeys(envA), [{ ...first, default: false }, ec, enc]);
      assert.deepEqual(await defaults(store, envA), [`SIGNING:${ec.id}`, `ENCRYPTION:${enc.id}`]);
      assert.equal(await store.getSigningKey(envB, ec.id), undefined);
    });

    it('update moves the default; the default cannot be unset, moved to another usage, or deleted', async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const other = signingKey(envA, { default: false, createdAt: '2026-02-01T00:00:00.000Z' });
      await store.createSigningKey(envA, other);
      assert.equal(await store.updateSigningKey(envA, a.signingKey.id, { default: false, usageType: 'SIGNING' }), 'default');
      assert.equal(await store.updateSigningKey(envA, a.signingKey.id, { default: true, usageType: 'ENCRYPTION' }), 'default');
      assert.equal(await store.deleteSigningKey(envA, a.signingKey.id), 'default');
      assert.deepEqual(await store.updateSigningKey(envA, other.id, { default: true, usageType: 'SIGNING' }), { ...other, default: true });
      assert.deepEqual(await defaults(store, envA), [`SIGNING:${other.id}`]);
      assert.equal(await store.updateSigningKey(envB, other.id, { default: true, usageType: 'SIGNING' }), 'not_found');
      assert.equal(await store.deleteSigningKey(envB, a.signingKey.id), 'not_found');
      assert.equal(await store.deleteSigningKey(envA, a.signingKey.id), 'deleted');
      assert.equal(await store.deleteSigningKey(envA, a.signingKey.id), 'not_found');
      assert.deepEqual((await store.listSigningKeys(envA)).map((k) => k.id), [other.id]);
    });

    it('concurrent "make default" writes leave exactly one default', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const keys = [1, 2, 3].map((i) => signingKey(envA, { default: false, createdAt: `2026-02-0${i}T00:00:00.000Z` }));
      for (const k of keys) await store.createSigningKey(envA, k);
      await Promise.all(keys.map((k) => store.updateSigningKey(envA, k.id, { default: true, usageType: 'SIGNING' })));
      assert.equal((await defaults(store, envA)).length, 1);
    });

    it('a certificate is recorded only on a key without one, in its own environment', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const key = signingKey(envA, { default: false });
      await store.createSigningKey(envA, key);
      assert.equal(await store.setSigningKeyCertificate(envB, key.id, CERT), false);
      assert.equal(await store.setSigningKeyCertificate(envA, key.id, CERT), true);
      assert.equal(await store.setSigningKeyCertificate(envA, key.id, { ...CERT, der: 'other' }), false);
      assert.deepEqual((await store.getSigningKey(envA, key.id))?.certificate, CERT);
    });

    it("a key's certificate is replaced together with its published JWK, in its own environment only", async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const key = signingKey(envA, { default: false, certificate: CERT });
      await store.createSigningKey(envA, key);
      const signed = { ...CERT, der: 'MIIC', issuerDN: 'CN=Example CA', serialNumber: '42' };
      const jwk = { ...key.publicJwk, x5c: ['MIIC'], 'x5t#S256': 'thumbprint' };
      assert.equal(await store.replaceSigningKeyCertificate(envB, key.id, signed, jwk), false);
      assert.equal(await store.replaceSigningKeyCertificate(envA, 'no-such-key', signed, jwk), false);
      assert.deepEqual(await store.getSigningKey(envA, key.id), key, 'refused replacements change nothing');
      assert.equal(await store.replaceSigningKeyCertificate(envA, key.id, signed, jwk), true);
      assert.deepEqual(await store.getSigningKey(envA, key.id), { ...key, certificate: signed, publicJwk: jwk });
    });
  });
}
