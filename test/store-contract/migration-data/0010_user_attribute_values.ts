/**
 * Migration 0010_user_attribute_values: users and custom attributes written before it read back
 * with no values; a user can then hold values of an attribute written before, unique where its
 * definition says so; deleting the attribute, the user or the environment takes the values.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { UniqueAttributeValue } from '../../../src/store/types.js';
import { DEPARTMENT } from './0009_schema_attributes.js';
import { sql, type CaseContext, type MigrationCase } from './harness.js';

const COMPILERS_HASH = createHash('sha256').update(JSON.stringify('Compilers')).digest('hex');

/**
 * At version 10: in environment B, a unique team attribute and a user, Grace, holding 'Compilers'
 * of it (the value as JSON text; its hash the SHA-256 of that text,
 * src/store/shared/custom-value-rows.ts).
 */
const ROWS_10 = sql`
INSERT INTO schema_attributes (environment_id, id, name, name_lower, definition, version, created_at, updated_at) VALUES
  ('env-b', 'attr-b-team', 'team', 'team', '{"type":"STRING","enabled":true,"required":false,"unique":true,"multiValued":false}', 1,
   '2026-03-04T00:00:00.000Z', '2026-03-04T00:00:00.000Z');
INSERT INTO users (environment_id, id, population_id, username, username_lower, email, enabled, lifecycle_status, profile, password_hash, password_force_change, password_changed_at, failed_attempts, locked_until, version, created_at, updated_at) VALUES
  ('env-b', 'user-grace', 'pop-b', 'grace', 'grace', 'grace@example.test', '1', 'ACCOUNT_OK', '{}', NULL, '0', NULL, 0, NULL, 1,
   '2026-03-05T00:00:00.000Z', '2026-03-05T00:00:00.000Z');
INSERT INTO user_attribute_values (environment_id, user_id, attribute_id, position, value, value_hash) VALUES
  ('env-b', 'user-grace', 'attr-b-team', 0, '"Compilers"', '${COMPILERS_HASH}');
INSERT INTO user_unique_values (environment_id, attribute_id, value_hash, user_id) VALUES
  ('env-b', 'attr-b-team', '${COMPILERS_HASH}', 'user-grace');
`;

async function readBack10(store: CaseContext['store']): Promise<void> {
  const grace = await store.getUser('env-b', 'user-grace');
  assert.equal(grace?.username, 'grace');
  assert.deepEqual(grace?.customAttributes, { team: 'Compilers' });
}

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

export const migrationCase: MigrationCase = { version: 10, name: 'user_attribute_values', rows: ROWS_10, readBack: readBack10, promises: promises10 };
