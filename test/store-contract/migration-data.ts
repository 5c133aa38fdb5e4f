/**
 * A data test for every migration, on each engine, in the manner of ory/hydra's migratest.
 *
 * Each version owns fixture rows: plain SQL INSERTs that are valid at that schema version
 * (`rows` below), written right after the database reaches it. The case of migration N builds a
 * fresh database step by step, migrating to 1, 2, … N−1 and writing each version's rows on the
 * way (for N = 1: migrating 0001 only, then writing version 1's rows), adds the rows its own
 * checks need (`before`), then lets the store migrate to head. It reads every row written back
 * through the store's public methods, comparing exact records, and checks what migration N
 * promises. So every migration runs over rows written by every earlier version.
 *
 * The SQL is the same for both engines: booleans are written as the quoted literals '1' and
 * '0', which SQLite's STRICT INTEGER columns and PostgreSQL's boolean columns both accept.
 * Each case has its own database: an SQLite file in a new temporary folder, or a PostgreSQL
 * schema with a random suffix, removed when the case ends.
 *
 * A migration file added without a case here makes the coverage test fail; the version before
 * head must then get the rows that exist at it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import type { Migration, MigrationStatus } from '../../src/store/migrator.js';
import { postgresMigrations, sqliteMigrations } from '../../src/store/migrations/index.js';
import { ensureSchema, migratePostgres } from '../../src/store/postgres/migrate.js';
import { PgDatabase, poolConfig } from '../../src/store/postgres/pool.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { Connection } from '../../src/store/sqlite/connection.js';
import { migrateSqlite } from '../../src/store/sqlite/migrate.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import {
  UniqueViolation,
  type ApplicationRecord,
  type AuthorizationCodeRecord,
  type ClientAuthEventRecord,
  type ClientCertificateRecord,
  type ConfigChange,
  type EnvironmentRecord,
  type FlowRecord,
  type GrantRecord,
  type OrganizationRecord,
  type ParRequestRecord,
  type PopulationRecord,
  type RefreshTokenRecord,
  type ResourceRecord,
  type RoleAssignmentRecord,
  type ScopeRecord,
  type SecretRecord,
  type SessionRecord,
  type SigningKeyRecord,
  type Store,
  type UserRecord,
} from '../../src/store/types.js';
import { waitFor } from '../support/e2e.js';
import {
  clientAuthEvent,
  clientCertificate,
  environmentBundle,
  grant,
  population,
  resource,
  roleAssignment,
  scope,
} from '../support/store-fixtures.js';
import { updated } from './harness.js';

/** Where the cases run: SQLite files, or fresh schemas of the PostgreSQL database at `url`. */
export type MigrationDataTarget = { engine: 'sqlite' } | { engine: 'postgres'; url: string };

/** Both engines' stores report their migrations. */
type MigratedStore = Store & { migrationStatus(): Promise<MigrationStatus> };

/** A new database of one case, reachable outside any store. */
interface ScratchDatabase {
  /** Applies the engine's migrations 1 … `version` not applied yet. */
  migrateTo(version: number): Promise<void>;
  /** Runs fixture SQL (several statements) on its own connection. */
  exec(sql: string): Promise<void>;
  /** A store on the database that does not migrate when opened. */
  open(): Promise<MigratedStore>;
  /** Removes the database. */
  drop(): Promise<void>;
}

interface Engine {
  name: string;
  migrations: readonly Migration[];
  /** Whether the database announces configuration changes itself (PostgreSQL's triggers of 0005). */
  announcesChanges: boolean;
  fresh(): Promise<ScratchDatabase>;
}

interface CaseContext {
  store: MigratedStore;
  db: ScratchDatabase;
  engine: Engine;
}

interface MigrationCase {
  version: number;
  name: string;
  /**
   * Rows that exist at this version, as plain SQL valid at it: written right after the database
   * reaches this version, so every later migration runs over them. Every version below head has some.
   */
  rows?: string;
  /** Reads `rows` back at head through the store: the exact records they stand for. */
  readBack?(store: Store): Promise<void>;
  /** Rows written at the version before this migration for its own checks only (SQL valid there). */
  before?: string;
  /** What this migration promises, checked at head on the rows written before it. */
  promises(context: CaseContext): Promise<void>;
}

/** Fixture SQL is written raw: backslashes stay in the text, as JSON escapes need. */
const sql = String.raw;

/** The `now` given to the store methods that take one: after every fixture instant, before every expiry. */
const NOW = '2026-06-01T00:00:00.000Z';
const FAR = '2999-01-01T00:00:00.000Z';
const page = { limit: 100 };

// ---------------------------------------------------------------------------------------------
// Version 1 (0001_init): the organization, two environments and everything an environment holds.

const ROWS_1 = sql`
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

const ENV_A: EnvironmentRecord = {
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
});

const KEYS_A = [
  rsaKey('env-a', 'kid-a-1', 'sXch', 'RETIRED', '2025-01-01T00:00:01.000Z'),
  rsaKey('env-a', 'kid-a-2', 'uXbn', 'ACTIVE', '2025-01-04T00:00:00.000Z'),
];
const KEYS_B = [rsaKey('env-b', 'kid-b-1', 'tYdo', 'ACTIVE', '2025-01-02T00:00:00.000Z')];

const POP_A: PopulationRecord = {
  id: 'pop-a',
  environmentId: 'env-a',
  name: 'Default',
  description: 'Default population',
  default: true,
  version: 1,
  createdAt: '2025-01-01T00:00:01.000Z',
  updatedAt: '2025-01-01T00:00:01.000Z',
};

const POP_B: PopulationRecord = {
  id: 'pop-b',
  environmentId: 'env-b',
  name: 'Default',
  default: true,
  version: 1,
  createdAt: '2025-01-02T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
};

const APP_WEB: ApplicationRecord = {
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

const SECRET_WORKER: SecretRecord = {
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

const grantRecord = (
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

const roleRecord = (
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

// ---------------------------------------------------------------------------------------------
// Migration 0002_client_auth folds twin grants and role assignments (only concurrent creates
// could write them before); it adds jti records, certificates, auth events and revocations.

/** At version 1: an application holding twins (the dedicated test is migration-fixtures.ts). */
const BEFORE_2 = sql`
INSERT INTO applications (environment_id, id, config, version, created_at, updated_at) VALUES
  ('env-a', 'app-legacy', '{"name":"Legacy service","enabled":false,"type":"SERVICE","protocol":"OPENID_CONNECT","assignActorRoles":false,"grantTypes":["CLIENT_CREDENTIALS"],"responseTypes":[],"tokenEndpointAuthMethod":"CLIENT_SECRET_POST","pkceEnforcement":"OPTIONAL","parRequirement":"OPTIONAL","parTimeout":60,"devicePollingInterval":5,"deviceTimeout":600,"requestScopesForMultipleResourcesEnabled":false}',
   1, '2025-01-03T00:00:00.000Z', '2025-01-03T00:00:00.000Z');

INSERT INTO grants (environment_id, id, application_id, resource_id, scope_ids, version, created_at, updated_at) VALUES
  ('env-a', 'gr-legacy-2', 'app-legacy', 'res-oidc', '["sc-profile","sc-openid"]', 1, '2025-01-03T00:00:00.000Z', '2025-01-06T00:00:00.000Z'),
  ('env-a', 'gr-legacy-1', 'app-legacy', 'res-oidc', '["sc-openid"]', 3, '2025-01-03T00:00:00.000Z', '2025-01-04T00:00:00.000Z'),
  ('env-a', 'gr-legacy-api', 'app-legacy', 'res-api', '["sc-write"]', 1, '2025-01-03T05:00:00.000Z', '2025-01-03T05:00:00.000Z');

INSERT INTO role_assignments (environment_id, id, application_id, role_id, scope_type, scope_id, created_at) VALUES
  ('env-a', 'ra-legacy-2', 'app-legacy', 'role-env-admin', 'ENVIRONMENT', 'env-a', '2025-01-03T00:00:00.000Z'),
  ('env-a', 'ra-legacy-1', 'app-legacy', 'role-env-admin', 'ENVIRONMENT', 'env-a', '2025-01-03T00:00:00.000Z'),
  ('env-a', 'ra-legacy-org', 'app-legacy', 'role-env-admin', 'ORGANIZATION', 'org-1', '2025-01-03T00:00:00.000Z');
`;

async function promises2({ store }: CaseContext): Promise<void> {
  // Twins created at the same instant: the lower id is the oldest and takes the group's scope
  // ids (first-seen order), the newest updatedAt and a new version.
  const oldest = ['gr-legacy-1', 'app-legacy', 'res-oidc'] as const;
  const folded = grantRecord(...oldest, ['sc-openid', 'sc-profile'], 4, '2025-01-03T00:00:00.000Z', '2025-01-06T00:00:00.000Z');
  const single = grantRecord('gr-legacy-api', 'app-legacy', 'res-api', ['sc-write'], 1, '2025-01-03T05:00:00.000Z', '2025-01-03T05:00:00.000Z');
  assert.deepEqual(await store.listGrants('env-a', 'app-legacy'), [folded, single]);
  assert.deepEqual(await store.listRoleAssignments('env-a', 'app-legacy'), [
    roleRecord('ra-legacy-1', 'app-legacy', 'role-env-admin', 'ENVIRONMENT', 'env-a', '2025-01-03T00:00:00.000Z'),
    roleRecord('ra-legacy-org', 'app-legacy', 'role-env-admin', 'ORGANIZATION', 'org-1', '2025-01-03T00:00:00.000Z'),
  ]);
  // The new unique keys hold over rows written before.
  await assert.rejects(store.createGrant('env-a', grant('env-a', 'app-web', 'res-oidc', ['sc-openid'])), new UniqueViolation('resourceId'));
  await assert.rejects(
    store.createRoleAssignment('env-a', roleAssignment('env-a', 'app-worker', 'ENVIRONMENT', 'env-a', { roleId: 'role-env-admin' })),
    new UniqueViolation('roleId'),
  );
  // The new tables take rows of applications written before.
  assert.equal(await store.recordAssertionJti('env-a', 'app-web', 'jti-1', FAR, NOW), true);
  assert.equal(await store.recordAssertionJti('env-a', 'app-web', 'jti-1', FAR, NOW), false, 'a replay');
  const certificate = clientCertificate('env-a', 'app-web');
  await store.createClientCertificate('env-a', certificate);
  assert.deepEqual(await store.getClientCertificate('env-a', 'app-web', certificate.id), certificate);
  const event = clientAuthEvent('env-a', 'app-web');
  await store.recordClientAuthEvent('env-a', event, 10);
  assert.deepEqual(await store.listClientAuthEvents('env-a', 'app-web', 10), [event]);
  await store.revokeToken('env-a', 'at-1', FAR);
  assert.equal(await store.isTokenRevoked('env-a', 'at-1'), true);
  // Deleting an application written before takes its new rows with it.
  assert.deepEqual(await store.deleteApplication('env-a', 'app-web', 2), { status: 'updated', record: null });
  assert.deepEqual(await store.listClientCertificates('env-a', 'app-web'), []);
  assert.deepEqual(await store.listClientAuthEvents('env-a', 'app-web', 10), []);
}

// ---------------------------------------------------------------------------------------------
// Version 2: rows of 0002's tables.

const ROWS_2 = sql`
INSERT INTO assertion_jtis (environment_id, client_id, jti, expires_at) VALUES
  ('env-a', 'app-worker', 'jti-seen', '2999-01-01T00:00:00.000Z');

INSERT INTO client_certificates (environment_id, application_id, id, pem, public_jwk, subject, issuer, serial_number, not_before, not_after, thumbprint_s256, created_at) VALUES
  ('env-a', 'app-web', 'kid-cert-1', '-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUCuTe
-----END CERTIFICATE-----
', '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}',
   'CN=portal.example.test', 'CN=Example CA, O=Example', '0a1b2c3d', '2025-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 'x5t-of-kid-cert-1', '2025-02-01T00:00:00.000Z');

INSERT INTO client_auth_events (environment_id, application_id, id, outcome, reason, method, kid, alg, audience_form, detail, endpoint, at) VALUES
  ('env-a', 'app-web', 'evt-1', 'FAILURE', 'SIGNATURE_INVALID', 'PRIVATE_KEY_JWT', 'kid-cert-1', 'ES256', 'TOKEN_ENDPOINT', 'the signature does not verify', 'https://auth.example.test/env-a/as/token', '2025-02-01T10:00:00.000Z'),
  ('env-a', 'app-web', 'evt-2', 'LEGACY_SUCCESS', 'LEGACY_AUDIENCE', NULL, NULL, NULL, 'ISSUER', NULL, 'https://auth.example.test/env-a/as/par', '2025-02-02T10:00:00.000Z');

INSERT INTO revoked_tokens (environment_id, jti, expires_at) VALUES
  ('env-a', 'at-revoked', '2999-01-01T00:00:00.000Z');
`;

const CERT_1: ClientCertificateRecord = {
  id: 'kid-cert-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  pem: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUCuTe\n-----END CERTIFICATE-----\n',
  publicJwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
  subject: 'CN=portal.example.test',
  issuer: 'CN=Example CA, O=Example',
  serialNumber: '0a1b2c3d',
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  thumbprintS256: 'x5t-of-kid-cert-1',
  createdAt: '2025-02-01T00:00:00.000Z',
};

const EVENT_1: ClientAuthEventRecord = {
  id: 'evt-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  outcome: 'FAILURE',
  reason: 'SIGNATURE_INVALID',
  method: 'PRIVATE_KEY_JWT',
  kid: 'kid-cert-1',
  alg: 'ES256',
  audienceForm: 'TOKEN_ENDPOINT',
  detail: 'the signature does not verify',
  endpoint: 'https://auth.example.test/env-a/as/token',
  at: '2025-02-01T10:00:00.000Z',
};

const EVENT_2: ClientAuthEventRecord = {
  id: 'evt-2',
  environmentId: 'env-a',
  applicationId: 'app-web',
  outcome: 'LEGACY_SUCCESS',
  reason: 'LEGACY_AUDIENCE',
  audienceForm: 'ISSUER',
  endpoint: 'https://auth.example.test/env-a/as/par',
  at: '2025-02-02T10:00:00.000Z',
};

async function readBack2(store: Store): Promise<void> {
  assert.deepEqual(await store.listClientCertificates('env-a', 'app-web'), [CERT_1]);
  assert.deepEqual(await store.getClientCertificate('env-a', 'app-web', 'kid-cert-1'), CERT_1);
  assert.deepEqual(await store.listClientAuthEvents('env-a', 'app-web', 10), [EVENT_2, EVENT_1], 'newest first');
  assert.equal(await store.isTokenRevoked('env-a', 'at-revoked'), true);
  assert.equal(await store.isTokenRevoked('env-b', 'at-revoked'), false);
  assert.equal(await store.recordAssertionJti('env-a', 'app-worker', 'jti-seen', FAR, NOW), false, 'the recorded jti is a replay');
}

// ---------------------------------------------------------------------------------------------
// Migration 0003_users: population names unique per environment, at most one default, and users.

/** At version 2: a second population of environment A, not the default. */
const BEFORE_3 = sql`
INSERT INTO populations (environment_id, id, name, description, is_default, version, created_at, updated_at) VALUES
  ('env-a', 'pop-a-staff', 'Staff', 'Employees', '0', 2, '2025-02-01T00:00:00.000Z', '2025-02-03T00:00:00.000Z');
`;

const POP_A_STAFF: PopulationRecord = {
  id: 'pop-a-staff',
  environmentId: 'env-a',
  name: 'Staff',
  description: 'Employees',
  default: false,
  version: 2,
  createdAt: '2025-02-01T00:00:00.000Z',
  updatedAt: '2025-02-03T00:00:00.000Z',
};

async function promises3({ store, db }: CaseContext): Promise<void> {
  assert.deepEqual(await store.getPopulation('env-a', 'pop-a-staff'), POP_A_STAFF);
  assert.deepEqual(await store.listPopulations('env-a', page), { items: [POP_A, POP_A_STAFF], count: 2 });
  assert.deepEqual(await store.getDefaultPopulation('env-a'), POP_A);
  // Names are unique per environment now; the same name in another environment is fine.
  await assert.rejects(store.createPopulation('env-a', population('env-a', { name: 'Staff', default: false })), new UniqueViolation('name'));
  const staffB = population('env-b', { name: 'Staff', default: false });
  await store.createPopulation('env-b', staffB);
  assert.deepEqual(await store.getPopulation('env-b', staffB.id), staffB);
  // At most one default per environment, whoever writes.
  await assert.rejects(
    db.exec(sql`INSERT INTO populations (environment_id, id, name, description, is_default, version, created_at, updated_at)
      VALUES ('env-a', 'pop-a-second', 'Second', NULL, '1', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`),
    /unique/i,
  );
  // Users live in populations written before.
  const user: UserRecord = {
    id: 'user-new',
    environmentId: 'env-a',
    populationId: 'pop-a-staff',
    username: 'New.User',
    email: 'new@example.test',
    enabled: true,
    lifecycleStatus: 'ACCOUNT_OK',
    profile: { name: { given: 'New' } },
    signIn: { failedAttempts: 0 },
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  };
  await store.createUser('env-a', user);
  assert.deepEqual(await store.getUser('env-a', 'user-new'), user);
  assert.deepEqual(await store.findUserByUsername('env-a', 'new.user'), user);
  await assert.rejects(store.createUser('env-a', { ...user, id: 'user-twin', username: 'NEW.USER' }), new UniqueViolation('username'));
  assert.equal(await store.deletePopulation('env-a', 'pop-a-staff'), 'has_users');
  assert.equal(await store.deletePopulation('env-a', 'pop-a'), 'default');
}

// ---------------------------------------------------------------------------------------------
// Version 3: users, one with a password and failed sign-ins, one locked without a password.

const ROWS_3 = sql`
INSERT INTO users (environment_id, id, population_id, username, username_lower, email, enabled, lifecycle_status, profile, password_hash, password_force_change, password_changed_at, failed_attempts, locked_until, version, created_at, updated_at) VALUES
  ('env-a', 'user-alice', 'pop-a', 'Alice.Smith', 'alice.smith', 'alice@example.test', '1', 'ACCOUNT_OK',
   '{"name":{"given":"Alice","family":"Smith","formatted":"Alice Smith"},"locale":"en-GB","mobilePhone":"+44 20 7946 0000"}',
   'scrypt$16384$8$1$c2FsdA$aGFzaA', '1', '2025-03-01T00:00:00.000Z', 2, NULL, 3, '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'),
  ('env-a', 'user-emile', 'pop-a', 'Émile', 'émile', 'emile@example.test', '0', 'VERIFICATION_REQUIRED',
   '{}', NULL, '0', NULL, 0, '2999-01-01T00:00:00.000Z', 1, '2025-03-03T00:00:00.000Z', '2025-03-03T00:00:00.000Z');
`;

const ALICE: UserRecord = {
  id: 'user-alice',
  environmentId: 'env-a',
  populationId: 'pop-a',
  username: 'Alice.Smith',
  email: 'alice@example.test',
  enabled: true,
  lifecycleStatus: 'ACCOUNT_OK',
  profile: { name: { given: 'Alice', family: 'Smith', formatted: 'Alice Smith' }, locale: 'en-GB', mobilePhone: '+44 20 7946 0000' },
  password: { hash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', forceChange: true, changedAt: '2025-03-01T00:00:00.000Z' },
  signIn: { failedAttempts: 2 },
  version: 3,
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-02T00:00:00.000Z',
};

const EMILE: UserRecord = {
  id: 'user-emile',
  environmentId: 'env-a',
  populationId: 'pop-a',
  username: '\u00c9mile',
  email: 'emile@example.test',
  enabled: false,
  lifecycleStatus: 'VERIFICATION_REQUIRED',
  profile: {},
  signIn: { failedAttempts: 0, lockedUntil: FAR },
  version: 1,
  createdAt: '2025-03-03T00:00:00.000Z',
  updatedAt: '2025-03-03T00:00:00.000Z',
};

async function readBack3(store: Store): Promise<void> {
  assert.deepEqual(await store.getUser('env-a', 'user-alice'), ALICE);
  assert.deepEqual(await store.getUser('env-a', 'user-emile'), EMILE);
  assert.deepEqual(await store.findUserByUsername('env-a', 'ALICE.SMITH'), ALICE, 'found whatever the case');
  assert.deepEqual(await store.findUserByUsername('env-a', 'E\u0301MILE'), EMILE, 'and whatever the normalization');
  assert.deepEqual(await store.listUsers('env-a', page, { attribute: 'email', value: 'alice@example.test' }), { items: [ALICE], count: 1 });
  assert.equal(await store.countUsersInPopulation('env-a', 'pop-a'), 2);
}

// ---------------------------------------------------------------------------------------------
// Migration 0004_sign_in: flows, sessions, codes, refresh tokens and PAR requests.

async function promises4({ store }: CaseContext): Promise<void> {
  const flow: FlowRecord = {
    id: 'flow-new',
    environmentId: 'env-a',
    applicationId: 'app-web',
    request: { clientId: 'app-web', redirectUri: 'https://portal.example.test/callback', responseType: 'code', responseMode: 'query', scope: ['openid'] },
    status: 'USERNAME_PASSWORD_REQUIRED',
    csrfToken: 'csrf-new',
    createdAt: NOW,
    expiresAt: FAR,
    version: 1,
  };
  await store.createFlow('env-a', flow);
  const signedIn = { ...flow, status: 'COMPLETED' as const, userId: 'user-alice', sessionId: 'session-new' };
  assert.equal(await store.updateFlow('env-a', signedIn, 1), true);
  assert.deepEqual(await store.getFlow('env-a', 'flow-new'), { ...signedIn, version: 2 });
  const session: SessionRecord = { idHash: 'session-new', environmentId: 'env-a', userId: 'user-alice', authTime: NOW, amr: ['pwd'], expiresAt: FAR };
  await store.createSession('env-a', session);
  assert.deepEqual(await store.getSession('env-a', 'session-new', NOW), session);
  const code: AuthorizationCodeRecord = {
    codeHash: 'code-new',
    environmentId: 'env-a',
    applicationId: 'app-web',
    userId: 'user-alice',
    sessionIdHash: 'session-new',
    redirectUri: 'https://portal.example.test/callback',
    scope: ['openid'],
    authTime: NOW,
    amr: ['pwd'],
    grantId: 'grant-new',
    expiresAt: FAR,
  };
  await store.createAuthorizationCode('env-a', code);
  const refresh: RefreshTokenRecord = {
    tokenHash: 'rt-new',
    environmentId: 'env-a',
    applicationId: 'app-web',
    userId: 'user-alice',
    sessionIdHash: 'session-new',
    grantId: 'grant-new',
    familyId: 'fam-new',
    scope: ['openid'],
    authTime: NOW,
    amr: ['pwd'],
    createdAt: NOW,
    expiresAt: FAR,
  };
  assert.deepEqual(await store.redeemAuthorizationCode('env-a', 'code-new', NOW, refresh), { status: 'redeemed', code });
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-new', NOW), refresh);
  const par: ParRequestRecord = { id: 'par-new', environmentId: 'env-a', applicationId: 'app-web', params: { client_id: 'app-web' }, expiresAt: FAR };
  await store.createParRequest('env-a', par);
  assert.deepEqual(await store.consumeParRequest('env-a', 'par-new', NOW), par);
  // The lockout columns of users written before work with the sign-in code.
  const lockedUntil = '2026-06-01T00:15:00.000Z';
  assert.deepEqual(await store.recordFailedSignIn('env-a', 'user-alice', { threshold: 3, now: NOW, until: lockedUntil }), {
    failedAttempts: 0,
    lockedUntil,
  });
  await store.resetFailedSignIns('env-a', 'user-alice');
  assert.deepEqual((await store.getUser('env-a', 'user-alice'))?.signIn, { failedAttempts: 0 });
}

// ---------------------------------------------------------------------------------------------
// Version 4: sign-in state of Alice on the web application.

const ROWS_4 = sql`
INSERT INTO flows (environment_id, id, application_id, request, status, user_id, session_id, csrf_token, created_at, expires_at, version) VALUES
  ('env-a', 'flow-hash-1', 'app-web',
   '{"clientId":"app-web","redirectUri":"https://portal.example.test/callback","responseType":"code","responseMode":"query","scope":["openid","profile"],"state":"st\u00e4te","nonce":"n-1","codeChallenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM","codeChallengeMethod":"S256"}',
   'COMPLETED', 'user-alice', 'sess-hash-1', 'csrf-1', '2026-05-31T23:55:00.000Z', '2999-01-01T00:00:00.000Z', 2),
  ('env-a', 'flow-hash-2', 'app-web',
   '{"clientId":"app-web","redirectUri":"https://portal.example.test/callback","responseType":"code","responseMode":"form_post","scope":["openid"],"prompt":"login","maxAge":300}',
   'USERNAME_PASSWORD_REQUIRED', NULL, NULL, 'csrf-2', '2026-05-31T23:58:00.000Z', '2999-01-01T00:00:00.000Z', 1);

INSERT INTO sessions (environment_id, id_hash, user_id, auth_time, amr, acr, expires_at, revoked_at) VALUES
  ('env-a', 'sess-hash-1', 'user-alice', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor', '2999-01-01T00:00:00.000Z', NULL),
  ('env-a', 'sess-hash-2', 'user-alice', '2026-05-31T23:50:00.000Z', '["pwd","otp"]', NULL, '2999-01-01T00:00:00.000Z', '2026-05-31T23:59:00.000Z');

INSERT INTO authorization_codes (environment_id, code_hash, application_id, user_id, session_id_hash, redirect_uri, scope, nonce, code_challenge, code_challenge_method, auth_time, amr, acr, grant_id, expires_at, redeemed_at) VALUES
  ('env-a', 'code-hash-1', 'app-web', 'user-alice', 'sess-hash-1', 'https://portal.example.test/callback', '["openid","profile"]', 'n-1',
   'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor', 'grant-1', '2999-01-01T00:00:00.000Z', NULL),
  ('env-a', 'code-hash-2', 'app-web', 'user-alice', 'sess-hash-1', 'https://portal.example.test/callback', '["openid"]', NULL,
   NULL, NULL, '2026-05-31T23:56:00.000Z', '["pwd"]', NULL, 'grant-1', '2999-01-01T00:00:00.000Z', '2026-05-31T23:57:00.000Z');

INSERT INTO refresh_tokens (environment_id, token_hash, application_id, user_id, session_id_hash, grant_id, family_id, scope, auth_time, amr, acr, created_at, expires_at, rotated_at, replaced_by, revoked_at) VALUES
  ('env-a', 'rt-hash-0', 'app-web', 'user-alice', 'sess-hash-1', 'grant-1', 'fam-1', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor',
   '2026-05-31T23:57:00.000Z', '2999-01-01T00:00:00.000Z', '2026-05-31T23:58:00.000Z', 'rt-hash-1', NULL),
  ('env-a', 'rt-hash-1', 'app-web', 'user-alice', 'sess-hash-1', 'grant-1', 'fam-1', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', 'Single_Factor',
   '2026-05-31T23:58:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, NULL),
  ('env-a', 'rt-hash-3', 'app-web', 'user-alice', 'sess-hash-1', 'grant-1', 'fam-3', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', NULL,
   '2026-05-31T23:57:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, '2026-05-31T23:59:00.000Z'),
  ('env-a', 'rt-hash-4', 'app-web', 'user-alice', 'sess-hash-1', 'grant-2', 'fam-4', '["offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd","otp"]', NULL,
   '2026-05-31T23:59:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, NULL);

INSERT INTO par_requests (environment_id, id, application_id, params, expires_at) VALUES
  ('env-a', 'par-hash-1', 'app-web', '{"client_id":"app-web","response_type":"code","scope":"openid profile","redirect_uri":"https://portal.example.test/callback"}', '2999-01-01T00:00:00.000Z');
`;

const FLOW_1: FlowRecord = {
  id: 'flow-hash-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  request: {
    clientId: 'app-web',
    redirectUri: 'https://portal.example.test/callback',
    responseType: 'code',
    responseMode: 'query',
    scope: ['openid', 'profile'],
    state: 'st\u00e4te',
    nonce: 'n-1',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
  },
  status: 'COMPLETED',
  userId: 'user-alice',
  sessionId: 'sess-hash-1',
  csrfToken: 'csrf-1',
  createdAt: '2026-05-31T23:55:00.000Z',
  expiresAt: FAR,
  version: 2,
};

const FLOW_2: FlowRecord = {
  id: 'flow-hash-2',
  environmentId: 'env-a',
  applicationId: 'app-web',
  request: {
    clientId: 'app-web',
    redirectUri: 'https://portal.example.test/callback',
    responseType: 'code',
    responseMode: 'form_post',
    scope: ['openid'],
    prompt: 'login',
    maxAge: 300,
  },
  status: 'USERNAME_PASSWORD_REQUIRED',
  csrfToken: 'csrf-2',
  createdAt: '2026-05-31T23:58:00.000Z',
  expiresAt: FAR,
  version: 1,
};

const SESSION_1: SessionRecord = {
  idHash: 'sess-hash-1',
  environmentId: 'env-a',
  userId: 'user-alice',
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  acr: 'Single_Factor',
  expiresAt: FAR,
};

const CODE_1: AuthorizationCodeRecord = {
  codeHash: 'code-hash-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  redirectUri: 'https://portal.example.test/callback',
  scope: ['openid', 'profile'],
  nonce: 'n-1',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  acr: 'Single_Factor',
  grantId: 'grant-1',
  expiresAt: FAR,
};

const CODE_2: AuthorizationCodeRecord = {
  codeHash: 'code-hash-2',
  environmentId: 'env-a',
  applicationId: 'app-web',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  redirectUri: 'https://portal.example.test/callback',
  scope: ['openid'],
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  grantId: 'grant-1',
  expiresAt: FAR,
};

const refreshRecord = (
  tokenHash: string,
  grantId: string,
  familyId: string,
  scope: string[],
  amr: string[],
  acr: string | undefined,
  createdAt: string,
): RefreshTokenRecord => ({
  tokenHash,
  environmentId: 'env-a',
  applicationId: 'app-web',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  grantId,
  familyId,
  scope,
  authTime: '2026-05-31T23:56:00.000Z',
  amr,
  ...(acr === undefined ? {} : { acr }),
  createdAt,
  expiresAt: FAR,
});

const RT_0 = refreshRecord('rt-hash-0', 'grant-1', 'fam-1', ['openid', 'offline_access'], ['pwd'], 'Single_Factor', '2026-05-31T23:57:00.000Z');
const RT_1 = refreshRecord('rt-hash-1', 'grant-1', 'fam-1', ['openid', 'offline_access'], ['pwd'], 'Single_Factor', '2026-05-31T23:58:00.000Z');
const RT_4 = refreshRecord('rt-hash-4', 'grant-2', 'fam-4', ['offline_access'], ['pwd', 'otp'], undefined, '2026-05-31T23:59:00.000Z');

const PAR_1: ParRequestRecord = {
  id: 'par-hash-1',
  environmentId: 'env-a',
  applicationId: 'app-web',
  params: { client_id: 'app-web', response_type: 'code', scope: 'openid profile', redirect_uri: 'https://portal.example.test/callback' },
  expiresAt: FAR,
};

async function readBack4(store: Store): Promise<void> {
  assert.deepEqual(await store.getFlow('env-a', 'flow-hash-1'), FLOW_1);
  assert.deepEqual(await store.getFlow('env-a', 'flow-hash-2'), FLOW_2);
  assert.deepEqual(await store.getSession('env-a', 'sess-hash-1', NOW), SESSION_1);
  assert.equal(await store.getSession('env-a', 'sess-hash-2', NOW), undefined, 'a revoked session');
  assert.deepEqual(await store.findAuthorizationCode('env-a', 'code-hash-1'), CODE_1);
  assert.deepEqual(await store.findAuthorizationCode('env-a', 'code-hash-2'), CODE_2);
  assert.deepEqual(await store.redeemAuthorizationCode('env-a', 'code-hash-2', NOW), { status: 'already_redeemed', code: CODE_2 });
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-0', NOW), RT_0, 'a rotated token is still found');
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-1', NOW), RT_1);
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-3', NOW), undefined, 'a revoked token');
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-4', NOW), RT_4);
  assert.deepEqual(await store.consumeParRequest('env-a', 'par-hash-1', NOW), PAR_1);
  assert.equal(await store.consumeParRequest('env-a', 'par-hash-1', NOW), undefined, 'consumed once');
}

// ---------------------------------------------------------------------------------------------
// Migration 0005_change_notifications: PostgreSQL's triggers announce configuration changes
// (nothing on SQLite). Rows written before it are changed here; the announcements are awaited.

async function promises5({ store, engine }: CaseContext): Promise<void> {
  const received: ConfigChange[] = [];
  if (engine.announcesChanges) assert.ok(store.openChangeFeed, 'the store listens to the announcements');
  else assert.equal(store.openChangeFeed, undefined, 'one process writes: nothing to announce');
  const feed = store.openChangeFeed?.({ changed: (change) => void received.push(change), listening: () => {}, lost: () => {} });
  try {
    if (feed) await waitFor('the change feed to listen', async () => feed.listening, 10_000);
    const disabled = { ...APP_WEB, config: { ...APP_WEB.config, enabled: false }, updatedAt: NOW };
    const app = updated(await store.replaceApplication('env-a', disabled, 2));
    assert.deepEqual(app, { ...disabled, version: 3 });
    assert.deepEqual(await store.getApplication('env-a', 'app-web'), app);
    const env = updated(await store.updateEnvironment('env-a', { ...ENV_A, settings: { detailedErrors: false }, updatedAt: NOW }, 3));
    assert.deepEqual(await store.getEnvironment('env-a'), env);
    const rotated: SecretRecord = { ...SECRET_WORKER, secretCiphertext: 'v1.iv.worker-next', createdAt: NOW };
    await store.putApplicationSecret('env-a', rotated);
    assert.deepEqual(await store.getApplicationSecret('env-a', 'app-worker'), rotated);
    assert.equal(await store.deleteGrant('env-a', 'app-worker', 'gr-worker-api'), true);
    assert.deepEqual(await store.listGrants('env-a', 'app-worker'), []);
    await store.revokeSession('env-a', 'sess-hash-1');
    assert.equal(await store.getSession('env-a', 'sess-hash-1', NOW), undefined);
    if (feed) {
      const expected: ConfigChange[] = [
        { kind: 'application', environmentId: 'env-a', applicationId: 'app-web' },
        { kind: 'environment', environmentId: 'env-a' },
        { kind: 'application', environmentId: 'env-a', applicationId: 'app-worker' },
      ];
      await waitFor('the changes to be announced', async () => expected.every((c) => received.some((r) => isDeepStrictEqual(r, c))), 10_000);
    }
  } finally {
    await feed?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Version 5: a single-page application, its grant, and the sign-in state of another user grant.

const ROWS_5 = sql`
INSERT INTO applications (environment_id, id, config, version, created_at, updated_at) VALUES
  ('env-a', 'app-spa', '{"name":"Orders SPA","enabled":true,"type":"SINGLE_PAGE_APP","protocol":"OPENID_CONNECT","assignActorRoles":false,"grantTypes":["AUTHORIZATION_CODE","REFRESH_TOKEN"],"responseTypes":["CODE"],"tokenEndpointAuthMethod":"NONE","pkceEnforcement":"S256_REQUIRED","parRequirement":"REQUIRED","parTimeout":90,"devicePollingInterval":5,"deviceTimeout":600,"redirectUris":["https://spa.example.test/cb"],"requestScopesForMultipleResourcesEnabled":true}',
   1, '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');

INSERT INTO grants (environment_id, id, application_id, resource_id, scope_ids, version, created_at, updated_at) VALUES
  ('env-a', 'gr-spa-oidc', 'app-spa', 'res-oidc', '["sc-openid"]', 1, '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');

INSERT INTO authorization_codes (environment_id, code_hash, application_id, user_id, session_id_hash, redirect_uri, scope, nonce, code_challenge, code_challenge_method, auth_time, amr, acr, grant_id, expires_at, redeemed_at) VALUES
  ('env-a', 'code-hash-5', 'app-spa', 'user-alice', 'sess-hash-1', 'https://spa.example.test/cb', '["openid","offline_access"]', NULL,
   'challenge-5', 'plain', '2026-05-31T23:56:00.000Z', '["pwd"]', NULL, 'grant-5', '2999-01-01T00:00:00.000Z', NULL);

INSERT INTO refresh_tokens (environment_id, token_hash, application_id, user_id, session_id_hash, grant_id, family_id, scope, auth_time, amr, acr, created_at, expires_at, rotated_at, replaced_by, revoked_at) VALUES
  ('env-a', 'rt-hash-5', 'app-spa', 'user-alice', 'sess-hash-1', 'grant-5', 'fam-5', '["openid","offline_access"]', '2026-05-31T23:56:00.000Z', '["pwd"]', NULL,
   '2026-05-31T23:57:00.000Z', '2999-01-01T00:00:00.000Z', NULL, NULL, NULL);
`;

const APP_SPA: ApplicationRecord = {
  id: 'app-spa',
  environmentId: 'env-a',
  config: {
    name: 'Orders SPA',
    enabled: true,
    type: 'SINGLE_PAGE_APP',
    protocol: 'OPENID_CONNECT',
    assignActorRoles: false,
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    responseTypes: ['CODE'],
    tokenEndpointAuthMethod: 'NONE',
    pkceEnforcement: 'S256_REQUIRED',
    parRequirement: 'REQUIRED',
    parTimeout: 90,
    devicePollingInterval: 5,
    deviceTimeout: 600,
    redirectUris: ['https://spa.example.test/cb'],
    requestScopesForMultipleResourcesEnabled: true,
  },
  version: 1,
  createdAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-01T00:00:00.000Z',
};

const CODE_5: AuthorizationCodeRecord = {
  codeHash: 'code-hash-5',
  environmentId: 'env-a',
  applicationId: 'app-spa',
  userId: 'user-alice',
  sessionIdHash: 'sess-hash-1',
  redirectUri: 'https://spa.example.test/cb',
  scope: ['openid', 'offline_access'],
  codeChallenge: 'challenge-5',
  codeChallengeMethod: 'plain',
  authTime: '2026-05-31T23:56:00.000Z',
  amr: ['pwd'],
  grantId: 'grant-5',
  expiresAt: FAR,
};

const RT_5: RefreshTokenRecord = {
  ...refreshRecord('rt-hash-5', 'grant-5', 'fam-5', ['openid', 'offline_access'], ['pwd'], undefined, '2026-05-31T23:57:00.000Z'),
  applicationId: 'app-spa',
};

async function readBack5(store: Store): Promise<void> {
  assert.deepEqual(await store.getApplication('env-a', 'app-spa'), APP_SPA);
  assert.equal(await store.getApplicationSecret('env-a', 'app-spa'), undefined);
  const spaGrant = grantRecord('gr-spa-oidc', 'app-spa', 'res-oidc', ['sc-openid'], 1, '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');
  assert.deepEqual(await store.listGrants('env-a', 'app-spa'), [spaGrant]);
  assert.deepEqual(await store.findAuthorizationCode('env-a', 'code-hash-5'), CODE_5);
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-5', NOW), RT_5);
}

// ---------------------------------------------------------------------------------------------
// Migration 0006_grant_access_tokens: access tokens issued by user grants are remembered and
// revoked with their grant or refresh family; codes and refresh tokens written before still
// redeem, rotate and revoke.

async function promises6({ store }: CaseContext): Promise<void> {
  // Revoking a grant whose tokens were all written before: its two live tokens, not the revoked one.
  assert.equal(await store.revokeGrant('env-a', 'grant-1'), 2);
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-0', NOW), undefined);
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-1', NOW), undefined);
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-4', NOW), RT_4, "another grant's token is untouched");

  // A code written before redeems, and the access token issued with it is revoked with its grant.
  const issued: RefreshTokenRecord = { ...RT_5, tokenHash: 'rt-hash-5b', familyId: 'fam-5b', createdAt: NOW };
  const accessToken = { jti: 'at-5', grantId: 'grant-5', familyId: 'fam-5b', expiresAt: FAR };
  assert.deepEqual(await store.redeemAuthorizationCode('env-a', 'code-hash-5', NOW, issued, accessToken), { status: 'redeemed', code: CODE_5 });
  assert.deepEqual(await store.getRefreshToken('env-a', 'rt-hash-5b', NOW), issued);
  assert.equal(await store.isTokenRevoked('env-a', 'at-5'), false);
  assert.equal(await store.revokeGrant('env-a', 'grant-5'), 2, 'the refresh token written before and the one issued now');
  assert.equal(await store.isTokenRevoked('env-a', 'at-5'), true);

  // A refresh token written before rotates; presented again after its grace, its family goes with its access tokens.
  const next: RefreshTokenRecord = { ...RT_4, tokenHash: 'rt-hash-4b', createdAt: NOW };
  const accessToken4 = { jti: 'at-4', grantId: 'grant-2', familyId: 'fam-4', expiresAt: FAR };
  assert.deepEqual(await store.rotateRefreshToken('env-a', 'rt-hash-4', next, NOW, 0, accessToken4), { status: 'rotated', previous: RT_4 });
  const later = '2026-06-01T01:00:00.000Z';
  const replay = await store.rotateRefreshToken('env-a', 'rt-hash-4', { ...next, tokenHash: 'rt-hash-4c' }, later, 0);
  assert.deepEqual(replay, { status: 'reused', previous: RT_4 });
  assert.equal(await store.getRefreshToken('env-a', 'rt-hash-4b', later), undefined);
  assert.equal(await store.isTokenRevoked('env-a', 'at-4'), true);

  // Deleting the environment takes the rows of every version, the new table's included.
  assert.equal(await store.deleteEnvironment('env-a'), true);
  assert.equal(await store.getUser('env-a', 'user-alice'), undefined);
  assert.equal(await store.findAuthorizationCode('env-a', 'code-hash-1'), undefined);
  assert.equal(await store.isTokenRevoked('env-a', 'at-4'), false);
}

// ---------------------------------------------------------------------------------------------

const CASES: readonly MigrationCase[] = [
  { version: 1, name: 'init', rows: ROWS_1, readBack: readBack1, promises: promises1 },
  { version: 2, name: 'client_auth', rows: ROWS_2, readBack: readBack2, before: BEFORE_2, promises: promises2 },
  { version: 3, name: 'users', rows: ROWS_3, readBack: readBack3, before: BEFORE_3, promises: promises3 },
  { version: 4, name: 'sign_in', rows: ROWS_4, readBack: readBack4, promises: promises4 },
  { version: 5, name: 'change_notifications', rows: ROWS_5, readBack: readBack5, promises: promises5 },
  { version: 6, name: 'grant_access_tokens', promises: promises6 },
];

const versionsAndNames = (list: readonly { version: number; name: string }[]) => list.map(({ version, name }) => ({ version, name }));
const label = (c: { version: number; name: string }) => `${String(c.version).padStart(4, '0')}_${c.name}`;

/** Runs case `c`: the database walked up to the version before it, rows written on the way, then head. */
async function runCase(engine: Engine, c: MigrationCase): Promise<void> {
  const db = await engine.fresh();
  try {
    const last = Math.max(1, c.version - 1);
    const written = CASES.filter((w) => w.version <= last);
    for (const w of written) {
      await db.migrateTo(w.version);
      if (w.rows) await db.exec(w.rows);
    }
    if (c.before) await db.exec(c.before);
    const store = await db.open();
    try {
      await store.migrate();
      const status = await store.migrationStatus();
      assert.deepEqual(status.pending, []);
      assert.deepEqual(versionsAndNames(status.applied), versionsAndNames(engine.migrations));
      for (const w of written) await w.readBack?.(store);
      await c.promises({ store, db, engine });
    } finally {
      await store.close();
    }
  } finally {
    await db.drop();
  }
}

function sqliteEngine(): Engine {
  return {
    name: 'sqlite',
    migrations: sqliteMigrations,
    announcesChanges: false,
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'keyway-migration-data-'));
      const path = join(dir, 'store.db');
      const withConnection = async (work: (conn: Connection) => void): Promise<void> => {
        const conn = new Connection(path);
        try {
          work(conn);
        } finally {
          conn.close();
        }
      };
      return {
        migrateTo: (version) => withConnection((conn) => void migrateSqlite(conn, undefined, sqliteMigrations.slice(0, version))),
        exec: (text) => withConnection((conn) => conn.db.exec(text)),
        open: () => openSqliteStore(path, { migrate: false }),
        async drop() {
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

function postgresEngine(url: string): Engine {
  /** Runs `work` on a plain client whose search_path is `schema` (or the default one). */
  async function onClient(schema: string | undefined, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
    const client = new pg.Client(poolConfig(url, schema));
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
  return {
    name: 'postgres',
    migrations: postgresMigrations,
    announcesChanges: true,
    async fresh() {
      const schema = `keyway_migration_data_${process.pid}_${randomBytes(5).toString('hex')}`;
      const withDatabase = async (work: (db: PgDatabase) => Promise<unknown>): Promise<void> => {
        const db = new PgDatabase(url, schema);
        try {
          await work(db);
        } finally {
          await db.close();
        }
      };
      await withDatabase((db) => ensureSchema(db, schema));
      return {
        migrateTo: (version) => withDatabase((db) => migratePostgres(db, undefined, postgresMigrations.slice(0, version))),
        // Without parameters the statements go as one simple query: several at once, in one transaction.
        exec: (text) => onClient(schema, (client) => client.query(text)),
        open: () => openPostgresStore(url, { schema, migrate: false }),
        drop: () => onClient(undefined, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
      };
    },
  };
}

/**
 * Registers the data test of every migration on `target`, and the test that every migration of
 * the engine's list has one.
 */
export function migrationDataCases(target: MigrationDataTarget): void {
  const engine = target.engine === 'sqlite' ? sqliteEngine() : postgresEngine(target.url);
  describe(`migration data: ${engine.name}`, () => {
    it('has a data case for every migration, and rows written at every version below head', () => {
      assert.deepEqual(versionsAndNames(CASES).map(label), versionsAndNames(engine.migrations).map(label));
      assert.deepEqual(versionsAndNames(sqliteMigrations), versionsAndNames(postgresMigrations));
      const head = Math.max(...CASES.map((c) => c.version));
      for (const c of CASES.filter((c) => c.version < head)) {
        assert.ok(c.rows && c.readBack, `${label(c)} has rows written at its version, and reads them back`);
      }
    });

    for (const c of CASES) {
      const before = c.version <= 2 ? 'written at version 1' : `written at versions 1 to ${c.version - 1}`;
      it(`${label(c)}: rows ${before} read back exactly at head, and what it promises holds`, () => runCase(engine, c));
    }
  });
}
