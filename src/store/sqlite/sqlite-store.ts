/**
 * The embedded SQLite store (better-sqlite3). Methods return promises because the PostgreSQL
 * store is asynchronous; the work itself is synchronous, and each method is one statement or
 * one transaction. Driver failures are mapped by `mapSqliteError` (UniqueViolation, StoreUnavailable).
 */
import type { SigningKeyRecord } from '../../domain/signing-key.js';
import type { MigrationStatus } from '../migrator.js';
import { toPage } from '../shared/scope.js';
import type { ApplicationRecord, ClientAuthEventRecord, ClientCertificateRecord, EnvironmentRecord, GrantRecord, NewApplicationBundle, NewEnvironmentBundle, OrganizationRecord, Page, PageRequest, PopulationRecord, ResourceRecord, RoleAssignmentRecord, ScopeRecord, SecretRecord, Store, UpdateResult } from '../types.js';
import { Applications } from './applications.js';
import { ClientAuthEvents } from './client-auth-events.js';
import { ClientCertificates } from './client-certificates.js';
import { Connection } from './connection.js';
import { Environments } from './environments.js';
import { mapSqliteError } from './errors.js';
import { GroupCommit } from './group-commit.js';
import { JtiWriter } from './jti-writer.js';

interface JtiRecord {
  environmentId: string;
  clientId: string;
  jti: string;
  expiresAt: string;
  now: string;
}
import { Grants } from './grants.js';
import { migrateSqlite, sqliteMigrationStatus } from './migrate.js';
import { Populations } from './populations.js';
import { Resources } from './resources.js';
import { RoleAssignments } from './role-assignments.js';
import { EnvScoped } from './scoped.js';
import { SigningKeys } from './signing-keys.js';
import { TokenRecords } from './token-records.js';
import { SignIn } from './sign-in.js';
import { SqliteSignInMethods } from './sign-in-methods.js';
import { Users } from './users.js';

export interface SqliteStoreOptions {
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean;
  /** Clock for timestamps the store writes itself (migrations, cascaded grant edits). */
  now?: () => string;
}

export class SqliteStore extends SqliteSignInMethods implements Store {
  private readonly conn: Connection;
  private readonly now: () => string;
  private readonly environments: Environments;
  private readonly signingKeys: SigningKeys;
  protected override readonly populations: Populations;
  protected override readonly users: Users;
  private readonly applications: Applications;
  private readonly resources: Resources;
  private readonly grants: Grants;
  private readonly roleAssignments: RoleAssignments;
  private readonly tokenRecords: TokenRecords;
  private readonly clientCertificates: ClientCertificates;
  private readonly clientAuthEvents: ClientAuthEvents;
  protected override readonly signIn: SignIn;
  /** Jti records of concurrent token requests share one commit (one fsync). */
  private readonly jtiCommits: GroupCommit<JtiRecord, boolean>;
  /** For a database file: jti records committed on a worker thread, off the event loop. */
  private readonly jtiWriter: JtiWriter | undefined;

  /** Opens the database file (`:memory:` for a private in-memory one). Prefer `openSqliteStore`. */
  constructor(path: string, options: Pick<SqliteStoreOptions, 'now'> = {}) {
    super();
    try {
      this.conn = new Connection(path);
    } catch (err) {
      throw mapSqliteError(err);
    }
    this.now = options.now ?? (() => new Date().toISOString());
    const scoped = new EnvScoped(this.conn);
    this.grants = new Grants(scoped, this.now);
    this.roleAssignments = new RoleAssignments(this.conn, scoped);
    this.signingKeys = new SigningKeys(scoped);
    this.populations = new Populations(scoped);
    this.users = new Users(scoped);
    this.resources = new Resources(scoped, this.grants);
    this.applications = new Applications(scoped, this.grants, this.roleAssignments);
    this.tokenRecords = new TokenRecords(this.conn, scoped);
    this.clientCertificates = new ClientCertificates(scoped);
    this.clientAuthEvents = new ClientAuthEvents(scoped);
    this.signIn = new SignIn(this.conn, scoped, this.now);
    this.jtiWriter = path === ':memory:' || path === '' ? undefined : new JtiWriter(path);
    this.jtiCommits = new GroupCommit(
      this.conn,
      (r: JtiRecord) => this.tokenRecords.recordJti(r.environmentId, r.clientId, r.jti, r.expiresAt, r.now),
      mapSqliteError,
    );
    this.environments = new Environments(this.conn, scoped, {
      signingKeys: this.signingKeys,
      populations: this.populations,
      resources: this.resources,
      roleAssignments: this.roleAssignments,
    });
  }

  /** Runs synchronous work as a promise, with driver errors mapped to store errors. */
  protected override async call<T>(work: () => T): Promise<T> {
    try {
      return work();
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  /** Same, inside one `BEGIN IMMEDIATE` transaction. */
  protected override async write<T>(work: () => T): Promise<T> {
    return this.call(() => this.conn.write(work));
  }

  migrate(): Promise<void> {
    return this.call(() => void migrateSqlite(this.conn, this.now));
  }

  /** Applied and pending migrations (for `keyway migrate status`). */
  migrationStatus(): Promise<MigrationStatus> {
    return this.call(() => sqliteMigrationStatus(this.conn));
  }

  async close(): Promise<void> {
    await this.jtiWriter?.close();
    this.conn.close();
  }

  ping(): Promise<void> {
    return this.call(() => void this.conn.get('SELECT 1'));
  }

  getOrganization(): Promise<OrganizationRecord | undefined> {
    return this.call(() => this.environments.getOrganization());
  }

  createOrganization(org: OrganizationRecord): Promise<void> {
    return this.call(() => this.environments.createOrganization(org));
  }

  listEnvironments(organizationId: string, page: PageRequest): Promise<Page<EnvironmentRecord>> {
    return this.call(() => toPage(this.environments.list(organizationId, page)));
  }

  getEnvironment(environmentId: string): Promise<EnvironmentRecord | undefined> {
    return this.call(() => this.environments.get(environmentId));
  }

  createEnvironment(bundle: NewEnvironmentBundle): Promise<void> {
    return this.write(() => this.environments.create(bundle));
  }

  updateEnvironment(environmentId: string, next: EnvironmentRecord, expectedVersion?: number): Promise<UpdateResult<EnvironmentRecord>> {
    return this.write(() => this.environments.update(environmentId, next, expectedVersion));
  }

  deleteEnvironment(environmentId: string): Promise<boolean> {
    return this.write(() => this.environments.delete(environmentId));
  }

  listSigningKeys(environmentId: string): Promise<SigningKeyRecord[]> {
    return this.call(() => this.signingKeys.list(environmentId));
  }

  listPopulations(environmentId: string, page: PageRequest): Promise<Page<PopulationRecord>> {
    return this.call(() => toPage(this.populations.list(environmentId, page)));
  }

  listApplications(environmentId: string, page: PageRequest): Promise<Page<ApplicationRecord>> {
    return this.call(() => toPage(this.applications.list(environmentId, page)));
  }

  getApplication(environmentId: string, applicationId: string): Promise<ApplicationRecord | undefined> {
    return this.call(() => this.applications.get(environmentId, applicationId));
  }

  createApplication(environmentId: string, bundle: NewApplicationBundle): Promise<void> {
    return this.write(() => this.applications.insert(environmentId, bundle));
  }

  replaceApplication(environmentId: string, next: ApplicationRecord, expectedVersion?: number): Promise<UpdateResult<ApplicationRecord>> {
    return this.write(() => this.applications.replace(environmentId, next, expectedVersion));
  }

  deleteApplication(environmentId: string, applicationId: string, expectedVersion?: number): Promise<UpdateResult<null>> {
    return this.write(() => this.applications.delete(environmentId, applicationId, expectedVersion));
  }

  getApplicationSecret(environmentId: string, applicationId: string): Promise<SecretRecord | undefined> {
    return this.call(() => this.applications.getSecret(environmentId, applicationId));
  }

  putApplicationSecret(environmentId: string, secret: SecretRecord): Promise<void> {
    return this.write(() => this.applications.putSecret(environmentId, secret));
  }

  listResources(environmentId: string, page: PageRequest): Promise<Page<ResourceRecord>> {
    return this.call(() => toPage(this.resources.list(environmentId, page)));
  }

  getResource(environmentId: string, resourceId: string): Promise<ResourceRecord | undefined> {
    return this.call(() => this.resources.get(environmentId, resourceId));
  }

  createResource(environmentId: string, resource: ResourceRecord): Promise<void> {
    return this.call(() => this.resources.insert(environmentId, resource));
  }

  updateResource(environmentId: string, next: ResourceRecord, expectedVersion?: number): Promise<UpdateResult<ResourceRecord>> {
    return this.write(() => this.resources.update(environmentId, next, expectedVersion));
  }

  deleteResource(environmentId: string, resourceId: string): Promise<boolean> {
    return this.write(() => this.resources.delete(environmentId, resourceId));
  }

  listScopes(environmentId: string, resourceId: string, page: PageRequest): Promise<Page<ScopeRecord>> {
    return this.call(() => toPage(this.resources.listScopes(environmentId, resourceId, page)));
  }

  getScope(environmentId: string, resourceId: string, scopeId: string): Promise<ScopeRecord | undefined> {
    return this.call(() => this.resources.getScope(environmentId, resourceId, scopeId));
  }

  getScopesByIds(environmentId: string, scopeIds: readonly string[]): Promise<ScopeRecord[]> {
    return this.call(() => this.resources.getScopesByIds(environmentId, scopeIds));
  }

  createScope(environmentId: string, scope: ScopeRecord): Promise<void> {
    return this.call(() => this.resources.insertScope(environmentId, scope));
  }

  updateScope(environmentId: string, next: ScopeRecord, expectedVersion?: number): Promise<UpdateResult<ScopeRecord>> {
    return this.write(() => this.resources.updateScope(environmentId, next, expectedVersion));
  }

  deleteScope(environmentId: string, resourceId: string, scopeId: string): Promise<boolean> {
    return this.write(() => this.resources.deleteScope(environmentId, resourceId, scopeId));
  }

  listGrants(environmentId: string, applicationId: string): Promise<GrantRecord[]> {
    return this.call(() => this.grants.list(environmentId, applicationId));
  }

  pageGrants(environmentId: string, applicationId: string, page: PageRequest): Promise<Page<GrantRecord>> {
    return this.call(() => toPage(this.grants.page(environmentId, applicationId, page)));
  }

  getGrant(environmentId: string, applicationId: string, grantId: string): Promise<GrantRecord | undefined> {
    return this.call(() => this.grants.get(environmentId, applicationId, grantId));
  }

  createGrant(environmentId: string, grant: GrantRecord): Promise<void> {
    return this.call(() => this.grants.insert(environmentId, grant));
  }

  updateGrant(environmentId: string, next: GrantRecord, expectedVersion?: number): Promise<UpdateResult<GrantRecord>> {
    return this.write(() => this.grants.update(environmentId, next, expectedVersion));
  }

  deleteGrant(environmentId: string, applicationId: string, grantId: string): Promise<boolean> {
    return this.call(() => this.grants.delete(environmentId, applicationId, grantId));
  }

  listRoleAssignments(environmentId: string, applicationId: string): Promise<RoleAssignmentRecord[]> {
    return this.call(() => this.roleAssignments.list(environmentId, applicationId));
  }

  pageRoleAssignments(environmentId: string, applicationId: string, page: PageRequest): Promise<Page<RoleAssignmentRecord>> {
    return this.call(() => toPage(this.roleAssignments.page(environmentId, applicationId, page)));
  }

  createRoleAssignment(environmentId: string, assignment: RoleAssignmentRecord): Promise<void> {
    return this.call(() => this.roleAssignments.insert(environmentId, assignment));
  }

  deleteRoleAssignment(environmentId: string, applicationId: string, assignmentId: string): Promise<boolean> {
    return this.call(() => this.roleAssignments.delete(environmentId, applicationId, assignmentId));
  }

  recordAssertionJti(environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): Promise<boolean> {
    const job = { environmentId, clientId, jti, expiresAt, now };
    return this.jtiWriter ? this.jtiWriter.record(job) : this.jtiCommits.submit(job);
  }

  purgeExpiredAssertionJtis(now: string, limit: number): Promise<number> {
    return this.call(() => this.tokenRecords.purge('assertion_jtis', now, limit));
  }

  listClientCertificates(environmentId: string, applicationId: string): Promise<ClientCertificateRecord[]> {
    return this.call(() => this.clientCertificates.list(environmentId, applicationId));
  }

  getClientCertificate(environmentId: string, applicationId: string, keyId: string): Promise<ClientCertificateRecord | undefined> {
    return this.call(() => this.clientCertificates.get(environmentId, applicationId, keyId));
  }

  createClientCertificate(environmentId: string, record: ClientCertificateRecord): Promise<void> {
    return this.call(() => this.clientCertificates.insert(environmentId, record));
  }

  deleteClientCertificate(environmentId: string, applicationId: string, keyId: string): Promise<boolean> {
    return this.call(() => this.clientCertificates.delete(environmentId, applicationId, keyId));
  }

  recordClientAuthEvent(environmentId: string, event: ClientAuthEventRecord, keep: number): Promise<void> {
    return this.write(() => this.clientAuthEvents.record(environmentId, event, keep));
  }

  listClientAuthEvents(environmentId: string, applicationId: string, limit: number): Promise<ClientAuthEventRecord[]> {
    return this.call(() => this.clientAuthEvents.list(environmentId, applicationId, limit));
  }

  revokeToken(environmentId: string, jti: string, expiresAt: string): Promise<void> {
    return this.call(() => this.tokenRecords.revoke(environmentId, jti, expiresAt));
  }

  isTokenRevoked(environmentId: string, jti: string): Promise<boolean> {
    return this.call(() => this.tokenRecords.isRevoked(environmentId, jti));
  }

  purgeExpiredRevocations(now: string, limit: number): Promise<number> {
    return this.call(() => this.tokenRecords.purge('revoked_tokens', now, limit));
  }
}

/** Opens the SQLite store at `path` (a file, or `:memory:`) and, unless told not to, migrates it. */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const store = new SqliteStore(path, options);
  if (options.migrate === false) return store;
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
