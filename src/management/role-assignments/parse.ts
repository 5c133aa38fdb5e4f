/**
 * Request body of POST .../applications/{appId}/roleAssignments (reference/pingone-api.md §5.1):
 * `{role: {id}, scope: {id, type}}`. Only the shape is checked here; whether the role and the
 * scope exist, and whether the actor may give the role away, is the service's job.
 */
import { isUuid } from '../../domain/ids.js';
import type { RoleScopeType } from '../../store/types.js';
import { throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';

/** PingOne also knows POPULATION and APPLICATION scopes; Keyway's roles apply to these two only. */
export const SCOPE_TYPES: readonly RoleScopeType[] = ['ORGANIZATION', 'ENVIRONMENT'];

export interface RoleAssignmentInput {
  roleId: string;
  scopeType: RoleScopeType;
  scopeId: string;
}

/** @throws InvalidDataError listing every violation found. */
export function parseRoleAssignmentBody(body: unknown): RoleAssignmentInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const roleId = fields.reference('role', { required: true });
  const scope = readScope(fields);
  throwIfInvalid(fields.issues);
  return { roleId: roleId as string, ...(scope as Omit<RoleAssignmentInput, 'roleId'>) };
}

function readScope(fields: FieldReader): Omit<RoleAssignmentInput, 'roleId'> | undefined {
  const scope = fields.object('scope', { required: true, message: 'scope must be an object with id and type.' });
  if (!scope) return undefined;
  const scopeId = scope.checkedString('id', 64, uuidIssue, { required: true, nonBlank: true });
  const scopeType = scope.enumValue('type', SCOPE_TYPES, { required: true });
  if (scopeId === undefined || scopeType === undefined) return undefined;
  return { scopeType, scopeId };
}

function uuidIssue(value: string, target: string): string | undefined {
  return isUuid(value) ? undefined : `${target} must be a UUID.`;
}
