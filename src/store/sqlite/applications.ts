/** Applications and their client secrets. */
import {
  applicationInsertColumns,
  applicationMutableColumns,
  assertApplicationBundle,
  secretColumns,
  toApplication,
  toSecret,
  type ApplicationRow,
  type SecretRow,
} from '../shared/application-rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import type { ApplicationRecord, NewApplicationBundle, PageRequest, SecretRecord, UpdateResult } from '../types.js';
import type { Grants } from './grants.js';
import type { RoleAssignments } from './role-assignments.js';
import type { EnvScoped } from './scoped.js';

export class Applications {
  constructor(
    private readonly scoped: EnvScoped,
    private readonly grants: Grants,
    private readonly roleAssignments: RoleAssignments,
  ) {}

  list(environmentId: string, page: PageRequest): RowPage<ApplicationRecord> {
    return mapRowPage(this.scoped.page<ApplicationRow>('applications', environmentId, '', [], page), toApplication);
  }

  get(environmentId: string, applicationId: string): ApplicationRecord | undefined {
    const row = this.scoped.one<ApplicationRow>('applications', environmentId, 'id = ?', [applicationId]);
    return row && toApplication(row);
  }

  /** Call inside a write transaction. */
  insert(environmentId: string, bundle: NewApplicationBundle): void {
    assertApplicationBundle(environmentId, bundle);
    this.scoped.insert('applications', environmentId, applicationInsertColumns(bundle.application));
    this.putSecret(environmentId, bundle.secret);
    for (const assignment of bundle.roleAssignments ?? []) this.roleAssignments.insert(environmentId, assignment);
  }

  /** Call inside a write transaction. */
  replace(environmentId: string, next: ApplicationRecord, expectedVersion?: number): UpdateResult<ApplicationRecord> {
    assertInEnvironment(environmentId, next.environmentId, `application ${next.id}`);
    const result = this.scoped.updateVersioned<ApplicationRow>(
      'applications',
      environmentId,
      applicationMutableColumns(next),
      'id = ?',
      [next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toApplication(result.record) } : result;
  }

  /** Deletes the application with its secret, grants, role assignments, certificates and events. Call inside a write transaction. */
  delete(environmentId: string, applicationId: string, expectedVersion?: number): UpdateResult<null> {
    const row = this.scoped.one<ApplicationRow>('applications', environmentId, 'id = ?', [applicationId]);
    if (!row) return { status: 'not_found' };
    if (expectedVersion !== undefined && row.version !== expectedVersion) return { status: 'conflict' };
    this.scoped.delete('client_auth_events', environmentId, 'application_id = ?', [applicationId]);
    this.scoped.delete('client_certificates', environmentId, 'application_id = ?', [applicationId]);
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
    this.scoped.insert('application_secrets', environmentId, secretColumns(secret));
  }
}
