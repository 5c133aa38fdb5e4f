/**
 * Custom attributes of the user schema (OpenAPI createAttribute, updateAttributePut,
 * updateAttributePatch, deleteAttribute; developer.pingidentity.com, "Schemas"): STRING and JSON
 * attributes are created, read, replaced, patched and deleted, each a `SchemaAttribute` with
 * `schemaType` CUSTOM; core and standard attributes are not changed or deleted; a bad body
 * stores nothing; Environment Admin and Identity Data Admin write, Client Application Developer
 * gets 403.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import { assignRole, createApp, createEnvironment, expectForbidden, expectSchema, expectStatus, startInProcess, tokenFor, type InProcess } from '../support/harness.js';

let h: InProcess;
let env: string;
let attributes: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'schema-attributes-env');
  const [schema] = expectStatus(await h.inject('GET', `/v1/environments/${env}/schemas`), 200).body._embedded.schemas;
  attributes = `/v1/environments/${env}/schemas/${schema.id}/attributes`;
});
after(() => h.close());

const list = async (): Promise<Array<Record<string, any>>> => expectStatus(await h.inject('GET', attributes), 200).body._embedded.attributes;

describe('schema attributes: custom attributes', () => {
  test('POST creates a CUSTOM STRING attribute with enumeratedValues, listed and readable by id', async () => {
    const body = { name: 'shirtSize', displayName: 'Shirt size', enabled: true, unique: false, enumeratedValues: [{ value: 'S' }, { value: 'M', description: 'Medium' }] };
    const created = expectStatus(await h.inject('POST', attributes, { body }), 201).body;
    expectSchema('SchemaAttribute', created);
    assert.equal(created.schemaType, 'CUSTOM');
    assert.equal(created.type, 'STRING');
    assert.equal(created.multiValued, false);
    assert.deepEqual(created.enumeratedValues, body.enumeratedValues);
    assert.deepEqual(expectStatus(await h.inject('GET', `${attributes}/${created.id}`), 200).body, created);
    assert.deepEqual((await list()).find((a) => a.name === 'shirtSize'), created);
    const [schema] = expectStatus(await h.inject('GET', `/v1/environments/${env}/schemas`), 200).body._embedded.schemas;
    assert.ok(schema.attributes.some((a: any) => a.id === created.id), 'the schema lists it');
  });

  test('a JSON attribute can be multi-valued; BOOLEAN and COMPLEX cannot be created (EnumSchemaAttributeType)', async () => {
    const json = expectStatus(await h.inject('POST', attributes, { body: { name: 'badges', type: 'JSON', enabled: true, multiValued: true } }), 201).body;
    expectSchema('SchemaAttribute', json);
    for (const type of ['BOOLEAN', 'COMPLEX', 'NUMBER']) {
      const res = expectStatus(await h.inject('POST', attributes, { body: { name: `x${type}`, type, enabled: true } }), 400);
      assert.equal(res.body.code, 'INVALID_DATA');
      assert.equal(res.body.details[0].target, 'type');
    }
    assert.ok(!(await list()).some((a) => a.name.startsWith('x')), 'nothing stored');
  });

  test('bad bodies answer 400 INVALID_DATA naming each field, and store nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ enabled: true }, 'name'],
      [{ name: '1st', enabled: true }, 'name'],
      [{ name: 'has_underscore', enabled: true }, 'name'],
      [{ name: 'noEnabled' }, 'enabled'],
      [{ name: 'jsonEnum', type: 'JSON', enabled: true, enumeratedValues: [{ value: 'a' }] }, 'enumeratedValues'],
      [{ name: 'dupEnum', enabled: true, enumeratedValues: [{ value: 'a' }, { value: 'a' }] }, 'enumeratedValues[1].value'],
      [{ name: 'badRegex', enabled: true, regexValidation: { pattern: '(', requirements: 'r' } }, 'regexValidation.pattern'],
      [{ name: 'sample', enabled: true, regexValidation: { pattern: '[0-9]+', requirements: 'digits', valuesPatternShouldMatch: ['abc'] } }, 'regexValidation.valuesPatternShouldMatch[0]'],
    ];
    const before = (await list()).length;
    for (const [body, target] of cases) {
      const res = expectStatus(await h.inject('POST', attributes, { body }), 400);
      assert.equal(res.body.code, 'INVALID_DATA');
      assert.ok(res.body.details.some((d: any) => d.target === target), `${JSON.stringify(body)} names ${target}: ${JSON.stringify(res.body.details)}`);
    }
    assert.equal((await list()).length, before);
  });

  test('names are unique in the schema without regard to case, and never a core or standard name', async () => {
    expectStatus(await h.inject('POST', attributes, { body: { name: 'costCenter', enabled: true } }), 201);
    for (const name of ['COSTCENTER', 'email', 'Username']) {
      const res = expectStatus(await h.inject('POST', attributes, { body: { name, enabled: true } }), 400);
      assert.equal(res.body.details[0].code, 'UNIQUENESS_VIOLATION');
      assert.equal(res.body.details[0].target, 'name');
    }
  });

  test('PUT replaces and PATCH merges; name and type are fixed and multiValued only goes from false to true', async () => {
    const created = expectStatus(await h.inject('POST', attributes, { body: { name: 'nickTag', enabled: true, description: 'first' } }), 201).body;
    const url = `${attributes}/${created.id}`;
    const put = expectStatus(await h.inject('PUT', url, { body: { name: 'nickTag', enabled: false, multiValued: true } }), 200).body;
    expectSchema('SchemaAttribute', put);
    assert.equal(put.enabled, false);
    assert.equal(put.multiValued, true);
    assert.equal(put.description, undefined, 'PUT replaces the whole attribute');
    const patched = expectStatus(await h.inject('PATCH', url, { body: { description: 'patched' } }), 200).body;
    assert.equal(patched.description, 'patched');
    assert.equal(patched.multiValued, true, 'PATCH keeps what it does not name');
    for (const [body, target] of [[{ name: 'other' }, 'name'], [{ type: 'JSON' }, 'type'], [{ multiValued: false }, 'multiValued']] as const) {
      const res = expectStatus(await h.inject('PATCH', url, { body }), 400);
      assert.equal(res.body.details[0].code, 'CONSTRAINT_VIOLATION');
      assert.equal(res.body.details[0].target, target);
    }
    assert.deepEqual(expectStatus(await h.inject('GET', url), 200).body, patched, 'refused changes store nothing');
  });

  test('DELETE removes a custom attribute; core and standard attributes answer 400 CONSTRAINT_VIOLATION', async () => {
    const created = expectStatus(await h.inject('POST', attributes, { body: { name: 'toDelete', enabled: true } }), 201).body;
    expectStatus(await h.inject('DELETE', `${attributes}/${created.id}`), 204);
    expectStatus(await h.inject('GET', `${attributes}/${created.id}`), 404);
    expectStatus(await h.inject('DELETE', `${attributes}/${created.id}`), 404);
    const all = await list();
    for (const name of ['username', 'email']) {
      const id = all.find((a) => a.name === name)?.id;
      for (const [method, body] of [['DELETE', undefined], ['PUT', { name, enabled: false }], ['PATCH', { enabled: false }]] as const) {
        const res = expectStatus(await h.inject(method, `${attributes}/${id}`, body ? { body } : {}), 400);
        assert.equal(res.body.details[0].code, 'CONSTRAINT_VIOLATION');
      }
    }
  });

  test('another environment does not see, change or delete the attribute', async () => {
    const created = expectStatus(await h.inject('POST', attributes, { body: { name: 'private', enabled: true } }), 201).body;
    const other = await createEnvironment(h, 'schema-attributes-other');
    const [schema] = expectStatus(await h.inject('GET', `/v1/environments/${other}/schemas`), 200).body._embedded.schemas;
    const foreign = `/v1/environments/${other}/schemas/${schema.id}/attributes/${created.id}`;
    expectStatus(await h.inject('GET', foreign), 404);
    expectStatus(await h.inject('PATCH', foreign, { body: { enabled: false } }), 404);
    expectStatus(await h.inject('DELETE', foreign), 404);
    expectStatus(await h.inject('GET', `${attributes}/${created.id}`), 200);
  });

  test('roles: Environment Admin and Identity Data Admin write attributes; Client Application Developer gets 403', async () => {
    const roleEnv = h.adminEnvId;
    const [schema] = expectStatus(await h.inject('GET', `/v1/environments/${roleEnv}/schemas`), 200).body._embedded.schemas;
    const url = `/v1/environments/${roleEnv}/schemas/${schema.id}/attributes`;
    const tokenWith = async (name: string, roleId: string) => {
      const app = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, app.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, app);
    };
    const admin = await tokenWith('attr-env-admin', ROLES.environmentAdmin.id);
    const created = expectStatus(await h.inject('POST', url, { token: admin, body: { name: 'roleCheck', enabled: true } }), 201).body;
    expectStatus(await h.inject('PATCH', `${url}/${created.id}`, { token: admin, body: { description: 'ok' } }), 200);
    const dataAdmin = await tokenWith('attr-data-admin', ROLES.identityDataAdmin.id);
    expectStatus(await h.inject('PUT', `${url}/${created.id}`, { token: dataAdmin, body: { name: 'roleCheck', enabled: true } }), 200);
    const token = await tokenWith('attr-developer', ROLES.clientApplicationDeveloper.id);
    expectForbidden(await h.inject('POST', url, { token, body: { name: 'byDeveloper', enabled: true } }));
    expectForbidden(await h.inject('PUT', `${url}/${created.id}`, { token, body: { name: 'roleCheck', enabled: false } }));
    expectForbidden(await h.inject('PATCH', `${url}/${created.id}`, { token, body: { enabled: false } }));
    expectForbidden(await h.inject('DELETE', `${url}/${created.id}`, { token }));
    expectStatus(await h.inject('DELETE', `${url}/${created.id}`, { token: admin }), 204);
  });
});
