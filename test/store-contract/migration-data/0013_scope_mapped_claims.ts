/**
 * Migration 0013_scope_mapped_claims: scopes written before it map no claims and read back
 * unchanged (0001's case reads them exactly); a scope of the openid resource can then list the
 * resource's custom attributes in `mappedClaims`, and deleting an attribute takes it out of every
 * scope that lists it (a scope left with none maps nothing), in the same transaction.
 */
import assert from 'node:assert/strict';
import type { ResourceAttributeRecord } from '../../../src/store/types.js';
import type { CaseContext, MigrationCase } from './harness.js';

const at = '2026-04-01T00:00:00.000Z';
const attribute = (id: string, name: string): ResourceAttributeRecord => ({
  id,
  environmentId: 'env-a',
  resourceId: 'res-oidc',
  name,
  settings: { value: name, type: 'CUSTOM', idToken: true, userInfo: false },
  version: 1,
  createdAt: at,
  updatedAt: at,
});

async function promises13({ store }: CaseContext): Promise<void> {
  const profile = await store.getScope('env-a', 'res-oidc', 'sc-profile');
  assert.ok(profile);
  assert.equal(Object.hasOwn(profile, 'mappedClaims'), false);
  assert.equal((await store.getOpenIdResource('env-a'))?.id, 'res-oidc');

  await store.createResourceAttribute('env-a', attribute('ra-oidc-rank', 'rank'));
  await store.createResourceAttribute('env-a', attribute('ra-oidc-team', 'team'));
  const mapped = await store.updateScope('env-a', { ...profile, mappedClaims: ['ra-oidc-rank', 'ra-oidc-team'], updatedAt: at });
  assert.equal(mapped.status, 'updated');
  const openidScope = await store.getScope('env-a', 'res-oidc', 'sc-openid');
  assert.ok(openidScope);
  await store.updateScope('env-a', { ...openidScope, mappedClaims: ['ra-oidc-rank'], updatedAt: at });
  assert.deepEqual((await store.getScope('env-a', 'res-oidc', 'sc-profile'))?.mappedClaims, ['ra-oidc-rank', 'ra-oidc-team']);
  assert.deepEqual((await store.getScopesByIds('env-a', ['sc-openid']))[0]?.mappedClaims, ['ra-oidc-rank']);

  assert.equal(await store.deleteResourceAttribute('env-a', 'res-oidc', 'ra-oidc-rank'), true);
  const after = await store.getScope('env-a', 'res-oidc', 'sc-profile');
  assert.deepEqual(after?.mappedClaims, ['ra-oidc-team']);
  assert.equal(after?.version, profile.version + 2, 'the unmapping is a write of the scope');
  assert.equal(Object.hasOwn((await store.getScope('env-a', 'res-oidc', 'sc-openid')) ?? {}, 'mappedClaims'), false);
  assert.equal(await store.deleteResourceAttribute('env-a', 'res-oidc', 'ra-oidc-rank'), false);
}

// ---------------------------------------------------------------------------------------------
// Version 13: in env-b, an openid resource with a custom attribute and a scope that maps it (env-a's
// openid scopes are listed exactly by 0001's read-back).

const ROWS_13 = `
INSERT INTO resources (environment_id, id, name, type, description, audience, access_token_validity_seconds, version, created_at, updated_at) VALUES
  ('env-b', 'res-b-oidc', 'openid', 'OPENID_CONNECT', NULL, 'https://auth.example.test/env-b', 3600, 1, '2026-04-02T00:00:00.000Z', '2026-04-02T00:00:00.000Z');
INSERT INTO resource_attributes (environment_id, id, resource_id, name, definition, version, created_at, updated_at) VALUES
  ('env-b', 'ra-oidc-title', 'res-b-oidc', 'title', '{"value":"\${user.title}","type":"CUSTOM","idToken":true,"userInfo":true}', 1, '2026-04-02T00:00:00.000Z', '2026-04-02T00:00:00.000Z');
INSERT INTO scopes (environment_id, id, resource_id, name, description, version, created_at, updated_at, mapped_claims) VALUES
  ('env-b', 'sc-title', 'res-b-oidc', 'title', 'Job title', 1, '2026-04-02T00:00:00.000Z', '2026-04-02T00:00:00.000Z', '["ra-oidc-title"]');
`;

async function readBack13(store: CaseContext['store']): Promise<void> {
  assert.deepEqual(await store.getScope('env-b', 'res-b-oidc', 'sc-title'), {
    id: 'sc-title',
    environmentId: 'env-b',
    resourceId: 'res-b-oidc',
    name: 'title',
    description: 'Job title',
    mappedClaims: ['ra-oidc-title'],
    version: 1,
    createdAt: '2026-04-02T00:00:00.000Z',
    updatedAt: '2026-04-02T00:00:00.000Z',
  });
  assert.deepEqual(await store.getResourceAttribute('env-b', 'res-b-oidc', 'ra-oidc-title'), {
    id: 'ra-oidc-title',
    environmentId: 'env-b',
    resourceId: 'res-b-oidc',
    name: 'title',
    settings: { value: '\${user.title}', type: 'CUSTOM', idToken: true, userInfo: true },
    version: 1,
    createdAt: '2026-04-02T00:00:00.000Z',
    updatedAt: '2026-04-02T00:00:00.000Z',
  });
}

export const migrationCase: MigrationCase = { version: 13, name: 'scope_mapped_claims', rows: ROWS_13, readBack: readBack13, promises: promises13 };
