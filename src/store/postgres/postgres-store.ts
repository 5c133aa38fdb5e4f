/**
 * The PostgreSQL store (pg), for several Keyway instances sharing one database. Single
 * statements run on the pool; every multi-row write runs in one transaction on a dedicated
 * connection. Driver failures are mapped by `mapPostgresError` (UniqueViolation, StoreUnavailable),
 * so callers see the same errors as from the SQLite store.
 */
import type { ClientConfig } from 'pg';
import type { SigningKeyRecord } from '../../domain/signing-key.js';
import type { MigrationStatus } from '../migrator.js';
import { toPage } from '../shared/scope.js';
import type { ApplicationRecord, ChangeFeed, ChangeFeedEvents, ClientAuthEventRecord, ClientCertificateRecord, EnvironmentRecord, GrantRecord, NewApplicationBundle, NewEnvironmentBundle, OrganizationRecord, Page, PageRequest, PopulationRecord, ResourceRecord, RoleAssignmentRecord, ScopeRecord, SecretRecord, Store, UpdateResult } from '../types.js';
import { Areas } from './areas.js';
import { mapPostgresError } from './errors.js';
import { ensureSchema, migratePostgres, postgresMigrationStatus } from './migrate.js';
import { PgChangeFeed } from './notify.js';
import { assertSchemaName, PgDatabase, poolConfig } from './pool.js';
import { PostgresSignInMethods } from './sign-in-methods.js';

export interface PostgresStoreOptions {
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean;
  /**
   * Keep every table in this schema (created when missing) instead of the connection's default
   * `search_path`; lower-case letters, digits and `_`. Tests use a fresh one per store.
   */
  schema?: string;
  /** Clock for timestamps the store writes itself (migrations, cascaded grant edits). */
  now?: () => string;
  /**
   * Client-side bound of each query in milliseconds (default QUERY_TIMEOUT_MS, a little above the
   * server's statement_timeout): a query past it fails with StoreUnavailable. Tests lower it.
   */
  queryTimeoutMs?: number;
}

export class PostgresStore extends PostgresSignInMethods implements Store {
  private readonly db: PgDatabase;
  private readonly now: () => string;
  private readonly areas: Areas;
  /** The pool's settings, for the change feed's own connection. */
  private readonly feedConnection: ClientConfig;

  /** Creates the pool; connects lazily. Prefer `openPostgresStore`. */
  constructor(url: string, options: Pick<PostgresStoreOptions, 'schema' | 'now' | 'queryTimeoutMs'> = {}) {
    super();
    if (options.schema !== undefined) assertSchemaName(options.schema);
    const limits = options.queryTimeoutMs !== undefined ? { queryTimeoutMs: options.queryTimeoutMs } : {};
    this.db = new PgDatabase(url, options.schema, limits);
    this.feedConnection = poolConfig(url, options.schema, limits);
    this.now = options.now ?? (() => new Date().toISOString());
    this.areas = new Areas(this.db, this.now);
  }

  /** Runs `work` on the pool, with driver errors mapped to store errors. */
  protected override async call<T>(work: (areas: Areas) => Promise<T>): Promise<T> {
    try {
      return await work(this.areas);
    } catch (err) {
      throw mapPostgresError(err);
    }
  }

  /** Same, inside one transaction: every statement of `work` commits together or not at all. */
  protected override write<T>(work: (areas: Areas) => Promise<T>): Promise<T> {
    return this.call(() => this.db.transaction((tx) => work(new Areas(tx, this.now))));
  }

  /** Creates the schema the pool's `search_path` names (see PostgresStoreOptions.schema). */
  createSchema(schema: string): Promise<void> {
    return this.call(() => ensureSchema(this.db, schema));
  }

  migrate(): Promise<void> {
    return this.call(async () => void (await migratePostgres(this.db, this.now)));
  }

  /** Applied and pending migrations (for `keyway migrate status`). */
  migrationStatus(): Promise<MigrationStatus> {
    return this.call(() => postgresMigrationStatus(this.db));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * Listens on one dedicated connection (same settings and `search_path` as the pool) for the
   * configuration changes that the triggers of migration 0005 announce when a write commits,
   * whoever wrote it (see notify.ts).
   */
  openChangeFeed(events: ChangeFeedEvents): ChangeFeed {
    return new PgChangeFeed({ connection: this.feedConnection, events }).start();
  }

  ping(): Promise<void> {
    return this.call(async () => void (await this.db.query('SELECT 1')));
  }

  getOrganization(): Promise<OrganizationRecord | undefined> {
    return this.call((a) => a.environments.getOrganization());
  }

  createOrganization(org: OrganizationRecord): Promise<void> {
    return this.call((a) => a.environments.createOrganization(org));
  }

  listEnvironments(organizationId: string, page: PageRequest): Promise<Page<EnvironmentRecord>> {
    return this.call(async (a) => toPage(await a.environments.list(organizationId, page)));
  }

  getEnvironment(environmentId: string): Promise<EnvironmentRecord | undefined> {
    return this.call((a) => a.environments.get(environmentId));
  }

  createEnvironment(bundle: NewEnvironmentBundle): Promise<void> {
    return this.write((a) => a.environments.create(bundle));
  }

  updateEnvironment(environmentId: string, next: EnvironmentRecord, expectedVersion?: number): Promise<UpdateResult<EnvironmentRecord>> {
    return this.call((a) => a.environments.update(environmentId, next, expectedVersion));
  }

  deleteEnvironment(environmentId: string): Promise<boolean> {
    return this.write((a) => a.environments.delete(environmentId));
  }

  listSigningKeys(environmentId: string): Promise<SigningKeyRecord[]> {
    return this.call((a) => a.signingKeys.list(environmentId));
  }

  listPopulations(environmentId: string, page: PageRequest): Promise<Page<PopulationRecord>> {
    return this.call(async (a) => toPage(await a.populations.list(environmentId, page)));
  }

  listApplications(environmentId: string, page: PageRequest): Promise<Page<ApplicationRecord>> {
    return this.call(async (a) => toPage(await a.applications.list(environmentId, page)));
  }

  getApplication(environmentId: string, applicationId: string): Promise<ApplicationRecord | undefined> {
    return this.call((a) => a.applications.get(environmentId, applicationId));
  }

  createApplication(environmentId: string, bundle: NewApplicationBundle): Promise<void> {
    return this.write((a) => a.applications.insert(environmentId, bundle));
  }

  replaceApplication(environmentId: string, next: ApplicationRecord, expectedVersion?: number): Promise<UpdateResult<ApplicationRecord>> {
    return this.call((a) => a.applications.replace(environmentId, next, expectedVersion));
  }

  deleteApplication(environmentId: string, applicationId: string, expectedVersion?: number): Promise<UpdateResult<null>> {
    return this.write((a) => a.applications.delete(environmentId, applicationId, expectedVersion));
  }

  getApplicationSecret(environmentId: string, applicationId: string): Promise<SecretRecord | undefined> {
    return this.call((a) => a.applications.getSecret(environmentId, applicationId));
  }

  putApplicationSecret(environmentId: string, secret: SecretRecord): Promise<void> {
    return this.write((a) => a.applications.putSecret(environmentId, secret));
  }

  listResources(environmentId: string, page: PageRequest): Promise<Page<ResourceRecord>> {
    return this.call(async (a) => toPage(await a.resources.list(environmentId, page)));
  }

  getResource(environmentId: string, resourceId: string): Promise<ResourceRecord | undefined> {
    return this.call((a) => a.resources.get(environmentId, resourceId));
  }

  createResource(environmentId: string, resource: ResourceRecord): Promise<void> {
    return this.call((a) => a.resources.insert(environmentId, resource));
  }

  updateResource(environmentId: string, next: ResourceRecord, expectedVersion?: number): Promise<UpdateResult<ResourceRecord>> {
    return this.call((a) => a.resources.update(environmentId, next, expectedVersion));
  }

  deleteResource(environmentId: string, resourceId: string): Promise<boolean> {
    return this.write((a) => a.resources.delete(environmentId, resourceId));
  }

  listScopes(environmentId: string, resourceId: string, page: PageRequest): Promise<Page<ScopeRecord>> {
    return this.call(async (a) => toPage(await a.resources.listScopes(environmentId, resourceId, page)));
  }

  getScope(environmentId: string, resourceId: string, scopeId: string): Promise<ScopeRecord | undefined> {
    return this.call((a) => a.resources.getScope(environmentId, resourceId, scopeId));
  }

  getScopesByIds(environmentId: string, scopeIds: readonly string[]): Promise<ScopeRecord[]> {
    return this.call((a) => a.resources.getScopesByIds(environmentId, scopeIds));
  }

  createScope(environmentId: string, scope: ScopeRecord): Promise<void> {
    return this.call((a) => a.resources.insertScope(environmentId, scope));
  }

  updateScope(environmentId: string, next: ScopeRecord, expectedVersion?: number): Promise<UpdateResult<ScopeRecord>> {
    return this.call((a) => a.resources.updateScope(environmentId, next, expectedVersion));
  }

  deleteScope(environmentId: string, resourceId: string, scopeId: string): Promise<boolean> {
    return this.write((a) => a.resources.deleteScope(environmentId, resourceId, scopeId));
  }

  listGrants(environmentId: string, applicationId: string): Promise<GrantRecord[]> {
    return this.call((a) => a.grants.list(environmentId, applicationId));
  }

  pageGrants(environmentId: string, applicationId: string, page: PageRequest): Promise<Page<GrantRecord>> {
    return this.call(async (a) => toPage(await a.grants.page(environmentId, applicationId, page)));
  }

  getGrant(environmentId: string, applicationId: string, grantId: string): Promise<GrantRecord | undefined> {
    return this.call((a) => a.grants.get(environmentId, applicationId, grantId));
  }

  createGrant(environmentId: string, grant: GrantRecord): Promise<void> {
    return this.call((a) => a.grants.insert(environmentId, grant));
  }

  updateGrant(environmentId: string, next: GrantRecord, expectedVersion?: number): Promise<UpdateResult<GrantRecord>> {
    return this.call((a) => a.grants.update(environmentId, next, expectedVersion));
  }

  deleteGrant(environmentId: string, applicationId: string, grantId: string): Promise<boolean> {
    return this.call((a) => a.grants.delete(environmentId, applicationId, grantId));
  }

  listRoleAssignments(environmentId: string, applicationId: string): Promise<RoleAssignmentRecord[]> {
    return this.call((a) => a.roleAssignments.list(environmentId, applicationId));
  }

  pageRoleAssignments(environmentId: string, applicationId: string, page: PageRequest): Promise<Page<RoleAssignmentRecord>> {
    return this.call(async (a) => toPage(await a.roleAssignments.page(environmentId, applicationId, page)));
  }

  createRoleAssignment(environmentId: string, assignment: RoleAssignmentRecord): Promise<void> {
    return this.call((a) => a.roleAssignments.insert(environmentId, assignment));
  }

  deleteRoleAssignment(environmentId: string, applicationId: string, assignmentId: string): Promise<boolean> {
    return this.call((a) => a.roleAssignments.delete(environmentId, applicationId, assignmentId));
  }

  recordAssertionJti(environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): Promise<boolean> {
    return this.call((a) => a.tokenRecords.recordJti(environmentId, clientId, jti, expiresAt, now));
  }

  purgeExpiredAssertionJtis(now: string, limit: number): Promise<number> {
    return this.call((a) => a.tokenRecords.purge('assertion_jtis', now, limit));
  }

  listClientCertificates(environmentId: string, applicationId: string): Promise<ClientCertificateRecord[]> {
    return this.call((a) => a.clientCertificates.list(environmentId, applicationId));
  }

  getClientCertificate(environmentId: string, applicationId: string, keyId: string): Promise<ClientCertificateRecord | undefined> {
    return this.call((a) => a.clientCertificates.get(environmentId, applicationId, keyId));
  }

  createClientCertificate(environmentId: string, record: ClientCertificateRecord): Promise<void> {
    return this.call((a) => a.clientCertificates.insert(environmentId, record));
  }

  deleteClientCertificate(environmentId: string, applicationId: string, keyId: string): Promise<boolean> {
    return this.call((a) => a.clientCertificates.delete(environmentId, applicationId, keyId));
  }

  recordClientAuthEvent(environmentId: string, event: ClientAuthEventRecord, keep: number): Promise<void> {
    return this.write((a) => a.clientAuthEvents.record(environmentId, event, keep));
  }

  listClientAuthEvents(environmentId: string, applicationId: string, limit: number): Promise<ClientAuthEventRecord[]> {
    return this.call((a) => a.clientAuthEvents.list(environmentId, applicationId, limit));
  }

  revokeToken(environmentId: string, jti: string, expiresAt: string): Promise<void> {
    return this.call((a) => a.tokenRecords.revoke(environmentId, jti, expiresAt));
  }

  isTokenRevoked(environmentId: string, jti: string): Promise<boolean> {
    return this.call((a) => a.tokenRecords.isRevoked(environmentId, jti));
  }

  purgeExpiredRevocations(now: string, limit: number): Promise<number> {
    return this.call((a) => a.tokenRecords.purge('revoked_tokens', now, limit));
  }
}

/**
 * Opens the PostgreSQL store at `url` (a `postgres://` URL); with `schema`, creates that schema
 * when missing. Unless told not to, applies pending migrations (under an advisory lock, so
 * instances starting together are safe). Fails with StoreUnavailable when the server cannot be used.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const store = new PostgresStore(url, options);
  try {
    if (options.schema !== undefined) await store.createSchema(options.schema);
    if (options.migrate !== false) await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
