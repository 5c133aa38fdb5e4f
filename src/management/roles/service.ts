/**
 * The built-in administrator roles as PingOne lists them (`GET /v1/roles`, OpenAPI `Role`).
 * Any authenticated caller may read them: they are the same for every organization.
 */
import { NotFoundError } from '../../domain/pingone-error.js';
import { collection } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { ALL_ROLES, findRole, type Permission, type RoleDefinition } from '../roles.js';

/** One line per permission; a Record so a new permission cannot be added without its text. */
const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = {
  'environments:create': 'Create environments',
  'environments:read': 'Read environments',
  'environments:update': 'Update environments',
  'environments:delete': 'Delete environments',
  'environments:promote': 'Promote a SANDBOX environment to PRODUCTION',
  'organizations:read': 'Read the organization',
  'licenses:read': "Read the organization's licenses",
  'applications:read': 'Read applications and their resource grants',
  'applications:write': 'Create, update and delete applications and their resource grants',
  'applications:read:secret': 'Read application secrets',
  'applications:update:secret': 'Rotate application secrets',
  'resources:read': 'Read resources and their scopes',
  'resources:write': 'Create, update and delete custom resources and their scopes',
  'roleAssignments:read': 'Read role assignments of applications',
  'roleAssignments:write': 'Create and delete role assignments of applications',
  'populations:read': 'Read populations',
  'populations:write': 'Create, update and delete populations',
  'users:read': 'Read users',
  'users:write': 'Create, update and delete users',
  'groups:read': 'Read groups, their nesting and memberships',
  'groups:write': 'Create, update and delete groups, nest them, and add users to them',
  'passwordPolicies:read': 'Read password policies',
  'passwordPolicies:write': 'Create, update and delete password policies',
  'schemas:read': 'Read the user schema and its attributes',
  'schemas:write': 'Create, update and delete custom attributes of the user schema',
  'keys:read': 'Read keys and certificates and export certificates',
  'keys:write': 'Create, import, update and delete keys and certificates',
};

export function toRoleResponse(role: RoleDefinition, apiBase: string): Record<string, unknown> {
  return {
    _links: { self: { href: `${apiBase}/roles/${role.id}` } },
    id: role.id,
    name: role.name,
    description: role.description,
    applicableTo: [...role.applicableTo],
    permissions: role.permissions.map((id) => ({
      id,
      // The resource a permission is about: `applications` for `applications:read:secret`.
      classifier: id.split(':')[0] ?? id,
      description: PERMISSION_DESCRIPTIONS[id],
    })),
  };
}

export function listRoles(deps: ManagementDeps): Record<string, unknown> {
  const items = ALL_ROLES.map((r) => toRoleResponse(r, deps.apiBase));
  return collection(`${deps.apiBase}/roles`, 'roles', { items, count: items.length }, undefined);
}

export function readRole(deps: ManagementDeps, roleId: string): Record<string, unknown> {
  const role = findRole(roleId);
  if (!role) throw new NotFoundError();
  return toRoleResponse(role, deps.apiBase);
}
