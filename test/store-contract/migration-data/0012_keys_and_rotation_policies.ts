/**
 * Migration 0012_keys_and_rotation_policies: the key each environment had before is its default
 * signing key (RSA 2048, no certificate yet), a retired one is not a default (read back exactly
 * by 0001's case); a new default then takes the flag, a certificate can be recorded once on the
 * older key, and the default cannot be deleted. No environment has a key rotation policy; one can
 * then be created with its keys, which are not keys of the environment's own.
 */
import assert from 'node:assert/strict';
import type { KeyCertificate } from '../../../src/domain/signing-key.js';
import { signingKey } from '../../support/store-fixtures.js';
import { sql, type CaseContext, type MigrationCase } from './harness.js';

const CERT: KeyCertificate = {
  der: 'MIIB',
  subjectDN: 'CN=Keyway signing key, OU=env-a',
  issuerDN: 'CN=Keyway signing key, OU=env-a',
  serialNumber: '1',
  startsAt: '2025-01-04T00:00:00.000Z',
  expiresAt: '2035-01-02T00:00:00.000Z',
  validityPeriod: 3650,
  signatureAlgorithm: 'SHA256withRSA',
};

/** At version 12: a key rotation policy of env-b (no keys yet), read back by later versions. */
const ROWS_12 = sql`
INSERT INTO key_rotation_policies (environment_id, id, name, settings, rotated_at, next_rotation_at, version, created_at, updated_at) VALUES
  ('env-b', 'krp-b', 'Yearly', '{"algorithm":"EC","keyLength":256,"signatureAlgorithm":"SHA256withECDSA","dn":"CN=Yearly","usageType":"SIGNING","validityPeriod":730,"rotationPeriod":365}',
   '2026-03-02T00:00:00.000Z', '2027-03-02T00:00:00.000Z', 2, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z');
`;

async function readBack12(store: CaseContext['store']): Promise<void> {
  assert.deepEqual(await store.getKeyRotationPolicy('env-b', 'krp-b'), {
    id: 'krp-b',
    environmentId: 'env-b',
    name: 'Yearly',
    settings: { algorithm: 'EC', keyLength: 256, signatureAlgorithm: 'SHA256withECDSA', dn: 'CN=Yearly', usageType: 'SIGNING', validityPeriod: 730, rotationPeriod: 365 },
    rotatedAt: '2026-03-02T00:00:00.000Z',
    nextRotationAt: '2027-03-02T00:00:00.000Z',
    version: 2,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-02T00:00:00.000Z',
  });
}

async function promises12({ store }: CaseContext): Promise<void> {
  const before = await store.listSigningKeys('env-a');
  assert.deepEqual(before.map((k) => [k.id, k.default, k.usageType, k.certificate]), [
    ['kid-a-1', false, 'SIGNING', undefined],
    ['kid-a-2', true, 'SIGNING', undefined],
  ]);
  assert.equal(await store.deleteSigningKey('env-a', 'kid-a-2'), 'default');
  assert.equal(await store.setSigningKeyCertificate('env-a', 'kid-a-2', CERT), true);
  assert.deepEqual((await store.getSigningKey('env-a', 'kid-a-2'))?.certificate, CERT);

  const ec = signingKey('env-a', { algorithm: 'ES256', keyAlgorithm: 'EC', keyLength: 256, default: true, certificate: CERT, createdAt: '2026-03-01T00:00:00.000Z' });
  await store.createSigningKey('env-a', ec);
  assert.deepEqual((await store.listSigningKeys('env-a')).filter((k) => k.default).map((k) => k.id), [ec.id]);
  assert.deepEqual((await store.listSigningKeys('env-b')).filter((k) => k.default).map((k) => k.id), ['kid-b-1']);
  assert.equal(await store.deleteSigningKey('env-a', 'kid-a-2'), 'deleted');

  assert.deepEqual(await store.listKeyRotationPolicies('env-a'), []);
  const at = '2026-03-01T00:00:00.000Z';
  const policy = {
    id: 'krp-a',
    environmentId: 'env-a',
    name: 'Rotating',
    settings: { algorithm: 'RSA', keyLength: 2048, signatureAlgorithm: 'SHA256withRSA', dn: 'CN=Rotating', usageType: 'SIGNING', validityPeriod: 365, rotationPeriod: 90 },
    rotatedAt: at,
    nextRotationAt: '2026-05-30T00:00:00.000Z',
    version: 1,
    createdAt: at,
    updatedAt: at,
  } as const;
  const current = signingKey('env-a', { default: false, rotationPolicyId: 'krp-a', rotationState: 'CURRENT', createdAt: at });
  await store.createKeyRotationPolicy('env-a', policy, [current]);
  assert.deepEqual(await store.getKeyRotationPolicy('env-a', 'krp-a'), policy);
  assert.deepEqual(await store.getSigningKey('env-a', current.id), current);
  assert.deepEqual(await store.listDueKeyRotationPolicies('2026-05-30T00:00:00.000Z', 10), [{ environmentId: 'env-a', policyId: 'krp-a', rotatedAt: at }]);
}

export const migrationCase: MigrationCase = { version: 12, name: 'keys_and_rotation_policies', rows: ROWS_12, readBack: readBack12, promises: promises12 };
