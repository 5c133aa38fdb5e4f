/**
 * Contract: custom attributes of the user schema. Read back exactly; names unique per
 * environment without regard to case; an update replaces the definition under the version check
 * and never the name; one environment never sees another's attributes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { UniqueViolation, type SchemaAttributeRecord } from '../../src/store/types.js';
import { CREATED_AT, UPDATED_AT } from '../support/store-fixtures.js';
import { seedTwoEnvironments, updated, type ContractContext } from './harness.js';

const attribute = (environmentId: string, overrides: Partial<SchemaAttributeRecord> = {}): SchemaAttributeRecord => ({
  id: randomUUID(),
  environmentId,
  name: `attr${randomUUID().slice(0, 8)}`,
  settings: { type: 'STRING', displayName: 'Shirt size', enabled: true, required: false, unique: false, multiValued: false, enumeratedValues: [{ value: 'M' }] },
  version: 1,
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
  ...overrides,
});

export function schemaAttributesContract(ctx: ContractContext): void {
  describe('schema attributes', () => {
    it('creates, reads and lists exactly, by name; names are unique per environment in any case', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const b = attribute(envA, { name: 'shirtSize' });
      const a = attribute(envA, { name: 'Badge', settings: { type: 'JSON', enabled: true, required: false, unique: false, multiValued: true } });
      await store.createSchemaAttribute(envA, b);
      await store.createSchemaAttribute(envA, a);
      assert.deepEqual(await store.getSchemaAttribute(envA, b.id), b);
      assert.deepEqual(await store.listSchemaAttributes(envA), [a, b]);
      await assert.rejects(store.createSchemaAttribute(envA, attribute(envA, { name: 'SHIRTSIZE' })), (err: unknown) => err instanceof UniqueViolation && err.field === 'name');
      await store.createSchemaAttribute(envB, attribute(envB, { name: 'shirtSize' }));
      assert.equal(await store.getSchemaAttribute(envB, b.id), undefined, 'invisible from another environment');
      assert.equal(await store.deleteSchemaAttribute(envB, b.id), false);
      assert.equal((await store.updateSchemaAttribute(envB, { ...b, environmentId: envB })).status, 'not_found');
    });

    it('an update replaces the definition under the version check and keeps the name; delete removes it', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const a = attribute(envA, { name: 'shirtSize' });
      await store.createSchemaAttribute(envA, a);
      const settings = { ...a.settings, multiValued: true, description: 'What fits' };
      const next = updated(await store.updateSchemaAttribute(envA, { ...a, name: 'renamed', settings, updatedAt: UPDATED_AT }, 1));
      assert.deepEqual(next, { ...a, settings, version: 2, updatedAt: UPDATED_AT });
      assert.equal((await store.updateSchemaAttribute(envA, { ...a, updatedAt: UPDATED_AT }, 1)).status, 'conflict');
      assert.equal(await store.deleteSchemaAttribute(envA, a.id), true);
      assert.equal(await store.getSchemaAttribute(envA, a.id), undefined);
      assert.equal(await store.deleteSchemaAttribute(envA, a.id), false);
    });
  });
}
