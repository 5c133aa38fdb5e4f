/** Rows ↔ records for grants and role assignments, what an application may do (every dialect). */
import type { GrantRecord, RoleAssignmentRecord, RoleScopeType } from '../types.js';
import { json, parseJson, versioned, type Columns, type VersionedColumns } from './rows.js';

export interface GrantRow extends VersionedColumns {
  environment_id: string;
  id: string;
  application_id: string;
  resource_id: string;
  /** JSON array of scope ids. */
  scope_ids: string;
}

export function toGrant(row: GrantRow): GrantRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    resourceId: row.resource_id,
    scopeIds: parseJson<string[]>(row.scope_ids),
    ...versioned(row),
  };
}

/** The columns an update may change; the application is part of the key, not changed. */
export function grantMutableColumns(g: GrantRecord): Columns {
  return { resource_id: g.resourceId, scope_ids: json(g.scopeIds), updated_at: g.updatedAt };
}

export function grantInsertColumns(g: GrantRecord): Columns {
  return { id: g.id, application_id: g.applicationId, ...grantMutableColumns(g), version: g.version, created_at: g.createdAt };
}

/** A grant's scope ids once `scopeId` is taken out (an empty list means the grant goes). */
export function scopeIdsWithout(row: GrantRow, scopeId: string): string[] {
  return parseJson<string[]>(row.scope_ids).filter((id) => id !== scopeId);
}

export interface RoleAssignmentRow {
  environment_id: string;
  id: string;
  application_id: string;
  role_id: string;
  scope_type: RoleScopeType;
  scope_id: string;
  created_at: string;
}

export function toRoleAssignment(row: RoleAssignmentRow): RoleAssignmentRecord {
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

export function roleAssignmentColumns(a: RoleAssignmentRecord): Columns {
  return {
    id: a.id,
    application_id: a.applicationId,
    role_id: a.roleId,
    scope_type: a.scopeType,
    scope_id: a.scopeId,
    created_at: a.createdAt,
  };
}
