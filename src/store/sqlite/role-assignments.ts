/** Role assignments held by applications. */
import type { RoleAssignmentRecord, RoleScopeType } from '../types.js';
import type { Connection } from './connection.js';
import { assertInEnvironment, type EnvScoped } from './scoped.js';

interface RoleAssignmentRow {
  environment_id: string;
  id: string;
  application_id: string;
  role_id: string;
  scope_type: RoleScopeType;
  scope_id: string;
  created_at: string;
}

function toRecord(row: RoleAssignmentRow): RoleAssignmentRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    roleId: row.role_id,
    scopeType: row.scope_type,
    scopeId: row.scope_id,
    createdAt: row.created_at,
  };
}

export class RoleAssignments {
  constructor(
    private readonly conn: Connection,
    private readonly scoped: EnvScoped,
  ) {}

  list(environmentId: string, applicationId: string): RoleAssignmentRecord[] {
    return this.scoped
      .many<RoleAssignmentRow>('role_assignments', environmentId, 'application_id = ?', [applicationId], 'created_at, id')
      .map(toRecord);
  }

  insert(environmentId: string, a: RoleAssignmentRecord): void {
    assertInEnvironment(environmentId, a.environmentId, `role assignment ${a.id}`);
    this.scoped.insert('role_assignments', environmentId, {
      id: a.id,
      application_id: a.applicationId,
      role_id: a.roleId,
      scope_type: a.scopeType,
      scope_id: a.scopeId,
      created_at: a.createdAt,
    });
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
