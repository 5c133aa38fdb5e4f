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

  async list(environmentId: string, page: PageRequest): Promise<RowPage<ApplicationRecord>> {
    return mapRowPage(await this.scoped.page<ApplicationRow>('applications', environmentId, '', [], page), toApplication);
  }

  async get(environmentId: string, applicationId: string): Promise<ApplicationRecord | undefined> {
    const row = await this.scoped.one<ApplicationRow>('applications', environmentId, 'id = ?', [applicationId]);
    return row && toApplication(row);
  }

  /** Call inside a transaction. */
  async insert(environmentId: string, bundle: NewApplicationBundle): Promise<void> {
    assertApplicationBundle(environmentId, bundle);
    await this.scoped.insert('applications', environmentId, applicationInsertColumns(bundle.application));
    await this.putSecret(environmentId, bundle.secret);
    for (const assignment of bundle.roleAssignments ?? []) await this.roleAssignments.insert(environmentId, assignment);
  }

  async replace(environmentId: string, next: ApplicationRecord, expectedVersion?: number): Promise<UpdateResult<ApplicationRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `application ${next.id}`);
    const result = await this.scoped.updateVersioned<ApplicationRow>(
      'applications',
      environmentId,
      applicationMutableColumns(next),
      'id = ?',
      [next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toApplication(result.record) } : result;
  }

  /**
   * Deletes the application with its secret, grants, role assignments, certificates and events.
   * Call inside a transaction: the row is locked first, so the version checked is the version
   * deleted, and an event or certificate written meanwhile waits, then fails on its foreign key.
   */
  async delete(environmentId: string, applicationId: string, expectedVersion?: number): Promise<UpdateResult<null>> {
    const version = await this.scoped.lockVersion('applications', environmentId, 'id = ?', [applicationId]);
    if (version === undefined) return { status: 'not_found' };
    if (expectedVersion !== undefined && version !== expectedVersion) return { status: 'conflict' };
    await this.scoped.delete('client_auth_events', environmentId, 'application_id = ?', [applicationId]);
    await this.scoped.delete('client_certificates', environmentId, 'application_id = ?', [applicationId]);
    await this.roleAssignments.deleteForApplication(environmentId, applicationId);
    await this.grants.deleteForApplication(environmentId, applicationId);
    await this.scoped.delete('application_secrets', environmentId, 'application_id = ?', [applicationId]);
    await this.scoped.delete('applications', environmentId, 'id = ?', [applicationId]);
    return { status: 'updated', record: null };
  }

  async getSecret(environmentId: string, applicationId: string): Promise<SecretRecord | undefined> {
    const row = await this.scoped.one<SecretRow>('application_secrets', environmentId, 'application_id = ?', [applicationId]);
    return row && toSecret(row);
  }

  /** Creates or replaces the application's secret. Call inside a transaction. */
  async putSecret(environmentId: string, secret: SecretRecord): Promise<void> {
    assertInEnvironment(environmentId, secret.environmentId, `secret of ${secret.applicationId}`);
    await this.scoped.delete('application_secrets', environmentId, 'application_id = ?', [secret.applicationId]);
    await this.scoped.insert('application_secrets', environmentId, secretColumns(secret));
  }
}
