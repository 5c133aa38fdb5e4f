/** Role assignments held by applications. */
import { roleAssignmentColumns, toRoleAssignment, type RoleAssignmentRow } from '../shared/access-rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import { holdsNul } from '../shared/text.js';
import type { PageRequest, RoleAssignmentRecord, RoleScopeType } from '../types.js';
import type { Queryable } from './pool.js';
import type { EnvScoped } from './scoped.js';

export class RoleAssignments {
  constructor(
    private readonly q: Queryable,
    private readonly scoped: EnvScoped,
  ) {}

  async list(environmentId: string, applicationId: string): Promise<RoleAssignmentRecord[]> {
    const rows = await this.scoped.many<RoleAssignmentRow>(
      'role_assignments',
      environmentId,
      'application_id = ?',
      [applicationId],
      'created_at, id',
    );
    return rows.map(toRoleAssignment);
  }

  async page(environmentId: string, applicationId: string, page: PageRequest): Promise<RowPage<RoleAssignmentRecord>> {
    return mapRowPage(
      await this.scoped.page<RoleAssignmentRow>('role_assignments', environmentId, 'application_id = ?', [applicationId], page),
      toRoleAssignment,
    );
  }

  async insert(environmentId: string, a: RoleAssignmentRecord): Promise<void> {
    assertInEnvironment(environmentId, a.environmentId, `role assignment ${a.id}`);
    await this.scoped.insert('role_assignments', environmentId, roleAssignmentColumns(a));
  }

  async delete(environmentId: string, applicationId: string, assignmentId: string): Promise<boolean> {
    const predicate = 'application_id = ? AND id = ?';
    return (await this.scoped.delete('role_assignments', environmentId, predicate, [applicationId, assignmentId])) > 0;
  }

  async deleteForApplication(environmentId: string, applicationId: string): Promise<void> {
    await this.scoped.delete('role_assignments', environmentId, 'application_id = ?', [applicationId]);
  }

  /**
   * Removes assignments whose scope is the given target, whichever environment holds them. The
   * one deliberate query not scoped by the holder's environment: an environment being deleted
   * takes the roles granted over it (to apps in other environments) with it.
   */
  async deleteByScope(scopeType: RoleScopeType, scopeId: string): Promise<void> {
    if (holdsNul(scopeId)) return;
    await this.q.query('DELETE FROM role_assignments WHERE scope_type = ? AND scope_id = ?', [scopeType, scopeId]);
  }
}
