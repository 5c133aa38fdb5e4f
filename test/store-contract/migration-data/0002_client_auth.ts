/**
 * Migration 0002_client_auth folds twin grants and role assignments (only concurrent creates
 * could write them before); it adds jti records, certificates, auth events and revocations.
 */
import assert from 'node:assert/strict';
import {
  UniqueViolation,
  type ClientAuthEventRecord,
  type ClientCertificateRecord,
  type Store,
} from '../../../src/store/types.js';
import { clientAuthEvent, clientCertificate, grant, roleAssignment } from '../../support/store-fixtures.js';
import { grantRecord, roleRecord } from './0001_init.js';
import { FAR, NOW, sql, type CaseContext, type MigrationCase } from './harness.js';

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

export const migrationCase: MigrationCase = { version: 2, name: 'client_auth', rows: ROWS_2, readBack: readBack2, before: BEFORE_2, promises: promises2 };
