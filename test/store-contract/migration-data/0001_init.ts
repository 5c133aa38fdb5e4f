/**
 * Version 1 (0001_init): the organization, two environments and everything an environment holds,
 * read back at head; rows written at version 1 can still be changed, are held by 0001's unique
 * keys, and go with their environment or resource when it is deleted.
 */
import assert from 'node:assert/strict';
import {
  UniqueViolation,
  type ApplicationRecord,
  type EnvironmentRecord,
  type GrantRecord,
  type OrganizationRecord,
  type PopulationRecord,
  type ResourceRecord,
  type RoleAssignmentRecord,
  type ScopeRecord,
  type SecretRecord,
  type Store,
} from '../../../src/store/types.js';
import type { SigningKeyRecord } from '../../../src/domain/signing-key.js';
import { environmentBundle, resource, scope } from '../../support/store-fixtures.js';
import { updated } from '../harness.js';
import { NOW, page, sql, type CaseContext, type MigrationCase } from './harness.js';

export const ROWS_1 = sql`
INSERT INTO organization (id, name, license_id, created_at) VALUES
  ('org-1', 'Keyway Test Org', 'lic-org', '2025-01-01T00:00:00.000Z');

INSERT INTO environments (id, organization_id, name, description, region, type, license_id, status, extras, settings, version, created_at, updated_at) VALUES
  ('env-a', 'org-1', 'Production EU', 'Main environment', 'EU', 'PRODUCTION', 'lic-a', 'ACTIVE',
   '{"icon":{"href":"https://example.test/icon.png"},"billOfMaterials":{"products":[{"type":"PING_ONE_BASE"}]}}',
   '{"clientAssertionAudiencePolicy":"ISSUER_ONLY","detailedErrors":true,"clockToleranceSeconds":30}',
   3, '2025-01-01T00:00:01.000Z', '2025-01-05T00:00:00.000Z'),
  ('env-b', 'org-1', 'Sandbox', NULL, 'NA', 'SANDBOX', 'lic-b', 'ACTIVE', '{}', '{}', 1, '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z');

INSERT INTO signing_keys (environment_id, id, algorithm, public_jwk, private_key_ciphertext, status, created_at) VALUES
  ('env-a', 'kid-a-2', 'RS256', '{"kty":"RSA","kid":"kid-a-2","use":"sig","alg":"RS256","n":"uXbn","e":"AQAB"}', 'v1.iv.ciphertext-a-2', 'ACTIVE', '2025-01-04T00:00:00.000Z'),
  ('env-a', 'kid-a-1', 'RS256', '{"kty":"RSA","kid":"kid-a-1","use":"sig","alg":"RS256","n":"sXch","e":"AQAB"}', 'v1.iv.ciphertext-a-1', 'RETIRED', '2025-01-01T00:00:01.000Z'),
  ('env-b', 'kid-b-1', 'RS256', '{"kty":"RSA","kid":"kid-b-1","use":"sig","alg":"RS256","n":"tYdo","e":"AQAB"}', 'v1.iv.ciphertext-b-1', 'ACTIVE', '2025-01-02T00:00:00.000Z');

INSERT INTO populations (environment_id, id, name, description, is_default, version, created_at, updated_at) VALUES
  ('env-a', 'pop-a', 'Default', 'Default population', '1', 1, '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.000Z'),
  ('env-b', 'pop-b', 'Default', NULL, '1', 1, '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z');

INSERT INTO applications (environment_id, id, config, version, created_at, updated_at) VALUES
  ('env-a', 'app-web', '{"name":"Portail clients","description":"Customer portal","enabled":true,"type":"WEB_APP","protocol":"OPENID_CONNECT","assignActorRoles":false,"grantTypes":["AUTHORIZATION_CODE","REFRESH_TOKEN"],"responseTypes":["CODE"],"tokenEndpointAuthMethod":"PRIVATE_KEY_JWT","jwks":"{ \"keys\" : [ ]\t}","pkceEnforcement":"S256_REQUIRED","parRequirement":"OPTIONAL","parTimeout":60,"devicePollingInterval":5,"deviceTimeout":600,"redirectUris":["https://portal.example.test/callback"],"postLogoutRedirectUris":["https://portal.example.test/"],"refreshTokenDuration":2592000,"refreshTokenRollingDuration":15552000,"requestScopesForMultipleResourcesEnabled":false,"tokenEndpointAuthSigningAlg":"ES256"}',
   2, '2025-01-03T00:00:00.000Z', '2025-01-04T00:00:00.000Z'),
  ('env-a', 'app-worker', '{"name":"Billing worker","enabled":true,"type":"WORKER","protocol":"OPENID_CONNECT","assignActorRoles":true,"grantTypes":["CLIENT_CREDENTIALS"],"responseTypes":[],"tokenEndpointAuthMethod":"CLIENT_SECRET_BASIC","pkceEnforcement":"OPTIONAL","parRequirement":"OPTIONAL","parTimeout":60,"devicePollingInterval":5,"deviceTimeout":600,"requestScopesForMultipleResourcesEnabled":false}',
   1, '2025-01-03T00:00:01.000Z', '2025-01-03T00:00:01.000Z');

INSERT INTO application_secrets (environment_id, application_id, secret_ciphertext, created_at, previous_secret_ciphertext, previous_expires_at, previous_last_used) VALUES
  ('env-a', 'app-web', 'v1.iv.web-current', '2025-01-04T00:00:00.000Z', 'v1.iv.web-previous', '2025-01-11T00:00:00.000Z', '2025-01-04T12:00:00.000Z'),
  ('env-a', 'app-worker', 'v1.iv.worker-current', '2025-01-03T00:00:01.000Z', NULL, NULL, NULL);

INSERT INTO resources (environment_id, id, name, type, description, audience, access_token_validity_seconds, version, created_at, updated_at) VALUES
  ('env-a', 'res-oidc', 'openid', 'OPENID_CONNECT', NULL, 'https://auth.example.test/env-a', 3600, 1, '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.000Z'),
  ('env-a', 'res-api', 'Orders API', 'CUSTOM', 'Orders service', 'https://orders.example.test', 7200, 2, '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z');

INSERT INTO scopes (environment_id, id, resource_id, name, description, version, created_at, updated_at) VALUES
  ('env-a', 'sc-openid', 'res-oidc', 'openid', NULL, 1, '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.000Z'),
  ('env-a', 'sc-profile', 'res-oidc', 'profile', 'Profile claims', 1, '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.000Z'),
  ('env-a', 'sc-read', 'res-api', 'orders:read', 'Read orders', 1, '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z'),
  ('env-a', 'sc-write', 'res-api', 'orders:write', NULL, 2, '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z');

INSERT INTO grants (environment_id, id, application_id, resource_id, scope_ids, version, created_at, updated_at) VALUES
  ('env-a', 'gr-web-api', 'app-web', 'res-api', '["sc-read"]', 2, '2025-01-03T02:00:00.000Z', '2025-01-04T00:00:00.000Z'),
  ('env-a', 'gr-web-oidc', 'app-web', 'res-oidc', '["sc-profile","sc-openid"]', 1, '2025-01-03T01:00:00.000Z', '2025-01-03T01:00:00.000Z'),
  ('env-a', 'gr-worker-api', 'app-worker', 'res-api', '["sc-read","sc-write"]', 1, '2025-01-03T03:00:00.000Z', '2025-01-03T03:00:00.000Z');

INSERT INTO role_assignments (environment_id, id, application_id, role_id, scope_type, scope_id, created_at) VALUES
  ('env-a', 'ra-worker-org', 'app-worker', 'role-org-admin', 'ORGANIZATION', 'org-1', '2025-01-03T04:00:01.000Z'),
  ('env-a', 'ra-worker-env', 'app-worker', 'role-env-admin', 'ENVIRONMENT', 'env-a', '2025-01-03T04:00:00.000Z');
`;

const ORG: OrganizationRecord = { id: 'org-1', name: 'Keyway Test Org', licenseId: 'lic-org', createdAt: '2025-01-01T00:00:00.000Z' };

export const ENV_A: EnvironmentRecord = {
  id: 'env-a',
  organizationId: 'org-1',
  name: 'Production EU',
  description: 'Main environment',
  region: 'EU',
  type: 'PRODUCTION',
  licenseId: 'lic-a',
  status: 'ACTIVE',
  extras: { icon: { href: 'https://example.test/icon.png' }, billOfMaterials: { products: [{ type: 'PING_ONE_BASE' }] } },
  settings: { clientAssertionAudiencePolicy: 'ISSUER_ONLY', detailedErrors: true, clockToleranceSeconds: 30 },
  version: 3,
  createdAt: '2025-01-01T00:00:01.000Z',
  updatedAt: '2025-01-05T00:00:00.000Z',
};

const ENV_B: EnvironmentRecord = {
  id: 'env-b',
  organizationId: 'org-1',
  name: 'Sandbox',
  region: 'NA',
  type: 'SANDBOX',
  licenseId: 'lic-b',
  status: 'ACTIVE',
  extras: {},
  settings: {},
  version: 1,
  createdAt: '2025-01-02T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
};

const rsaKey = (environmentId: string, id: string, n: string, status: SigningKeyRecord['status'], createdAt: string): SigningKeyRecord => ({
  id,
  environmentId,
  algorithm: 'RS256',
  publicJwk: { kty: 'RSA', kid: id, use: 'sig', alg: 'RS256', n, e: 'AQAB' },
  privateKeyCiphertext: `v1.iv.ciphertext-${id.slice(4)}`,
  status,
  createdAt,
  // As migration 0013 reads a key written before it: the active one is the default signing key.
  usageType: 'SIGNING',
  default: status === 'ACTIVE',
  keyAlgorithm: 'RSA',
  keyLength: 2048,
});

const KEYS_A = [
  rsaKey('env-a', 'kid-a-1', 'sXch', 'RETIRED', '2025-01-01T00:00:01.000Z'),
  rsaKey('env-a', 'kid-a-2', 'uXbn', 'ACTIVE', '2025-01-04T00:00:00.000Z'),
];
const KEYS_B = [rsaKey('env-b', 'kid-b-1', 'tYdo', 'ACTIVE', '2025-01-02T00:00:00.000Z')];

export const POP_A: PopulationRecord = {
  id: 'pop-a',
  environmentId: 'env-a',
  name: 'Default',
  description: 'Default population',
  default: true,
  version: 1,
  createdAt: '2025-01-01T00:00:01.000Z',
  updatedAt: '2025-01-01T00:00:01.000Z',
};

export const POP_B: PopulationRecord = {
  id: 'pop-b',
  environmentId: 'env-b',
  name: 'Default',
  default: true,
  version: 1,
  createdAt: '2025-01-02T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
};

export const APP_WEB: ApplicationRecord = {
  id: 'app-web',
  environmentId: 'env-a',
  config: {
    name: 'Portail clients',
    description: 'Customer portal',
    enabled: true,
    type: 'WEB_APP',
    protocol: 'OPENID_CONNECT',
    assignActorRoles: false,
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    responseTypes: ['CODE'],
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    jwks: '{ "keys" : [ ]\t}',
    pkceEnforcement: 'S256_REQUIRED',
    parRequirement: 'OPTIONAL',
    parTimeout: 60,
    devicePollingInterval: 5,
    deviceTimeout: 600,
    redirectUris: ['https://portal.example.test/callback'],
    postLogoutRedirectUris: ['https://portal.example.test/'],
    refreshTokenDuration: 2592000,
    refreshTokenRollingDuration: 15552000,
    requestScopesForMultipleResourcesEnabled: false,
    tokenEndpointAuthSigningAlg: 'ES256',
  },
  version: 2,
  createdAt: '2025-01-03T00:00:00.000Z',
  updatedAt: '2025-01-04T00:00:00.000Z',
};

const APP_WORKER: ApplicationRecord = {
  id: 'app-worker',
  environmentId: 'env-a',
  config: {
    name: 'Billing worker',
    enabled: true,
    type: 'WORKER',
    protocol: 'OPENID_CONNECT',
    assignActorRoles: true,
    grantTypes: ['CLIENT_CREDENTIALS'],
    responseTypes: [],
    tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    pkceEnforcement: 'OPTIONAL',
    parRequirement: 'OPTIONAL',
    parTimeout: 60,
    devicePollingInterval: 5,
    deviceTimeout: 600,
    requestScopesForMultipleResourcesEnabled: false,
  },
  version: 1,
  createdAt: '2025-01-03T00:00:01.000Z',
  updatedAt: '2025-01-03T00:00:01.000Z',
};

const SECRET_WEB: SecretRecord = {
  environmentId: 'env-a',
  applicationId: 'app-web',
  secretCiphertext: 'v1.iv.web-current',
  createdAt: '2025-01-04T00:00:00.000Z',
  previous: { secretCiphertext: 'v1.iv.web-previous', expiresAt: '2025-01-11T00:00:00.000Z', lastUsed: '2025-01-04T12:00:00.000Z' },
};

export const SECRET_WORKER: SecretRecord = {
  environmentId: 'env-a',
  applicationId: 'app-worker',
  secretCiphertext: 'v1.iv.worker-current',
  createdAt: '2025-01-03T00:00:01.000Z',
};

const RES_OIDC: ResourceRecord = {
  id: 'res-oidc',
  environmentId: 'env-a',
  name: 'openid',
  type: 'OPENID_CONNECT',
  audience: 'https://auth.example.test/env-a',
  accessTokenValiditySeconds: 3600,
  version: 1,
  createdAt: '2025-01-01T00:00:01.000Z',
  updatedAt: '2025-01-01T00:00:01.000Z',
};

const RES_API: ResourceRecord = {
  id: 'res-api',
  environmentId: 'env-a',
  name: 'Orders API',
  type: 'CUSTOM',
  description: 'Orders service',
  audience: 'https://orders.example.test',
  accessTokenValiditySeconds: 7200,
  version: 2,
  createdAt: '2025-01-02T00:00:00.000Z',
  updatedAt: '2025-01-03T00:00:00.000Z',
};

const scopeRecord = (
  id: string,
  resourceId: string,
  name: string,
  description: string | undefined,
  version: number,
  createdAt: string,
  updatedAt: string,
): ScopeRecord => ({
  id,
  environmentId: 'env-a',
  resourceId,
  name,
  ...(description === undefined ? {} : { description }),
  version,
  createdAt,
  updatedAt,
});

const SC_OPENID = scopeRecord('sc-openid', 'res-oidc', 'openid', undefined, 1, '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.000Z');
const SC_PROFILE = scopeRecord('sc-profile', 'res-oidc', 'profile', 'Profile claims', 1, '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.000Z');
const SC_READ = scopeRecord('sc-read', 'res-api', 'orders:read', 'Read orders', 1, '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z');
const SC_WRITE = scopeRecord('sc-write', 'res-api', 'orders:write', undefined, 2, '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z');

export const grantRecord = (
  id: string,
  applicationId: string,
  resourceId: string,
  scopeIds: string[],
  version: number,
  createdAt: string,
  updatedAt: string,
): GrantRecord => ({
  id,
  environmentId: 'env-a',
  applicationId,
  resourceId,
  scopeIds,
  version,
  createdAt,
  updatedAt,
});

const GR_WEB_OIDC = grantRecord('gr-web-oidc', 'app-web', 'res-oidc', ['sc-profile', 'sc-openid'], 1, '2025-01-03T01:00:00.000Z', '2025-01-03T01:00:00.000Z');
const GR_WEB_API = grantRecord('gr-web-api', 'app-web', 'res-api', ['sc-read'], 2, '2025-01-03T02:00:00.000Z', '2025-01-04T00:00:00.000Z');
const GR_WORKER_API = grantRecord(
  'gr-worker-api',
  'app-worker',
  'res-api',
  ['sc-read', 'sc-write'],
  1,
  '2025-01-03T03:00:00.000Z',
  '2025-01-03T03:00:00.000Z',
);

export const roleRecord = (
  id: string,
  applicationId: string,
  roleId: string,
  scopeType: RoleAssignmentRecord['scopeType'],
  scopeId: string,
  createdAt: string,
): RoleAssignmentRecord => ({
  id,
  environmentId: 'env-a',
  applicationId,
  roleId,
  scopeType,
  scopeId,
  createdAt,
});

const RA_WORKER_ENV = roleRecord('ra-worker-env', 'app-worker', 'role-env-admin', 'ENVIRONMENT', 'env-a', '2025-01-03T04:00:00.000Z');
const RA_WORKER_ORG = roleRecord('ra-worker-org', 'app-worker', 'role-org-admin', 'ORGANIZATION', 'org-1', '2025-01-03T04:00:01.000Z');

async function readBack1(store: Store): Promise<void> {
  assert.deepEqual(await store.getOrganization(), ORG);
  assert.deepEqual(await store.getEnvironment('env-a'), ENV_A);
  assert.deepEqual(await store.getEnvironment('env-b'), ENV_B);
  assert.deepEqual(await store.listEnvironments('org-1', page), { items: [ENV_A, ENV_B], count: 2 });
  assert.deepEqual(await store.listSigningKeys('env-a'), KEYS_A, 'oldest first');
  assert.deepEqual(await store.listSigningKeys('env-b'), KEYS_B);
  assert.deepEqual(await store.getPopulation('env-a', 'pop-a'), POP_A);
  assert.deepEqual(await store.getPopulation('env-b', 'pop-b'), POP_B);
  assert.deepEqual(await store.getApplication('env-a', 'app-web'), APP_WEB, 'the config, its jwks string byte for byte');
  assert.deepEqual(await store.getApplication('env-a', 'app-worker'), APP_WORKER);
  assert.deepEqual(await store.getApplicationSecret('env-a', 'app-web'), SECRET_WEB);
  assert.deepEqual(await store.getApplicationSecret('env-a', 'app-worker'), SECRET_WORKER);
  assert.deepEqual(await store.listResources('env-a', page), { items: [RES_API, RES_OIDC], count: 2 });
  assert.deepEqual(await store.listScopes('env-a', 'res-oidc', page), { items: [SC_OPENID, SC_PROFILE], count: 2 });
  assert.deepEqual(await store.getScopesByIds('env-a', ['sc-write', 'sc-read', 'sc-none']), [SC_READ, SC_WRITE]);
  assert.deepEqual(await store.listGrants('env-a', 'app-web'), [GR_WEB_OIDC, GR_WEB_API], 'oldest first, scope ids in stored order');
  assert.deepEqual(await store.listGrants('env-a', 'app-worker'), [GR_WORKER_API]);
  assert.deepEqual(await store.listRoleAssignments('env-a', 'app-worker'), [RA_WORKER_ENV, RA_WORKER_ORG]);
  assert.equal(await store.getApplication('env-b', 'app-web'), undefined, 'rows stay in their environment');
}

async function promises1({ store }: CaseContext): Promise<void> {
  // Rows written at version 1 can be changed at head, with their versions carried on.
  assert.deepEqual(await store.updateEnvironment('env-a', { ...ENV_A, name: 'Production', updatedAt: NOW }, 2), { status: 'conflict' });
  const env = updated(await store.updateEnvironment('env-a', { ...ENV_A, name: 'Production', updatedAt: NOW }, 3));
  assert.deepEqual(env, { ...ENV_A, name: 'Production', version: 4, updatedAt: NOW });
  const disabled = { ...APP_WORKER, config: { ...APP_WORKER.config, enabled: false }, updatedAt: NOW };
  const app = updated(await store.replaceApplication('env-a', disabled, 1));
  assert.deepEqual(await store.getApplication('env-a', 'app-worker'), app);
  assert.equal(app.version, 2);
  const grantUpdate = { ...GR_WEB_API, scopeIds: ['sc-read', 'sc-write'], updatedAt: NOW };
  assert.deepEqual(updated(await store.updateGrant('env-a', grantUpdate, 2)), { ...grantUpdate, version: 3 });
  // 0001's unique keys hold over them.
  await assert.rejects(store.createEnvironment(environmentBundle('org-1', { name: 'Sandbox' })), new UniqueViolation('name'));
  await assert.rejects(store.createResource('env-a', resource('env-a', { name: 'Orders API' })), new UniqueViolation('name'));
  await assert.rejects(store.createScope('env-a', scope('env-a', 'res-oidc', { name: 'profile' })), new UniqueViolation('name'));
  // Deleting takes every row of the environment, in the tables of every later migration too.
  assert.equal(await store.deleteEnvironment('env-b'), true);
  assert.equal(await store.getEnvironment('env-b'), undefined);
  assert.deepEqual(await store.listSigningKeys('env-b'), []);
  assert.equal(await store.getPopulation('env-b', 'pop-b'), undefined);
  assert.equal(await store.deleteResource('env-a', 'res-api'), true);
  assert.deepEqual(await store.listGrants('env-a', 'app-web'), [GR_WEB_OIDC], "the resource's grants go with it");
}

export const migrationCase: MigrationCase = { version: 1, name: 'init', rows: ROWS_1, readBack: readBack1, promises: promises1 };
