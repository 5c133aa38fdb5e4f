/**
 * Migration 0011_attribute_mappings: applications and resources written before it have no
 * attribute mappings; their rows read back unchanged; mappings can then be created on them, their
 * names unique per application or resource; deleting the application, the resource or the
 * environment takes them.
 */
import assert from 'node:assert/strict';
import { UniqueViolation, type ApplicationAttributeRecord, type ResourceAttributeRecord } from '../../../src/store/types.js';
import { APP_WEB } from './0001_init.js';
import { sql, type CaseContext, type MigrationCase } from './harness.js';

const GROUPS_CLAIM: ApplicationAttributeRecord = {
  id: 'aa-web-groups',
  environmentId: 'env-a',
  applicationId: 'app-web',
  name: 'groups',
  settings: { value: '${user.memberOfGroupNames}', required: false, mappingType: 'CUSTOM', idToken: true, userInfo: true },
  version: 1,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

const TENANT_CLAIM: ResourceAttributeRecord = {
  id: 'ra-api-tenant',
  environmentId: 'env-a',
  resourceId: 'res-api',
  name: 'tenant',
  settings: { value: 'acme', type: 'CUSTOM' },
  version: 1,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

const isNameClash = (err: unknown) => err instanceof UniqueViolation && err.field === 'name';

/** At version 11: a mapping of the web application with oidcScopes, and an attribute of the API resource. */
const ROWS_11 = sql`
INSERT INTO application_attributes (environment_id, id, application_id, name, definition, version, created_at, updated_at) VALUES
  ('env-a', 'aa-web-dept', 'app-web', 'department', '{"value":"${'$'}{user.department}","required":true,"mappingType":"CUSTOM","idToken":true,"userInfo":false,"oidcScopes":["sc-profile"]}', 2,
   '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z');
INSERT INTO resource_attributes (environment_id, id, resource_id, name, definition, version, created_at, updated_at) VALUES
  ('env-a', 'ra-api-region', 'res-api', 'region', '{"value":"eu-west","type":"CUSTOM"}', 1, '2026-03-02T00:00:00.000Z', '2026-03-02T00:00:00.000Z');
`;

async function readBack11(store: CaseContext['store']): Promise<void> {
  assert.deepEqual(await store.listApplicationAttributes('env-a', 'app-web'), [
    {
      id: 'aa-web-dept',
      environmentId: 'env-a',
      applicationId: 'app-web',
      name: 'department',
      settings: { value: '${user.department}', required: true, mappingType: 'CUSTOM', idToken: true, userInfo: false, oidcScopes: ['sc-profile'] },
      version: 2,
      createdAt: '2026-03-02T00:00:00.000Z',
      updatedAt: '2026-03-03T00:00:00.000Z',
    },
  ]);
  assert.deepEqual(await store.getResourceAttribute('env-a', 'res-api', 'ra-api-region'), {
    id: 'ra-api-region',
    environmentId: 'env-a',
    resourceId: 'res-api',
    name: 'region',
    settings: { value: 'eu-west', type: 'CUSTOM' },
    version: 1,
    createdAt: '2026-03-02T00:00:00.000Z',
    updatedAt: '2026-03-02T00:00:00.000Z',
  });
}

async function promises11({ store }: CaseContext): Promise<void> {
  assert.deepEqual(await store.listApplicationAttributes('env-a', 'app-web'), []);
  assert.deepEqual(await store.listResourceAttributes('env-a', 'res-api'), []);
  assert.deepEqual(await store.getApplication('env-a', 'app-web'), APP_WEB);

  await store.createApplicationAttribute('env-a', GROUPS_CLAIM);
  await store.createResourceAttribute('env-a', TENANT_CLAIM);
  assert.deepEqual(await store.listApplicationAttributes('env-a', 'app-web'), [GROUPS_CLAIM]);
  assert.deepEqual(await store.getResourceAttribute('env-a', 'res-api', TENANT_CLAIM.id), TENANT_CLAIM);
  await assert.rejects(store.createApplicationAttribute('env-a', { ...GROUPS_CLAIM, id: 'aa-web-other' }), isNameClash);
  await assert.rejects(store.createResourceAttribute('env-a', { ...TENANT_CLAIM, id: 'ra-api-other' }), isNameClash);

  assert.equal((await store.deleteApplication('env-a', 'app-web')).status, 'updated');
  assert.deepEqual(await store.listApplicationAttributes('env-a', 'app-web'), []);
  assert.equal(await store.deleteEnvironment('env-a'), true);
  assert.deepEqual(await store.listResourceAttributes('env-a', 'res-api'), []);
}

export const migrationCase: MigrationCase = { version: 11, name: 'attribute_mappings', rows: ROWS_11, readBack: readBack11, promises: promises11 };
