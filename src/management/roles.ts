/**
 * Built-in administrator roles (PingOne names) and the permissions each grants. Access to the
 * management API is decided by the actor's role assignments, each scoped to the organization
 * or to one environment (docs/pingone-reference.md §2.1, §6.7).
 */
import type { RoleAssignmentRecord, RoleScopeType } from '../store/types.js';

export type Permission =
  | 'environments:create'
  | 'environments:read'
  | 'environments:update'
  | 'environments:delete'
  | 'environments:promote'
  | 'organizations:read'
  | 'licenses:read'
  | 'applications:read'
  | 'applications:write'
  | 'applications:read:secret'
  | 'applications:update:secret'
  | 'resources:read'
  | 'resources:write'
  | 'roleAssignments:read'
  | 'roleAssignments:write'
  | 'populations:read'
  | 'populations:write'
  | 'users:read'
  | 'users:write'
  | 'groups:read'
  | 'groups:write'
  | 'passwordPolicies:read'
  | 'passwordPolicies:write'
  | 'schemas:read'
  | 'schemas:write'
  | 'keys:read'
  | 'keys:write';

export interface RoleDefinition {
  id: string;
  name: string;
  description: string;
  applicableTo: readonly RoleScopeType[];
  permissions: readonly Permission[];
}

/** Fixed ids so role ids are stable across deployments and restarts. */
export const ROLES = {
  organizationAdmin: {
    id: '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d01',
    name: 'Organization Admin',
    description: 'Manages the organization, its environments and administrator role assignments.',
    applicableTo: ['ORGANIZATION'],
    permissions: [
      'environments:create',
      'environments:read',
      'environments:update',
      'environments:delete',
      'environments:promote',
      'organizations:read',
      'licenses:read',
      'roleAssignments:read',
      'roleAssignments:write',
    ],
  },
  environmentAdmin: {
    id: '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d02',
    name: 'Environment Admin',
    description: 'Manages environments and their configuration, resources and role assignments.',
    applicableTo: ['ORGANIZATION', 'ENVIRONMENT'],
    permissions: [
      'environments:create',
      'environments:read',
      'environments:update',
      'environments:delete',
      'organizations:read',
      'licenses:read',
      'applications:read',
      'resources:read',
      'resources:write',
      'roleAssignments:read',
      'roleAssignments:write',
      'populations:read',
      // PingOne "Groups", permissions: Environment Admin and Client Application Developer read groups.
      'groups:read',
      'passwordPolicies:read',
      'schemas:read',
      // Custom user attributes: Environment Admin defines them as environment configuration, and
      // Identity Data Admin, who manages the users holding their values, does too (PingOne's
      // Directory > User Attributes); the worker that creates an environment holds the latter.
      'schemas:write',
      // Certificates and key pairs are environment configuration (PingOne, "Roles": Environment
      // Admin manages certificates and keys).
      'keys:read',
      'keys:write',
    ],
  },
  clientApplicationDeveloper: {
    id: '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d03',
    name: 'Client Application Developer',
    description: 'Manages applications, their secrets and grants, and resources.',
    applicableTo: ['ORGANIZATION', 'ENVIRONMENT'],
    permissions: [
      'environments:read',
      'applications:read',
      'applications:write',
      'applications:read:secret',
      'applications:update:secret',
      'resources:read',
      'resources:write',
      'groups:read',
    ],
  },
  identityDataAdmin: {
    id: '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d04',
    name: 'Identity Data Admin',
    description: 'Manages users, populations and groups.',
    applicableTo: ['ORGANIZATION', 'ENVIRONMENT'],
    // Password policies go with populations, which they are assigned to: Environment Admin views
    // them, Identity Data Admin manages them (docs.pingidentity.com, "Roles": Environment Admin
    // "viewing password policies").
    permissions: [
      'environments:read',
      'populations:read',
      'populations:write',
      'users:read',
      'users:write',
      'groups:read',
      'groups:write',
      'passwordPolicies:read',
      'passwordPolicies:write',
      'schemas:read',
      'schemas:write',
    ],
  },
} as const satisfies Record<string, RoleDefinition>;

export const ALL_ROLES: readonly RoleDefinition[] = Object.values(ROLES);

export function findRole(roleId: string): RoleDefinition | undefined {
  return ALL_ROLES.find((r) => r.id === roleId);
}

/** What an authenticated management caller is. */
export interface Actor {
  organizationId: string;
  environmentId: string;
  applicationId: string;
  assignments: readonly RoleAssignmentRecord[];
}

/** True when one of the actor's assignments grants `permission` over `environmentId`. */
export function canInEnvironment(actor: Actor, permission: Permission, environmentId: string): boolean {
  return actor.assignments.some((a) => covers(a, environmentId, actor.organizationId) && grants(a.roleId, permission));
}

/** True when one of the actor's organization-scoped assignments grants `permission`. */
export function canInOrganization(actor: Actor, permission: Permission): boolean {
  return actor.assignments.some(
    (a) => a.scopeType === 'ORGANIZATION' && a.scopeId === actor.organizationId && grants(a.roleId, permission),
  );
}

/**
 * True when any of the actor's assignments, over the organization or one of its environments,
 * grants `permission`: organization-level reads (the organization, its licenses) are open to an
 * administrator of any environment whose role holds them.
 */
export function canAnywhere(actor: Actor, permission: Permission): boolean {
  return actor.assignments.some((a) => grants(a.roleId, permission));
}

/**
 * PingOne's rule for giving roles away: the actor must itself hold the same role over a scope
 * that covers the target scope.
 */
export function canAssign(actor: Actor, roleId: string, scopeType: RoleScopeType, scopeId: string): boolean {
  return actor.assignments.some((a) => {
    if (a.roleId !== roleId) return false;
    if (a.scopeType === 'ORGANIZATION') return a.scopeId === actor.organizationId;
    return scopeType === 'ENVIRONMENT' && a.scopeId === scopeId;
  });
}

function covers(a: RoleAssignmentRecord, environmentId: string, organizationId: string): boolean {
  if (a.scopeType === 'ORGANIZATION') return a.scopeId === organizationId;
  return a.scopeId === environmentId;
}

function grants(roleId: string, permission: Permission): boolean {
  return findRole(roleId)?.permissions.includes(permission) ?? false;
}
