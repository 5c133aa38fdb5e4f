/**
 * The store contract. Every method that touches environment data takes `environmentId` first;
 * implementations scope every query by it, so one environment can never read another's rows.
 * Methods are named after intents and each is atomic on its own.
 *
 * Both the SQLite and (later) the PostgreSQL implementations must pass test/store-contract.
 */
import type { ApplicationConfig } from '../domain/applications/application-config.js';
import type { EnvironmentSettings } from '../domain/environment-settings.js';
import type { ResourceType } from '../domain/resource-type.js';
import type { SigningKeyRecord } from '../domain/signing-key.js';
import type { Versioned } from '../domain/versioned.js';
import type { SignInStore } from './sign-in-types.js';
import type { UserStore } from './user-types.js';

export * from './sign-in-types.js';
export * from './user-types.js';

export interface PageRequest {
  /** 1..1000 */
  limit: number;
  /** Opaque cursor from a previous page (the last id seen). */
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** Total rows matching, independent of paging. */
  count: number;
  /** Present when there are more items after this page. */
  nextCursor?: string;
}

/** Conditional write outcome. */
export type UpdateResult<T> = { status: 'updated'; record: T } | { status: 'not_found' } | { status: 'conflict' };

export interface OrganizationRecord {
  id: string;
  name: string;
  licenseId: string;
  createdAt: string;
}

export interface EnvironmentRecord extends Versioned {
  id: string;
  organizationId: string;
  name: string;
  description?: string;
  region: string;
  type: 'PRODUCTION' | 'SANDBOX';
  licenseId: string;
  status: 'ACTIVE';
  /** Opaque extra PingOne fields echoed back (icon, billOfMaterials). */
  extras: Record<string, unknown>;
  /** Keyway settings for the environment's authorization server (not PingOne fields). */
  settings: EnvironmentSettings;
}

/** A PEM X.509 certificate uploaded as a client key (`POST .../applications/{appId}/keys`). */
export interface ClientCertificateRecord {
  /** The key id: the certificate's SHA-256 thumbprint (base64url) unless given on upload. */
  id: string;
  environmentId: string;
  applicationId: string;
  /** The certificate as uploaded (PEM, one certificate). */
  pem: string;
  /** Public key as a JWK (kty, n/e or crv/x/y), as parsed at upload. */
  publicJwk: Record<string, unknown>;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** `x5t#S256` of the certificate. */
  thumbprintS256: string;
  createdAt: string;
}

/** A recorded client-authentication event (failure, or success with a legacy audience form). */
export interface ClientAuthEventRecord {
  id: string;
  environmentId: string;
  applicationId: string;
  outcome: 'FAILURE' | 'LEGACY_SUCCESS';
  reason: string;
  method?: string;
  kid?: string;
  alg?: string;
  audienceForm?: string;
  detail?: string;
  endpoint: string;
  at: string;
}

export interface PopulationRecord extends Versioned {
  id: string;
  environmentId: string;
  name: string;
  description?: string;
  default: boolean;
}

export interface ApplicationRecord extends Versioned {
  id: string;
  environmentId: string;
  config: ApplicationConfig;
}

export interface SecretRecord {
  environmentId: string;
  applicationId: string;
  /** Encrypted current secret. */
  secretCiphertext: string;
  createdAt: string;
  previous?: {
    secretCiphertext: string;
    expiresAt: string;
    lastUsed?: string;
  };
}

export interface ResourceRecord extends Versioned {
  id: string;
  environmentId: string;
  name: string;
  type: ResourceType;
  description?: string;
  audience: string;
  accessTokenValiditySeconds: number;
}

export interface ScopeRecord extends Versioned {
  id: string;
  environmentId: string;
  resourceId: string;
  name: string;
  description?: string;
}

export interface GrantRecord extends Versioned {
  id: string;
  environmentId: string;
  applicationId: string;
  resourceId: string;
  scopeIds: string[];
}

export type RoleScopeType = 'ORGANIZATION' | 'ENVIRONMENT';

export interface RoleAssignmentRecord {
  id: string;
  /** The environment of the application holding the role (not the scope). */
  environmentId: string;
  applicationId: string;
  roleId: string;
  scopeType: RoleScopeType;
  scopeId: string;
  createdAt: string;
}

/** Everything a new environment starts with, written in one transaction. */
export interface NewEnvironmentBundle {
  environment: EnvironmentRecord;
  signingKey: SigningKeyRecord;
  population: PopulationRecord;
  resources: ResourceRecord[];
  scopes: ScopeRecord[];
  /** Role assignments to create for the actor that created the environment (may be in another env). */
  roleAssignments: RoleAssignmentRecord[];
}

/** Everything a new application starts with, written in one transaction. */
export interface NewApplicationBundle {
  application: ApplicationRecord;
  secret: SecretRecord;
  /** Role assignments the new application starts with (`assignActorRoles`). */
  roleAssignments?: RoleAssignmentRecord[];
}

/** Thrown by stores for a unique-key clash; management code maps it to UNIQUENESS_VIOLATION. */
export class UniqueViolation extends Error {
  constructor(readonly field: string) {
    super(`unique violation on ${field}`);
  }
}

/** Thrown by stores when the database cannot be reached or answered with an I/O failure. */
export class StoreUnavailable extends Error {}

/**
 * Storage for client authentication: assertion replay records, uploaded certificates and
 * diagnostics. Every method takes `environmentId` first, like Store.
 */
export interface ClientAuthStore {
  // Client-assertion replay protection (jti single use per environment and client)
  /**
   * Atomic insert-if-absent of (environment, client, jti). Returns false when an unexpired
   * record exists (replay). An expired record with the same key is replaced. Throws
   * StoreUnavailable when it cannot record.
   */
  recordAssertionJti(environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): Promise<boolean>;
  /** Deletes up to `limit` records expired before `now` (any environment); returns how many. */
  purgeExpiredAssertionJtis(now: string, limit: number): Promise<number>;

  // Uploaded client certificates
  listClientCertificates(environmentId: string, applicationId: string): Promise<ClientCertificateRecord[]>;
  getClientCertificate(environmentId: string, applicationId: string, keyId: string): Promise<ClientCertificateRecord | undefined>;
  /** Fails with UniqueViolation('id') when the application already has a key with that id. */
  createClientCertificate(environmentId: string, record: ClientCertificateRecord): Promise<void>;
  deleteClientCertificate(environmentId: string, applicationId: string, keyId: string): Promise<boolean>;

  // Client-authentication diagnostics
  /** Appends an event and keeps only the newest `keep` events of that application. */
  recordClientAuthEvent(environmentId: string, event: ClientAuthEventRecord, keep: number): Promise<void>;
  /** Newest first. */
  listClientAuthEvents(environmentId: string, applicationId: string, limit: number): Promise<ClientAuthEventRecord[]>;

  // Revoked access tokens (RFC 7009); kept until the token would have expired anyway
  revokeToken(environmentId: string, jti: string, expiresAt: string): Promise<void>;
  isTokenRevoked(environmentId: string, jti: string): Promise<boolean>;
  /** Deletes up to `limit` revocation records expired before `now`; returns how many. */
  purgeExpiredRevocations(now: string, limit: number): Promise<number>;
}

/**
 * A configuration change that copies cached by other instances must drop: ids only, so a
 * message stays small whatever the configuration holds. `all` asks for every cache to be dropped.
 */
export type ConfigChange =
  | { kind: 'application'; environmentId: string; applicationId: string }
  | { kind: 'environment'; environmentId: string }
  | { kind: 'all' };

/** What a change feed reports; called on the event loop, must not throw. */
export interface ChangeFeedEvents {
  /** A change committed to the database, by any writer (this instance included). */
  changed(change: ConfigChange): void;
  /** Listening (again). Changes committed while the feed was not listening were missed. */
  listening(): void;
  /** The listening connection was lost; it is re-established with backoff. */
  lost(reason: string): void;
}

/**
 * Changes between the instances sharing one database (see src/adapters/cache/). The database itself
 * announces each change as part of the transaction that makes it, so there is nothing to publish.
 */
export interface ChangeFeed {
  /** True while committed changes are being received. */
  readonly listening: boolean;
  /** Stops listening. */
  close(): Promise<void>;
}

export interface Store extends ClientAuthStore, UserStore, SignInStore {
  /** Applies pending forward-only migrations. Safe to call when up to date. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Cheap liveness probe of the database. */
  ping(): Promise<void>;
  /**
   * Opens the feed of configuration changes shared with other instances on the same database.
   * Only stores that several processes share implement it (PostgreSQL); without it, the
   * process is the only writer and its own change notifications are complete.
   */
  openChangeFeed?(events: ChangeFeedEvents): ChangeFeed;

  // Organization (one per deployment)
  getOrganization(): Promise<OrganizationRecord | undefined>;
  createOrganization(org: OrganizationRecord): Promise<void>;

  // Environments (scoped by organization)
  listEnvironments(organizationId: string, page: PageRequest): Promise<Page<EnvironmentRecord>>;
  getEnvironment(environmentId: string): Promise<EnvironmentRecord | undefined>;
  /** Fails with UniqueViolation('name') when the name is taken in the organization. */
  createEnvironment(bundle: NewEnvironmentBundle): Promise<void>;
  /** Replaces the environment when `expectedVersion` matches (or is undefined). */
  updateEnvironment(environmentId: string, next: EnvironmentRecord, expectedVersion?: number): Promise<UpdateResult<EnvironmentRecord>>;
  /** Deletes the environment and every row scoped by it, plus role assignments whose scope is it. */
  deleteEnvironment(environmentId: string): Promise<boolean>;

  // Signing keys
  listSigningKeys(environmentId: string): Promise<SigningKeyRecord[]>;

  // Populations
  listPopulations(environmentId: string, page: PageRequest): Promise<Page<PopulationRecord>>;

  // Applications
  listApplications(environmentId: string, page: PageRequest): Promise<Page<ApplicationRecord>>;
  getApplication(environmentId: string, applicationId: string): Promise<ApplicationRecord | undefined>;
  createApplication(environmentId: string, bundle: NewApplicationBundle): Promise<void>;
  replaceApplication(
    environmentId: string,
    next: ApplicationRecord,
    expectedVersion?: number,
  ): Promise<UpdateResult<ApplicationRecord>>;
  /** Deletes the application with its secret, grants, role assignments, certificates and auth events. */
  deleteApplication(environmentId: string, applicationId: string, expectedVersion?: number): Promise<UpdateResult<null>>;

  // Application secret
  getApplicationSecret(environmentId: string, applicationId: string): Promise<SecretRecord | undefined>;
  putApplicationSecret(environmentId: string, secret: SecretRecord): Promise<void>;

  // Resources and scopes
  listResources(environmentId: string, page: PageRequest): Promise<Page<ResourceRecord>>;
  getResource(environmentId: string, resourceId: string): Promise<ResourceRecord | undefined>;
  /** Fails with UniqueViolation('name'). */
  createResource(environmentId: string, resource: ResourceRecord): Promise<void>;
  updateResource(environmentId: string, next: ResourceRecord, expectedVersion?: number): Promise<UpdateResult<ResourceRecord>>;
  /** Deletes the resource, its scopes and every grant on it. */
  deleteResource(environmentId: string, resourceId: string): Promise<boolean>;
  listScopes(environmentId: string, resourceId: string, page: PageRequest): Promise<Page<ScopeRecord>>;
  getScope(environmentId: string, resourceId: string, scopeId: string): Promise<ScopeRecord | undefined>;
  /** Scopes by id across resources of the environment (ids not found are omitted). */
  getScopesByIds(environmentId: string, scopeIds: readonly string[]): Promise<ScopeRecord[]>;
  /** Fails with UniqueViolation('name') within the resource. */
  createScope(environmentId: string, scope: ScopeRecord): Promise<void>;
  updateScope(environmentId: string, next: ScopeRecord, expectedVersion?: number): Promise<UpdateResult<ScopeRecord>>;
  /** Deletes the scope and removes it from grants (a grant left without scopes is deleted). */
  deleteScope(environmentId: string, resourceId: string, scopeId: string): Promise<boolean>;

  // Grants
  /** Every grant of the application (token issuance needs all of them; at most one per resource). */
  listGrants(environmentId: string, applicationId: string): Promise<GrantRecord[]>;
  /** One page of the application's grants in id order, for the management API's collection. */
  pageGrants(environmentId: string, applicationId: string, page: PageRequest): Promise<Page<GrantRecord>>;
  getGrant(environmentId: string, applicationId: string, grantId: string): Promise<GrantRecord | undefined>;
  /** Fails with UniqueViolation('resourceId') when the application already has a grant on that resource. */
  createGrant(environmentId: string, grant: GrantRecord): Promise<void>;
  /** Fails with UniqueViolation('resourceId') when moved onto a resource the application already has a grant on. */
  updateGrant(environmentId: string, next: GrantRecord, expectedVersion?: number): Promise<UpdateResult<GrantRecord>>;
  deleteGrant(environmentId: string, applicationId: string, grantId: string): Promise<boolean>;

  // Role assignments
  listRoleAssignments(environmentId: string, applicationId: string): Promise<RoleAssignmentRecord[]>;
  /** One page of the application's role assignments in id order, for the management API's collection. */
  pageRoleAssignments(environmentId: string, applicationId: string, page: PageRequest): Promise<Page<RoleAssignmentRecord>>;
  /** Fails with UniqueViolation('roleId') when the application already holds that role over that scope. */
  createRoleAssignment(environmentId: string, assignment: RoleAssignmentRecord): Promise<void>;
  deleteRoleAssignment(environmentId: string, applicationId: string, assignmentId: string): Promise<boolean>;
}
