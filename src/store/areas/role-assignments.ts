/** Role assignments held by applications. */
import { roleAssignmentColumns, toRoleAssignment, type RoleAssignmentRow } from '../shared/access-rows.js';
import { assertInEnvironment, mapRowPage, toPage } from '../shared/scope.js';
import { holdsNul } from '../shared/text.js';
import { plain, type Db } from '../sql/methods.js';
import { changes, type Q } from '../sql/statement.js';
import type { Page, PageRequest, RoleAssignmentRecord, RoleScopeType } from '../types.js';

export function* insertRoleAssignment(db: Db, environmentId: string, assignment: RoleAssignmentRecord): Q<void> {
  assertInEnvironment(environmentId, assignment.environmentId, `role assignment ${assignment.id}`);
  yield* db.scoped.insert('role_assignments', environmentId, roleAssignmentColumns(assignment));
}

export function* deleteRoleAssignmentsOfApplication(db: Db, environmentId: string, applicationId: string): Q<void> {
  yield* db.scoped.delete('role_assignments', environmentId, 'application_id = ?', [applicationId]);
}

/**
 * Removes assignments whose scope is the given target, whichever environment holds them. The
 * one deliberate statement not scoped by the holder's environment: an environment being deleted
 * takes the roles granted over it (to apps in other environments) with it.
 */
export function* deleteRoleAssignmentsOver(scopeType: RoleScopeType, scopeId: string): Q<void> {
  if (holdsNul(scopeId)) return;
  yield* changes('DELETE FROM role_assignments WHERE scope_type = ? AND scope_id = ?', [scopeType, scopeId]);
}

export const roleAssignmentMethods = {
  listRoleAssignments: plain(function* (db: Db, environmentId: string, applicationId: string): Q<RoleAssignmentRecord[]> {
    const predicate = 'application_id = ?';
    const rows = yield* db.scoped.many<RoleAssignmentRow>('role_assignments', environmentId, predicate, [applicationId], 'created_at, id');
    return rows.map(toRoleAssignment);
  }),

  /** One page of the application's role assignments in id order, for the management API's collection. */
  pageRoleAssignments: plain(function* (db: Db, environmentId: string, applicationId: string, page: PageRequest): Q<Page<RoleAssignmentRecord>> {
    const rows = yield* db.scoped.page<RoleAssignmentRow>('role_assignments', environmentId, 'application_id = ?', [applicationId], page);
    return toPage(mapRowPage(rows, toRoleAssignment));
  }),

  /** Fails with UniqueViolation('roleId') when the application already holds that role over that scope. */
  createRoleAssignment: plain(insertRoleAssignment),

  deleteRoleAssignment: plain(function* (db: Db, environmentId: string, applicationId: string, assignmentId: string): Q<boolean> {
    const predicate = 'application_id = ? AND id = ?';
    return (yield* db.scoped.delete('role_assignments', environmentId, predicate, [applicationId, assignmentId])) > 0;
  }),
};
