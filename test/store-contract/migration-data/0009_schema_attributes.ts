/**
 * Migration 0009_schema_attributes: environments written before it have no custom attributes;
 * their populations and password policies read back unchanged; an attribute can then be created
 * in one, its name unique there without regard to case; deleting an environment takes its
 * attributes.
 */
import assert from 'node:assert/strict';
import { UniqueViolation, type SchemaAttributeRecord } from '../../../src/store/types.js';
import { POP_A } from './0001_init.js';
import { sql, type CaseContext, type MigrationCase } from './harness.js';

const SHIRT_SIZE: SchemaAttributeRecord = {
  id: 'attr-a-shirt',
  environmentId: 'env-a',
  name: 'shirtSize',
  settings: { type: 'STRING', enabled: true, required: false, unique: false, multiValued: false, enumeratedValues: [{ value: 'S' }, { value: 'M' }] },
  version: 1,
  createdAt: '2026-02-01T00:00:00.000Z',
  updatedAt: '2026-02-01T00:00:00.000Z',
};

/** At version 9: a custom attribute of environment A. */
const ROWS_9 = sql`
INSERT INTO schema_attributes (environment_id, id, name, name_lower, definition, version, created_at, updated_at) VALUES
  ('env-a', 'attr-a-dept', 'department', 'department', '{"type":"STRING","enabled":true,"required":false,"unique":true,"multiValued":false}', 2,
   '2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z');
`;

export const DEPARTMENT: SchemaAttributeRecord = {
  id: 'attr-a-dept',
  environmentId: 'env-a',
  name: 'department',
  settings: { type: 'STRING', enabled: true, required: false, unique: true, multiValued: false },
  version: 2,
  createdAt: '2026-01-15T00:00:00.000Z',
  updatedAt: '2026-01-16T00:00:00.000Z',
};

async function readBack9(store: CaseContext['store']): Promise<void> {
  assert.deepEqual(await store.getSchemaAttribute('env-a', 'attr-a-dept'), DEPARTMENT);
}

async function promises9({ store }: CaseContext): Promise<void> {
  assert.deepEqual(await store.listSchemaAttributes('env-a'), []);
  assert.deepEqual(await store.listSchemaAttributes('env-b'), []);
  assert.deepEqual(await store.getPopulation('env-a', 'pop-a'), POP_A);
  assert.equal((await store.getPasswordPolicy('env-a', 'pp-a-custom'))?.name, 'Custom');

  await store.createSchemaAttribute('env-a', SHIRT_SIZE);
  assert.deepEqual(await store.getSchemaAttribute('env-a', SHIRT_SIZE.id), SHIRT_SIZE);
  await assert.rejects(store.createSchemaAttribute('env-a', { ...SHIRT_SIZE, id: 'attr-a-other', name: 'ShirtSize' }), (err: unknown) => err instanceof UniqueViolation && err.field === 'name');

  assert.equal(await store.deleteEnvironment('env-a'), true);
  assert.deepEqual(await store.listSchemaAttributes('env-a'), []);
}

export const migrationCase: MigrationCase = { version: 9, name: 'schema_attributes', rows: ROWS_9, readBack: readBack9, promises: promises9 };
