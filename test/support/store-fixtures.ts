/**
 * Builders of valid store records for tests. Every builder takes overrides; ids are fresh
 * UUIDs; timestamps are fixed so records compare with deepStrictEqual after a round trip.
 */
import { randomUUID } from 'node:crypto';
import type { ApplicationConfig } from '../../src/domain/applications/application-config.js';
import type { SigningKeyRecord } from '../../src/domain/signing-key.js';
import type { ApplicationRecord, ClientAuthEventRecord, ClientCertificateRecord, EnvironmentRecord, GrantRecord, NewApplicationBundle, NewEnvironmentBundle, OrganizationRecord, PopulationRecord, ResourceRecord, RoleAssignmentRecord, ScopeRecord, SecretRecord } from '../../src/store/types.js';

export const CREATED_AT = '2026-01-02T03:04:05.678Z';
export const UPDATED_AT = '2026-02-03T04:05:06.789Z';

/** The Organization Admin role id used in fixtures. */
export const ORGANIZATION_ADMIN_ROLE = 'c9a6b5b0-0b3b-4a7e-9d1e-0f4c5d6e7f80';

/**
 * A `jwks` string as a client might send it: odd whitespace (tab, CR LF, no-break space and line
 * separator inside the string), JSON unicode escapes left unexpanded, and key order that differs
 * from canonical. A store must return it byte for byte.
 */
export const ODD_JWKS =
  '{ "keys" :[\r\n\t{"kty":"RSA" ,  "kid":"k\\u00e9y-\\u2028-1", "use":"sig",\n' +
  '   "n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",\n' +
  '   "e":"AQAB", "x-note":"caf\u00e9 \u00a0 \u2028 \u{1F511} \\ud83d\\udd11 \\/"}\n]  }\t';

export function organization(overrides: Partial<OrganizationRecord> = {}): OrganizationRecord {
  return { id: randomUUID(), name: 'Keyway', licenseId: randomUUID(), createdAt: CREATED_AT, ...overrides };
}

export function environment(organizationId: string, overrides: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return {
    id: randomUUID(),
    organizationId,
    name: `env-${randomUUID()}`,
    description: 'An environment',
    region: 'NA',
    type: 'SANDBOX',
    licenseId: randomUUID(),
    status: 'ACTIVE',
    extras: { icon: { href: 'https://example.test/icon.png' }, billOfMaterials: { products: [{ type: 'PING_ONE_BASE' }] } },
    settings: { clientAssertionAudiencePolicy: 'PINGONE_COMPATIBLE' },
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

export function signingKey(environmentId: string, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    environmentId,
    algorithm: 'RS256',
    publicJwk: { kty: 'RSA', kid: id, use: 'sig', alg: 'RS256', n: 'sXch', e: 'AQAB' },
    privateKeyCiphertext: `ciphertext-of-${id}`,
    status: 'ACTIVE',
    createdAt: CREATED_AT,
    usageType: 'SIGNING',
    default: true,
    keyAlgorithm: 'RSA',
    keyLength: 2048,
    ...overrides,
  };
}

export function population(environmentId: string, overrides: Partial<PopulationRecord> = {}): PopulationRecord {
  return {
    id: randomUUID(),
    environmentId,
    name: 'Default',
    description: 'Default population',
    default: true,
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

export function resource(environmentId: string, overrides: Partial<ResourceRecord> = {}): ResourceRecord {
  return {
    id: randomUUID(),
    environmentId,
    name: `resource-${randomUUID()}`,
    type: 'CUSTOM',
    description: 'A resource',
    audience: 'https://api.example.test',
    accessTokenValiditySeconds: 3600,
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

export function scope(environmentId: string, resourceId: string, overrides: Partial<ScopeRecord> = {}): ScopeRecord {
  return {
    id: randomUUID(),
    environmentId,
    resourceId,
    name: `scope-${randomUUID()}`,
    description: 'A scope',
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

/**
 * A new environment as management creates it: signing key, default population, the OpenID
 * Connect resource with `openid` and `profile`, and no role assignments unless given.
 */
export function environmentBundle(
  organizationId: string,
  overrides: Partial<EnvironmentRecord> = {},
  roleAssignments: RoleAssignmentRecord[] = [],
): NewEnvironmentBundle {
  const env = environment(organizationId, overrides);
  const openid = resource(env.id, { name: 'openid', type: 'OPENID_CONNECT', audience: 'https://auth.example.test' });
  return {
    environment: env,
    signingKey: signingKey(env.id),
    population: population(env.id),
    resources: [openid],
    scopes: [scope(env.id, openid.id, { name: 'openid' }), scope(env.id, openid.id, { name: 'profile', description: undefined })].map(
      dropUndefined,
    ),
    roleAssignments,
  };
}

export function applicationConfig(overrides: Partial<ApplicationConfig> = {}): ApplicationConfig {
  return {
    name: 'Worker app',
    enabled: true,
    type: 'WORKER',
    protocol: 'OPENID_CONNECT',
    assignActorRoles: false,
    grantTypes: ['CLIENT_CREDENTIALS'],
    responseTypes: [],
    tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    pkceEnforcement: 'OPTIONAL',
    parRequirement: 'OPTIONAL',
    parTimeout: 60,
    devicePollingInterval: 5,
    deviceTimeout: 600,
    requestScopesForMultipleResourcesEnabled: false,
    ...overrides,
  };
}

export function application(
  environmentId: string,
  overrides: Partial<ApplicationRecord> = {},
  config: Partial<ApplicationConfig> = {},
): ApplicationRecord {
  return {
    id: randomUUID(),
    environmentId,
    config: applicationConfig(config),
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

export function secret(environmentId: string, applicationId: string, overrides: Partial<SecretRecord> = {}): SecretRecord {
  return {
    environmentId,
    applicationId,
    secretCiphertext: `secret-of-${applicationId}-${randomUUID()}`,
    createdAt: CREATED_AT,
    ...overrides,
  };
}

export function applicationBundle(
  environmentId: string,
  overrides: Partial<ApplicationRecord> = {},
  config: Partial<ApplicationConfig> = {},
): NewApplicationBundle {
  const app = application(environmentId, overrides, config);
  return { application: app, secret: secret(environmentId, app.id) };
}

export function grant(
  environmentId: string,
  applicationId: string,
  resourceId: string,
  scopeIds: string[],
  overrides: Partial<GrantRecord> = {},
): GrantRecord {
  return {
    id: randomUUID(),
    environmentId,
    applicationId,
    resourceId,
    scopeIds,
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

export function roleAssignment(
  environmentId: string,
  applicationId: string,
  scopeType: RoleAssignmentRecord['scopeType'],
  scopeId: string,
  overrides: Partial<RoleAssignmentRecord> = {},
): RoleAssignmentRecord {
  return {
    id: randomUUID(),
    environmentId,
    applicationId,
    roleId: ORGANIZATION_ADMIN_ROLE,
    scopeType,
    scopeId,
    createdAt: CREATED_AT,
    ...overrides,
  };
}

export function clientCertificate(
  environmentId: string,
  applicationId: string,
  overrides: Partial<ClientCertificateRecord> = {},
): ClientCertificateRecord {
  const id = overrides.id ?? `kid-${randomUUID()}`;
  return {
    id,
    environmentId,
    applicationId,
    pem: `-----BEGIN CERTIFICATE-----\nMIIB${id}\n-----END CERTIFICATE-----\n`,
    publicJwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    },
    subject: 'CN=client.example.test',
    issuer: 'CN=Example CA, O=Example',
    serialNumber: '0a1b2c3d',
    notBefore: CREATED_AT,
    notAfter: '2027-01-02T03:04:05.000Z',
    thumbprintS256: 'x5t-s256-of-' + id,
    createdAt: CREATED_AT,
    ...overrides,
  };
}

/** A FAILURE event with every optional field; pass `undefined` values and `dropUndefined` to omit some. */
export function clientAuthEvent(
  environmentId: string,
  applicationId: string,
  overrides: Partial<ClientAuthEventRecord> = {},
): ClientAuthEventRecord {
  return {
    id: randomUUID(),
    environmentId,
    applicationId,
    outcome: 'FAILURE',
    reason: 'SIGNATURE_INVALID',
    method: 'PRIVATE_KEY_JWT',
    kid: 'kid-1',
    alg: 'RS256',
    audienceForm: 'TOKEN_ENDPOINT',
    detail: 'the signature does not verify with key kid-1',
    endpoint: 'https://auth.example.test/as/token',
    at: CREATED_AT,
    ...overrides,
  };
}

/** Removes keys whose value is undefined (stores omit absent optional fields). */
export function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
