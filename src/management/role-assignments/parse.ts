/**
 * Request body of POST .../applications/{appId}/roleAssignments (reference/pingone-api.md §5.1):
 * `{role: {id}, scope: {id, type}}`. Only the shape is checked here; whether the role and the
 * scope exist, and whether the actor may give the role away, is the service's job.
 */
import { FieldReader, asObject, isUuid, type JsonObject } from '../common.js';
import { detail, throwIfInvalid } from '../errors.js';
import type { RoleScopeType } from '../../store/types.js';

/** PingOne also knows POPULATION and APPLICATION scopes; Keyway's roles apply to these two only. */
export const SCOPE_TYPES: readonly RoleScopeType[] = ['ORGANIZATION', 'ENVIRONMENT'];

export interface RoleAssignmentInput {
  roleId: string;
  scopeType: RoleScopeType;
  scopeId: string;
}

/** @throws InvalidDataError listing every violation found. */
export function parseRoleAssignmentBody(body: unknown): RoleAssignmentInput {
  const fields = new FieldReader(asObject(body));
  const roleId = fields.reference('role', { required: true });
  const scope = readScope(fields);
  throwIfInvalid(fields.details);
  return { roleId: roleId as string, ...(scope as Omit<RoleAssignmentInput, 'roleId'>) };
}

function readScope(fields: FieldReader): Omit<RoleAssignmentInput, 'roleId'> | undefined {
  const value = fields.body.scope;
  if (value === undefined || value === null) {
    fields.details.push(detail.required('scope'));
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    fields.details.push(detail.invalid('scope', 'scope must be an object with id and type.'));
    return undefined;
  }
  const scope = new FieldReader(value as JsonObject, 'scope');
  const scopeId = scope.string('id', { required: true, max: 64 });
  if (scopeId !== undefined && !isUuid(scopeId)) scope.details.push(detail.invalid('scope.id', 'scope.id must be a UUID.'));
  const scopeType = scope.enumValue('type', SCOPE_TYPES, { required: true });
  fields.details.push(...scope.details);
  if (scopeId === undefined || scopeType === undefined || scope.details.length > 0) return undefined;
  return { scopeType, scopeId };
}
