/**
 * The custom attribute values of a user body (src/management/users/custom-values.ts), held to
 * the attributes' definitions (developer.pingidentity.com, "Schemas"; OpenAPI `SchemaAttribute`).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ErrorDetail } from '../../../src/domain/pingone-error.js';
import type { CustomAttributeSettings } from '../../../src/domain/users/custom-attribute.js';
import { MAX_CUSTOM_VALUES_SIZE, readCustomValues } from '../../../src/management/users/custom-values.js';
import type { SchemaAttributeRecord } from '../../../src/store/types.js';

const attr = (name: string, settings: Partial<CustomAttributeSettings> = {}): SchemaAttributeRecord => ({
  id: name,
  environmentId: 'env',
  name,
  settings: { type: 'STRING', enabled: true, required: false, unique: false, multiValued: false, ...settings },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function read(body: Record<string, unknown>, schema: SchemaAttributeRecord[], held = {}) {
  const issues: ErrorDetail[] = [];
  return { values: readCustomValues(body, schema, issues, held), issues: issues.map((i) => `${i.code} ${i.target}`) };
}

test('values of enabled attributes are taken; disabled ones and PingOne User fields are ignored', () => {
  const schema = [attr('a'), attr('b', { enabled: false }), attr('c', { type: 'JSON', multiValued: true })];
  assert.deepEqual(read({ username: 'u', address: {}, a: 'x', b: 'ignored', c: [{ k: 1 }] }, schema), { values: { a: 'x', c: [{ k: 1 }] }, issues: [] });
});

test('an empty array or null is no value; a required attribute then answers REQUIRED_VALUE', () => {
  const schema = [attr('m', { multiValued: true, required: true }), attr('s', { required: true })];
  assert.deepEqual(read({ m: [], s: null }, schema).issues, ['REQUIRED_VALUE m', 'REQUIRED_VALUE s']);
});

test('an archived enumerated value is allowed only to a user who holds it', () => {
  const schema = [attr('size', { enumeratedValues: [{ value: 'S' }, { value: 'XL', archived: true }] })];
  assert.deepEqual(read({ size: 'XL' }, schema).issues, ['INVALID_VALUE size']);
  assert.deepEqual(read({ size: 'XL' }, schema, { size: 'XL' }), { values: { size: 'XL' }, issues: [] });
});

test('the 16 KB bound counts string lengths and JSON values by their JSON text', () => {
  const schema = [attr('s'), attr('j', { type: 'JSON' })];
  const fits = 'x'.repeat(MAX_CUSTOM_VALUES_SIZE - JSON.stringify({ k: '' }).length);
  assert.deepEqual(read({ s: fits, j: { k: '' } }, schema).issues, []);
  assert.deepEqual(read({ s: `${fits}x`, j: { k: '' } }, schema).issues, ['SIZE_LIMIT_EXCEEDED j']);
});
