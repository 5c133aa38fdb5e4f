/**
 * The user schema through the management API (OpenAPI `Schema`, `SchemaAttribute`): one schema per
 * environment, "User", listing the core and standard attributes (`schemaType` CORE or STANDARD,
 * OpenAPI `EnumSchemaAttributeSchemaType`) with ids that are stable and differ per environment.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  createApp,
  createEnvironment,
  expectForbidden,
  expectSchema,
  expectStatus,
  startInProcess,
  tokenFor,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
let env: string;
let base: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'schemas-env');
  base = `/v1/environments/${env}/schemas`;
});
after(() => h.close());

describe('schemas: the User schema and its attributes', () => {
  test('GET …/schemas lists one schema, "User", shaped like Schema, whose links resolve', async () => {
    const res = expectStatus(await h.inject('GET', base), 200);
    assert.equal(res.body.count, 1);
    const [schema] = res.body._embedded.schemas;
    expectSchema('Schema', schema);
    assert.equal(schema.name, 'User');
    assert.deepEqual(schema.environment, { id: env });
    const read = expectStatus(await h.inject('GET', `${base}/${schema.id}`), 200);
    assert.deepEqual(read.body, schema);
    const attributes = expectStatus(await h.inject('GET', new URL(schema._links.attributes.href).pathname), 200);
    assert.equal(attributes.body.count, schema.attributes.length);
  });

  test('attributes are CORE or STANDARD, each a SchemaAttribute readable by its id', async () => {
    const [schema] = expectStatus(await h.inject('GET', base), 200).body._embedded.schemas;
    const list = expectStatus(await h.inject('GET', `${base}/${schema.id}/attributes`), 200).body._embedded.attributes as Array<Record<string, any>>;
    const byName = new Map(list.map((a) => [a.name, a]));
    for (const a of list) expectSchema('SchemaAttribute', a);
    assert.equal(byName.get('username')?.schemaType, 'CORE');
    assert.equal(byName.get('username')?.unique, true);
    assert.equal(byName.get('email')?.schemaType, 'STANDARD');
    assert.equal(byName.get('enabled')?.type, 'BOOLEAN');
    assert.deepEqual(byName.get('name')?.subAttributes.map((s: any) => s.name), ['given', 'middle', 'family', 'formatted', 'honorificPrefix', 'honorificSuffix']);
    assert.ok(byName.has('memberOfGroupIDs') && byName.has('memberOfGroupNames'));
    const email = byName.get('email') as Record<string, any>;
    assert.deepEqual(expectStatus(await h.inject('GET', new URL(email._links.self.href).pathname), 200).body, email);
  });

  test('ids are stable and belong to their environment: another environment answers 404 for them', async () => {
    const [schema] = expectStatus(await h.inject('GET', base), 200).body._embedded.schemas;
    const [again] = expectStatus(await h.inject('GET', base), 200).body._embedded.schemas;
    assert.deepEqual(again, schema);
    const other = await createEnvironment(h, 'schemas-other');
    const [foreign] = expectStatus(await h.inject('GET', `/v1/environments/${other}/schemas`), 200).body._embedded.schemas;
    assert.notEqual(foreign.id, schema.id);
    expectStatus(await h.inject('GET', `${base}/${foreign.id}`), 404);
    expectStatus(await h.inject('GET', `${base}/${schema.id}/attributes/${foreign.attributes[0].id}`), 404);
    expectStatus(await h.inject('GET', `${base}/not-a-uuid`), 404);
  });

  test('Environment Admin and Identity Data Admin read the schema; Client Application Developer gets 403', async () => {
    const roleEnv = h.adminEnvId;
    const url = `/v1/environments/${roleEnv}/schemas`;
    const tokenWith = async (name: string, roleId: string) => {
      const app = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, app.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, app);
    };
    expectStatus(await h.inject('GET', url, { token: await tokenWith('schema-env-admin', ROLES.environmentAdmin.id) }), 200);
    expectStatus(await h.inject('GET', url, { token: await tokenWith('schema-data-admin', ROLES.identityDataAdmin.id) }), 200);
    const developer = await tokenWith('schema-developer', ROLES.clientApplicationDeveloper.id);
    const [schema] = expectStatus(await h.inject('GET', url), 200).body._embedded.schemas;
    expectForbidden(await h.inject('GET', url, { token: developer }));
    expectForbidden(await h.inject('GET', `${url}/${schema.id}/attributes`, { token: developer }));
  });
});
