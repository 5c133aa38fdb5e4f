/**
 * Migration 0010_user_attribute_values: users and custom attributes written before it read back
 * with no values; a user can then hold values of an attribute written before, unique where its
 * definition says so; deleting the attribute, the user or the environment takes the values.
 */
import assert from 'node:assert/strict';
import { UniqueAttributeValue } from '../../../src/store/types.js';
import { DEPARTMENT } from './0009_schema_attributes.js';
import type { CaseContext, MigrationCase } from './harness.js';

async function promises10({ store }: CaseContext): Promise<void> {
  const alice = await store.getUser('env-a', 'user-alice');
  assert.ok(alice);
  assert.deepEqual(alice.customAttributes, {});
  assert.deepEqual(await store.getSchemaAttribute('env-a', DEPARTMENT.id), DEPARTMENT);

  const written = await store.replaceUser('env-a', { ...alice, customAttributes: { department: 'Engines' } });
  assert.equal(written.status, 'updated');
  assert.deepEqual((await store.getUser('env-a', 'user-alice'))?.customAttributes, { department: 'Engines' });
  const emile = await store.getUser('env-a', 'user-emile');
  assert.ok(emile);
  await assert.rejects(store.replaceUser('env-a', { ...emile, customAttributes: { department: 'Engines' } }), (err: unknown) => err instanceof UniqueAttributeValue);

  assert.equal(await store.deleteSchemaAttribute('env-a', DEPARTMENT.id), true);
  assert.deepEqual((await store.getUser('env-a', 'user-alice'))?.customAttributes, {});
  assert.equal(await store.deleteEnvironment('env-a'), true);
}

export const migrationCase: MigrationCase = { version: 10, name: 'user_attribute_values', promises: promises10 };
