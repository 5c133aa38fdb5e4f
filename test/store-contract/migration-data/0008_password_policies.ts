/**
 * Migration 0008_password_policies: every environment written before it gets PingOne's three
 * built-in policies (Standard the default) with fresh UUIDs; populations written before read back
 * unchanged, with no policy of their own, so the default governs their users; a population can
 * then name a policy, which keeps that policy from being deleted; deleting an environment takes
 * its policies.
 */
import assert from 'node:assert/strict';
import { isUuid } from '../../../src/domain/ids.js';
import type { PasswordPolicyRecord } from '../../../src/store/types.js';
import { POP_A, POP_B } from './0001_init.js';
import { sql, type CaseContext, type MigrationCase } from './harness.js';

/** At version 8: a custom policy of environment A. */
const ROWS_8 = sql`
INSERT INTO password_policies (environment_id, id, name, is_default, rules, version, created_at, updated_at) VALUES
  ('env-a', 'pp-a-custom', 'Custom', '0', '{"excludesProfileData":false,"notSimilarToCurrent":false,"excludesCommonlyUsed":true,"length":{"min":10}}', 1,
   '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
`;

const PP_A_CUSTOM: PasswordPolicyRecord = {
  id: 'pp-a-custom',
  environmentId: 'env-a',
  name: 'Custom',
  default: false,
  settings: { excludesProfileData: false, notSimilarToCurrent: false, excludesCommonlyUsed: true, length: { min: 10 } },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

async function readBack8(store: CaseContext['store']): Promise<void> {
  assert.deepEqual(await store.getPasswordPolicy('env-a', 'pp-a-custom'), PP_A_CUSTOM);
}

async function promises8({ store }: CaseContext): Promise<void> {
  const ids = new Set<string>();
  for (const env of ['env-a', 'env-b']) {
    const policies = await store.listPasswordPolicies(env);
    assert.deepEqual(policies.map((p) => p.name), ['Basic', 'Passphrase', 'Standard']);
    assert.deepEqual(policies.filter((p) => p.default).map((p) => p.name), ['Standard']);
    for (const p of policies) {
      assert.ok(isUuid(p.id), `${p.id} is a UUID`);
      ids.add(p.id);
      assert.equal(p.version, 1);
    }
    const standard = policies.find((p) => p.name === 'Standard');
    assert.deepEqual(standard?.settings.lockout, { failureCount: 5, durationSeconds: 900 });
    assert.deepEqual(standard?.settings.length, { min: 8, max: 255 });
  }
  assert.equal(ids.size, 6, 'each environment has its own ids');

  // Populations written before have no policy of their own: the default governs them.
  assert.deepEqual(await store.getPopulation('env-a', 'pop-a'), POP_A);
  assert.deepEqual(await store.getPopulation('env-b', 'pop-b'), POP_B);
  assert.equal((await store.getEffectivePasswordPolicy('env-a', 'pop-a'))?.name, 'Standard');

  // A population can now name one, which then governs it and cannot be deleted.
  const basic = (await store.listPasswordPolicies('env-a')).find((p) => p.name === 'Basic') as PasswordPolicyRecord;
  const updated = await store.updatePopulation('env-a', { ...POP_A, passwordPolicyId: basic.id });
  assert.equal(updated.status, 'updated');
  assert.equal((await store.getEffectivePasswordPolicy('env-a', 'pop-a'))?.id, basic.id);
  assert.equal(await store.deletePasswordPolicy('env-a', basic.id), 'in_use');

  // Deleting the environment takes its policies.
  assert.equal(await store.deleteEnvironment('env-b'), true);
  assert.deepEqual(await store.listPasswordPolicies('env-b'), []);
}

export const migrationCase: MigrationCase = { version: 8, name: 'password_policies', rows: ROWS_8, readBack: readBack8, promises: promises8 };
