/**
 * Role assignment of an application as PingOne returns it (OpenAPI `RoleAssignment`).
 */
import type { RoleAssignmentRecord } from '../../store/types.js';

export function roleAssignmentsHref(apiBase: string, environmentId: string, applicationId: string): string {
  return `${apiBase}/environments/${environmentId}/applications/${applicationId}/roleAssignments`;
}

export function toRoleAssignmentResponse(assignment: RoleAssignmentRecord, apiBase: string): Record<string, unknown> {
  return {
    _links: {
      self: { href: `${roleAssignmentsHref(apiBase, assignment.environmentId, assignment.applicationId)}/${assignment.id}` },
      environment: { href: `${apiBase}/environments/${assignment.environmentId}` },
      role: { href: `${apiBase}/roles/${assignment.roleId}` },
    },
    id: assignment.id,
    environment: { id: assignment.environmentId },
    role: { id: assignment.roleId },
    scope: { id: assignment.scopeId, type: assignment.scopeType },
    // Keyway has no system-managed assignments: every one can be deleted by an actor holding its role.
    readOnly: false,
  };
}
