/** Applications and their client secrets. */
import type { ApplicationConfig } from '../../management/applications/model.js';
import type { ApplicationRecord, NewApplicationBundle, PageRequest, SecretRecord, UpdateResult } from '../types.js';
import type { Grants } from './grants.js';
import type { RoleAssignments } from './role-assignments.js';
import { json, parseJson, versioned, type VersionedColumns } from './rows.js';
import { assertInEnvironment, type EnvScoped, type RowPage } from './scoped.js';

interface ApplicationRow extends VersionedColumns {
  environment_id: string;
  id: string;
  config: string;
}

interface SecretRow {
  environment_id: string;
  application_id: string;
  secret_ciphertext: string;
  created_at: string;
  previous_secret_ciphertext: string | null;
  previous_expires_at: string | null;
  previous_last_used: string | null;
}

function toApplication(row: ApplicationRow): ApplicationRecord {
  // JSON keeps strings exact, so `config.jwks` comes back byte for byte as the client sent it.
  return { id: row.id, environmentId: row.environment_id, config: parseJson<ApplicationConfig>(row.config), ...versioned(row) };
}

function toSecret(row: SecretRow): SecretRecord {
  const secret: SecretRecord = {
    environmentId: row.environment_id,
    applicationId: row.application_id,
    secretCiphertext: row.secret_ciphertext,
    createdAt: row.created_at,
  };
  if (row.previous_secret_ciphertext !== null) {
    secret.previous = { secretCiphertext: row.previous_secret_ciphertext, expiresAt: row.previous_expires_at ?? '' };
    if (row.previous_last_used !== null) secret.previous.lastUsed = row.previous_last_used;
  }
  return secret;
}

export class Applications {
  constructor(
    private readonly scoped: EnvScoped,
    private readonly grants: Grants,
    private readonly roleAssignments: RoleAssignments,
  ) {}

  list(environmentId: string, page: PageRequest): RowPage<ApplicationRecord> {
    const result = this.scoped.page<ApplicationRow>('applications', environmentId, '', [], page);
    return { ...result, rows: result.rows.map(toApplication) };
  }

  get(environmentId: string, applicationId: string): ApplicationRecord | undefined {
    const row = this.scoped.one<ApplicationRow>('applications', environmentId, 'id = ?', [applicationId]);
    return row && toApplication(row);
  }

  /** Call inside a write transaction. */
  insert(environmentId: string, { application: app, secret, roleAssignments = [] }: NewApplicationBundle): void {
    assertInEnvironment(environmentId, app.environmentId, `application ${app.id}`);
    if (secret.applicationId !== app.id) throw new TypeError(`secret of ${secret.applicationId} bundled with application ${app.id}`);
    this.scoped.insert('applications', environmentId, {
      id: app.id,
      config: json(app.config),
      version: app.version,
      created_at: app.createdAt,
      updated_at: app.updatedAt,
    });
    this.putSecret(environmentId, secret);
    for (const assignment of roleAssignments) {
      if (assignment.applicationId !== app.id) throw new TypeError(`role assignment ${assignment.id} bundled with application ${app.id}`);
      this.roleAssignments.insert(environmentId, assignment);
    }
  }

  /** Call inside a write transaction. */
  replace(environmentId: string, next: ApplicationRecord, expectedVersion?: number): UpdateResult<ApplicationRecord> {
    assertInEnvironment(environmentId, next.environmentId, `application ${next.id}`);
    const result = this.scoped.updateVersioned<ApplicationRow>(
      'applications',
      environmentId,
      { config: json(next.config), updated_at: next.updatedAt },
      'id = ?',
      [next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toApplication(result.record) } : result;
  }

  /** Deletes the application with its secret, grants and role assignments. Call inside a write transaction. */
  delete(environmentId: string, applicationId: string, expectedVersion?: number): UpdateResult<null> {
    const row = this.scoped.one<ApplicationRow>('applications', environmentId, 'id = ?', [applicationId]);
    if (!row) return { status: 'not_found' };
    if (expectedVersion !== undefined && row.version !== expectedVersion) return { status: 'conflict' };
    this.roleAssignments.deleteForApplication(environmentId, applicationId);
    this.grants.deleteForApplication(environmentId, applicationId);
    this.scoped.delete('application_secrets', environmentId, 'application_id = ?', [applicationId]);
    this.scoped.delete('applications', environmentId, 'id = ?', [applicationId]);
    return { status: 'updated', record: null };
  }

  getSecret(environmentId: string, applicationId: string): SecretRecord | undefined {
    const row = this.scoped.one<SecretRow>('application_secrets', environmentId, 'application_id = ?', [applicationId]);
    return row && toSecret(row);
  }

  /** Creates or replaces the application's secret. Call inside a write transaction. */
  putSecret(environmentId: string, secret: SecretRecord): void {
    assertInEnvironment(environmentId, secret.environmentId, `secret of ${secret.applicationId}`);
    this.scoped.delete('application_secrets', environmentId, 'application_id = ?', [secret.applicationId]);
    this.scoped.insert('application_secrets', environmentId, {
      application_id: secret.applicationId,
      secret_ciphertext: secret.secretCiphertext,
      created_at: secret.createdAt,
      previous_secret_ciphertext: secret.previous?.secretCiphertext ?? null,
      previous_expires_at: secret.previous?.expiresAt ?? null,
      previous_last_used: secret.previous?.lastUsed ?? null,
    });
  }
}
