/**
 * The store contract. Every method that touches environment data takes `environmentId` first;
 * implementations scope every query by it, so one environment can never read another's rows.
 * Methods are named after intents and each is atomic on its own.
 *
 * Both engines run the same declared methods (sql/sql-store.ts) and must pass test/store-contract.
 */
import type { ApplicationConfig } from '../domain/applications/application-config.js';
import type { EnvironmentSettings } from '../domain/environment-settings.js';
import type { ResourceType } from '../domain/resource-type.js';
import type { SigningKeyRecord } from '../domain/signing-key.js';
import type { Versioned } from '../domain/versioned.js';
import type { clientAuthMethods } from './areas/client-auth.js';
import type { PasswordPolicyRecord } from './areas/password-policies.js';
import type { populationMethods } from './areas/populations.js';
import type { signInMethods } from './areas/sign-in.js';
import type { userMethods } from './areas/users.js';
import type { STORE_METHODS } from './registry.js';
import type { Bound } from './sql/methods.js';

export * from './sign-in-types.js';
export * from './user-types.js';
export * from './group-types.js';
export type { SchemaAttributeRecord } from './areas/schema-attributes.js';
export type {
  ApplicationAttributeRecord,
  ApplicationAttributeSettings,
  AttributeMappingType,
  ResourceAttributeRecord,
  ResourceAttributeSettings,
  ResourceAttributeType,
} from './areas/attribute-mappings.js';
export type { PasswordPolicyDeleteResult, PasswordPolicyRecord } from './areas/password-policies.js';
export type { SigningKeyChange, SigningKeyDeleteResult } from './areas/signing-keys.js';
export type { DueRotation, KeyRotationPolicyRecord, KeyRotationPolicySettings, RotationRequest } from './areas/key-rotation-policies.js';

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
  /** The password policy assigned to the population; absent: the environment's default applies. */
  passwordPolicyId?: string;
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
  /** Ids of the `openid` resource's custom attributes the scope releases (OPENID_CONNECT scopes only). */
  mappedClaims?: string[];
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
  /** The environment's password policies, exactly one of them the default. */
  passwordPolicies?: PasswordPolicyRecord[];
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

/**
 * A user's value of a custom attribute whose definition says `unique` is held by another user
 * of the environment; `attribute` is the attribute's name.
 */
export class UniqueAttributeValue extends UniqueViolation {
  constructor(readonly attribute: string) {
    super('customAttribute');
  }
}

/** UniqueViolation's field when a group's name is held by a group of the other kind (environment or population). */
export const NAME_ACROSS_SCOPES = 'name_across_scopes';

/** Thrown by stores when the database cannot be reached or answered with an I/O failure. */
export class StoreUnavailable extends Error {}

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
  /**
   * A feed read on demand (SQLite's change log, which has no notifications) applies what was
   * committed since its last read; called before a cached entry is served.
   */
  catchUp?(): void;
  /** Stops listening. */
  close(): Promise<void>;
}

/** The store contract's methods, declared once for both engines in `areas/` (composed in registry.ts). */
export type StoreMethods = Bound<typeof STORE_METHODS>;
/** The parts of the contract that narrower consumers take. */
export type ClientAuthStore = Bound<typeof clientAuthMethods>;
export type UserStore = Bound<typeof userMethods & typeof populationMethods>;
export type SignInStore = Bound<typeof signInMethods>;

export interface PoolUsage {
  total: number;
  idle: number;
  waiting: number;
}

export interface Store extends StoreMethods {
  /** Applies pending forward-only migrations. Safe to call when up to date. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Cheap liveness probe of the database. */
  ping(): Promise<void>;
  /** Connections of the store's pool (PostgreSQL); a store without a pool (SQLite) has none. */
  poolUsage?(): PoolUsage;
  /**
   * Opens the feed of configuration changes shared with other instances on the same database.
   * Only stores that several processes share implement it (PostgreSQL, and SQLite opened for
   * KEYWAY_WORKERS); without it, the process is the only writer and its own change
   * notifications are complete.
   */
  openChangeFeed?(events: ChangeFeedEvents): ChangeFeed;
  /**
   * Opens a channel of short messages to the other instances on the same database (PostgreSQL);
   * `receive` gets theirs, never this instance's own. Delivery is best effort: a message sent
   * while an instance's listening connection is being re-established does not reach it; `events`
   * hears when that connection listens (again) and when it is lost.
   */
  openBroadcast?(receive: (message: string) => void, events?: Pick<ChangeFeedEvents, 'listening' | 'lost'>): Broadcast;
}

/** What `openBroadcast` answers. */
export interface Broadcast {
  /** Sends `message` (at most MAX_BROADCAST_CHARS) to the other instances; never throws. */
  send(message: string): void;
  /** Stops listening. */
  close(): Promise<void>;
}
