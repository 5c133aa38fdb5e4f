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
import { assertInEnvironment, mapRowPage, toPage } from '../shared/scope.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import type { ApplicationRecord, NewApplicationBundle, Page, PageRequest, SecretRecord, UpdateResult } from '../types.js';
import { deleteGrantsOfApplication } from './grants.js';
import { deleteRoleAssignmentsOfApplication, insertRoleAssignment } from './role-assignments.js';

/** Creates or replaces the application's secret. */
function* putSecret(db: Db, environmentId: string, secret: SecretRecord): Q<void> {
  assertInEnvironment(environmentId, secret.environmentId, `secret of ${secret.applicationId}`);
  yield* db.scoped.delete('application_secrets', environmentId, 'application_id = ?', [secret.applicationId]);
  yield* db.scoped.insert('application_secrets', environmentId, secretColumns(secret));
}

export const applicationMethods = {
  listApplications: plain(function* (db: Db, environmentId: string, page: PageRequest): Q<Page<ApplicationRecord>> {
    return toPage(mapRowPage(yield* db.scoped.page<ApplicationRow>('applications', environmentId, '', [], page), toApplication));
  }),

  getApplication: plain(function* (db: Db, environmentId: string, applicationId: string): Q<ApplicationRecord | undefined> {
    const row = yield* db.scoped.one<ApplicationRow>('applications', environmentId, 'id = ?', [applicationId]);
    return row && toApplication(row);
  }),

  /** The application, its secret and its first role assignments, together. */
  createApplication: atomic(function* (db: Db, environmentId: string, bundle: NewApplicationBundle): Q<void> {
    assertApplicationBundle(environmentId, bundle);
    yield* db.scoped.insert('applications', environmentId, applicationInsertColumns(bundle.application));
    yield* putSecret(db, environmentId, bundle.secret);
    for (const assignment of bundle.roleAssignments ?? []) yield* insertRoleAssignment(db, environmentId, assignment);
  }),

  replaceApplication: atomic(function* (
    db: Db,
    environmentId: string,
    next: ApplicationRecord,
    expectedVersion?: number,
  ): Q<UpdateResult<ApplicationRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `application ${next.id}`);
    const set = applicationMutableColumns(next);
    const result = yield* db.scoped.updateVersioned<ApplicationRow>('applications', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toApplication(result.record) } : result;
  }),

  /**
   * Deletes the application with its secret, grants, role assignments, certificates and auth
   * events. The row is locked first, so the version checked is the version deleted, and an event
   * or certificate written meanwhile waits, then fails on its foreign key.
   */
  deleteApplication: atomic(function* (db: Db, environmentId: string, applicationId: string, expectedVersion?: number): Q<UpdateResult<null>> {
    const version = yield* db.scoped.lockVersion('applications', environmentId, 'id = ?', [applicationId]);
    if (version === undefined) return { status: 'not_found' };
    if (expectedVersion !== undefined && version !== expectedVersion) return { status: 'conflict' };
    yield* db.scoped.delete('client_auth_events', environmentId, 'application_id = ?', [applicationId]);
    yield* db.scoped.delete('client_certificates', environmentId, 'application_id = ?', [applicationId]);
    yield* db.scoped.delete('application_attributes', environmentId, 'application_id = ?', [applicationId]);
    yield* deleteRoleAssignmentsOfApplication(db, environmentId, applicationId);
    yield* deleteGrantsOfApplication(db, environmentId, applicationId);
    yield* db.scoped.delete('application_secrets', environmentId, 'application_id = ?', [applicationId]);
    yield* db.scoped.delete('applications', environmentId, 'id = ?', [applicationId]);
    return { status: 'updated', record: null };
  }),

  getApplicationSecret: plain(function* (db: Db, environmentId: string, applicationId: string): Q<SecretRecord | undefined> {
    const row = yield* db.scoped.one<SecretRow>('application_secrets', environmentId, 'application_id = ?', [applicationId]);
    return row && toSecret(row);
  }),

  putApplicationSecret: atomic(putSecret),
};
