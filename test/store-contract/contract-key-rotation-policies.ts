/**
 * Contract: key rotation policies. A policy is created with its CURRENT and NEXT keys; a rotation
 * commits only under the `rotated_at` it was computed from, so of two rotations racing from the
 * same state exactly one changes anything; PREVIOUS keys carry their `retire_at` and are purged
 * after it; due policies are found across environments; deleting a policy takes its keys; one
 * environment never sees or rotates another's policies.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { KeyRotationPolicyRecord, Store } from '../../src/store/types.js';
import { signingKey } from '../support/store-fixtures.js';
import { seedTwoEnvironments, type ContractContext } from './harness.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-31T00:00:00.000Z';
const T2 = '2026-03-02T00:00:00.000Z';

const policy = (environmentId: string): KeyRotationPolicyRecord => ({
  id: randomUUID(),
  environmentId,
  name: 'Rotating',
  settings: { algorithm: 'RSA', keyLength: 2048, signatureAlgorithm: 'SHA256withRSA', dn: 'CN=Rotating', usageType: 'SIGNING', validityPeriod: 365, rotationPeriod: 30 },
  rotatedAt: T0,
  nextRotationAt: T1,
  version: 1,
  createdAt: T0,
  updatedAt: T0,
});

const policyKey = (environmentId: string, policyId: string, rotationState: 'CURRENT' | 'NEXT') =>
  signingKey(environmentId, { default: false, rotationPolicyId: policyId, rotationState, createdAt: T0 });

async function states(store: Store, environmentId: string, policyId: string): Promise<Array<[string, string | undefined, string | undefined]>> {
  return (await store.listSigningKeys(environmentId)).filter((k) => k.rotationPolicyId === policyId).map((k) => [k.id, k.rotationState, k.retireAt]);
}

export function keyRotationPoliciesContract(ctx: ContractContext): void {
  describe('key rotation policies', () => {
    it('creates a policy with its keys, reads it exactly, and deleting it takes its keys', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const p = policy(envA);
      const current = policyKey(envA, p.id, 'CURRENT');
      const next = policyKey(envA, p.id, 'NEXT');
      await store.createKeyRotationPolicy(envA, p, [current, next]);
      assert.deepEqual(await store.getKeyRotationPolicy(envA, p.id), p);
      assert.deepEqual(await store.listKeyRotationPolicies(envA), [p]);
      assert.deepEqual(await store.getSigningKey(envA, current.id), current);
      assert.equal(await store.getKeyRotationPolicy(envB, p.id), undefined);
      assert.equal(await store.deleteKeyRotationPolicy(envB, p.id), false);
      assert.equal(await store.deleteKeyRotationPolicy(envA, p.id), true);
      assert.deepEqual(await states(store, envA, p.id), []);
      assert.equal(await store.deleteKeyRotationPolicy(envA, p.id), false);
    });

    it('rotates NEXT to CURRENT and CURRENT to PREVIOUS; of two rotations from the same state exactly one commits', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const p = policy(envA);
      const current = policyKey(envA, p.id, 'CURRENT');
      const next = policyKey(envA, p.id, 'NEXT');
      await store.createKeyRotationPolicy(envA, p, [current, next]);
      const request = (id: string) => ({ expectedRotatedAt: T0, rotatedAt: T1, nextRotationAt: T2, next: signingKey(envA, { id, default: false, createdAt: T1 }), retireAt: '2026-01-31T01:05:00.000Z' });
      const [x, y] = [randomUUID(), randomUUID()];
      const results = await Promise.all([store.rotateKeyRotationPolicy(envA, p.id, request(x)), store.rotateKeyRotationPolicy(envA, p.id, request(y))]);
      assert.deepEqual([...results].sort(), ['rotated', 'stale']);
      const winner = results[0] === 'rotated' ? x : y;
      assert.deepEqual((await states(store, envA, p.id)).sort(), [
        [current.id, 'PREVIOUS', '2026-01-31T01:05:00.000Z'],
        [next.id, 'CURRENT', undefined],
        [winner, 'NEXT', undefined],
      ].sort());
      const after = await store.getKeyRotationPolicy(envA, p.id);
      assert.deepEqual([after?.rotatedAt, after?.nextRotationAt, after?.version], [T1, T2, 2]);
      const inB = { ...request(randomUUID()), next: signingKey(envB, { default: false }) };
      assert.equal(await store.rotateKeyRotationPolicy(envB, p.id, inB), 'not_found');
    });

    it('finds due policies across environments and purges retired keys after their retire_at', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const a = policy(envA);
      const b = { ...policy(envB), nextRotationAt: T2 };
      await store.createKeyRotationPolicy(envA, a, [policyKey(envA, a.id, 'CURRENT'), policyKey(envA, a.id, 'NEXT')]);
      await store.createKeyRotationPolicy(envB, b, [policyKey(envB, b.id, 'CURRENT'), policyKey(envB, b.id, 'NEXT')]);
      assert.deepEqual(await store.listDueKeyRotationPolicies(T0, 10), []);
      assert.deepEqual(await store.listDueKeyRotationPolicies(T1, 10), [{ environmentId: envA, policyId: a.id, rotatedAt: T0 }]);
      assert.deepEqual((await store.listDueKeyRotationPolicies(T2, 10)).map((d) => d.policyId), [a.id, b.id]);

      const retireAt = '2026-02-01T00:00:00.000Z';
      await store.rotateKeyRotationPolicy(envA, a.id, { expectedRotatedAt: T0, rotatedAt: T1, nextRotationAt: T2, next: signingKey(envA, { default: false }), retireAt });
      assert.deepEqual(await store.purgeRetiredKeys('2026-01-31T23:59:59.999Z'), []);
      assert.equal((await states(store, envA, a.id)).length, 3);
      assert.deepEqual(await store.purgeRetiredKeys(retireAt), [envA]);
      assert.deepEqual((await states(store, envA, a.id)).map((s) => s[1]).sort(), ['CURRENT', 'NEXT']);
      assert.equal((await states(store, envB, b.id)).length, 2);
    });
  });
}
