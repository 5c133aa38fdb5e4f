/** Role assignments held by applications. */
import { roleAssignmentColumns, toRoleAssignment, type RoleAssignmentRow } from '../shared/access-rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import type { PageRequest, RoleAssignmentRecord, RoleScopeType } from '../types.js';
import type { Connection } from './connection.js';
import type { EnvScoped } from './scoped.js';

export class RoleAssignments {
  constructor(
    private readonly conn: Connection,
    private readonly scoped: EnvScoped,
  ) {}

  list(environmentId: string, applicationId: string): RoleAssignmentRecord[] {
    return this.scoped
      .many<RoleAssignmentRow>('role_assignments', environmentId, 'application_id = ?', [applicationId], 'created_at, id')
      .map(toRoleAssignment);
  }

  page(environmentId: string, applicationId: string, page: PageRequest): RowPage<RoleAssignmentRecord> {
    return mapRowPage(
      this.scoped.page<RoleAssignmentRow>('role_assignments', environmentId, 'application_id = ?', [applicationId], page),
      toRoleAssignment,
    );
  }

  insert(environmentId: string, a: RoleAssignmentRecord): void {
    assertInEnvironment(environmentId, a.environmentId, `role assignment ${a.id}`);
    this.scoped.insert('role_assignments', environmentId, roleAssignmentColumns(a));
  }

  delete(environmentId: string, applicationId: string, assignmentId: string): boolean {
    return this.scoped.delete('role_assignments', environmentId, 'application_id = ? AND id = ?', [applicationId, assignmentId]) > 0;
  }

  deleteForApplication(environmentId: string, applicationId: string): void {
    this.scoped.delete('role_assignments', environmentId, 'application_id = ?', [applicationId]);
  }

  /**
   * Removes assignments whose scope is the given target, whichever environment holds them. The
   * one deliberate query not scoped by the holder's environment: an environment being deleted
   * takes the roles granted over it (to apps in other environments) with it.
   */
  deleteByScope(scopeType: RoleScopeType, scopeId: string): void {
    this.conn.run('DELETE FROM role_assignments WHERE scope_type = ? AND scope_id = ?', [scopeType, scopeId]);
  }
}
