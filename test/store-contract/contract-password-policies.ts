/**
 * Contract: password policies. Exactly one default per environment (a new default takes the
 * flag, which the previous one gives up with a new version); names unique per environment; the
 * default and a policy a population names stay; the effective policy of a population is its own,
 * else the default; one environment never sees another's policies.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { MissingReference, UniqueViolation, type PasswordPolicyRecord, type Store } from '../../src/store/types.js';
import { CREATED_AT, UPDATED_AT } from '../support/store-fixtures.js';
import { seedTwoEnvironments, updated, type ContractContext } from './harness.js';

const policy = (environmentId: string, overrides: Partial<PasswordPolicyRecord> = {}): PasswordPolicyRecord => ({
  id: randomUUID(),
  environmentId,
  name: `policy-${randomUUID()}`,
  default: false,
  settings: { excludesProfileData: true, notSimilarToCurrent: false, excludesCommonlyUsed: true, length: { min: 8, max: 64 }, lockout: { failureCount: 3 } },
  version: 1,
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
  ...overrides,
});

async function defaults(store: Store, environmentId: string): Promise<string[]> {
  return (await store.listPasswordPolicies(environmentId)).filter((p) => p.default).map((p) => p.id);
}

export function passwordPoliciesContract(ctx: ContractContext): void {
  describe('password policies', () => {
    it('creates, reads and lists exactly; names are unique per environment', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const p = policy(envA, { default: true, name: 'B policy' });
      const q = policy(envA, { name: 'A policy' });
      await store.createPasswordPolicy(envA, p);
      await store.createPasswordPolicy(envA, q);
      assert.deepEqual(await store.getPasswordPolicy(envA, p.id), p);
      assert.deepEqual(await store.listPasswordPolicies(envA), [q, p], 'by name');
      assert.deepEqual(await store.getDefaultPasswordPolicy(envA), p);
      await assert.rejects(store.createPasswordPolicy(envA, policy(envA, { name: p.name })), (err: unknown) => err instanceof UniqueViolation && err.field === 'name');
      await store.createPasswordPolicy(envB, policy(envB, { name: p.name }));
      assert.equal(await store.getPasswordPolicy(envB, p.id), undefined, 'invisible from another environment');
      assert.equal(await store.deletePasswordPolicy(envB, q.id), 'not_found');
      assert.equal((await store.updatePasswordPolicy(envB, { ...q, environmentId: envB })).status, 'not_found');
    });

    it('a new default takes the flag; the previous one gets a new version; default: false never unsets it', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const first = policy(envA, { default: true });
      await store.createPasswordPolicy(envA, first);
      const second = policy(envA, { default: true, updatedAt: UPDATED_AT });
      await store.createPasswordPolicy(envA, second);
      assert.deepEqual(await defaults(store, envA), [second.id]);
      assert.deepEqual(await store.getPasswordPolicy(envA, first.id), { ...first, default: false, version: 2, updatedAt: UPDATED_AT });
      const kept = updated(await store.updatePasswordPolicy(envA, { ...second, default: false, name: 'renamed' }, 1));
      assert.equal(kept.default, true);
      assert.equal(kept.version, 2);
      assert.equal((await store.updatePasswordPolicy(envA, { ...second, name: 'stale' }, 1)).status, 'conflict');
    });

    it('the default and a policy a population names cannot be deleted; the effective policy follows the population', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const standard = policy(envA, { default: true });
      const own = policy(envA);
      await store.createPasswordPolicy(envA, standard);
      await store.createPasswordPolicy(envA, own);
      assert.equal((await store.getEffectivePasswordPolicy(envA, a.population.id))?.id, standard.id);
      assert.equal(await store.deletePasswordPolicy(envA, standard.id), 'default');
      updated(await store.updatePopulation(envA, { ...a.population, passwordPolicyId: own.id }));
      assert.deepEqual(await store.getPopulation(envA, a.population.id), { ...a.population, passwordPolicyId: own.id, version: 2 });
      assert.equal(await store.countPopulationsWithPasswordPolicy(envA, own.id), 1);
      assert.equal((await store.getEffectivePasswordPolicy(envA, a.population.id))?.id, own.id);
      assert.equal(await store.deletePasswordPolicy(envA, own.id), 'in_use');
      updated(await store.updatePopulation(envA, { ...a.population, version: 2 }));
      assert.equal(await store.deletePasswordPolicy(envA, own.id), 'deleted');
      assert.equal(await store.getPasswordPolicy(envA, own.id), undefined);
    });

    it("a population cannot name a policy its environment lacks (MissingReference('passwordPolicy'))", async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const foreign = policy(envB);
      await store.createPasswordPolicy(envB, foreign);
      const isMissing = (err: unknown) => err instanceof MissingReference && err.field === 'passwordPolicy';
      await assert.rejects(store.updatePopulation(envA, { ...a.population, passwordPolicyId: foreign.id }), isMissing);
      const extra = { ...a.population, id: randomUUID(), name: 'extra', default: false, passwordPolicyId: randomUUID() };
      await assert.rejects(store.createPopulation(envA, extra), isMissing);
      assert.equal(await store.getPopulation(envA, extra.id), undefined);
    });

    it('deleting an environment deletes its policies', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      await store.createPasswordPolicy(envA, policy(envA, { default: true }));
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.deepEqual(await store.listPasswordPolicies(envA), []);
    });
  });
}
