/**
 * Role assignments of an application: list, read, create, delete (no PUT, as on PingOne; OpenAPI
 * `RoleAssignment`). Only WORKER applications hold roles, and an actor can only give away a role
 * it holds itself over a scope covering the target (docs/pingone-reference.md §5.1, §6.7). A
 * change is seen by the application's next request; its client profile is dropped from the cache.
 */
import { isUuid, newId } from '../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../domain/pingone-error.js';
import { UniqueViolation, type ApplicationRecord, type PageRequest, type RoleAssignmentRecord, type RoleScopeType } from '../store/types.js';
import { forbidden } from './access.js';
import { requireApplication } from './applications/service.js';
import { collection, type CreateOptions } from './common.js';
import type { ManagementDeps } from './context.js';
import { detail, throwIfInvalid } from './errors.js';
import { GENERAL_RULES } from './field-rules.js';
import { FieldReader, asObject } from './fields.js';
import { canAssign, findRole, type Actor, type RoleDefinition } from './roles.js';

// Request body: `{role: {id}, scope: {id, type}}`. Only the shape is checked here; whether the
// role and the scope exist, and whether the actor may give the role away, is checked by the
// operations below.

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

// Responses.

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

// Operations.

/** The application whose role assignments a request addresses. */
export interface RoleAssignmentPath {
  environmentId: string;
  applicationId: string;
}

export async function listRoleAssignments(deps: ManagementDeps, actor: Actor, path: RoleAssignmentPath, page: PageRequest) {
  await requireApplication(deps, actor, 'roleAssignments:read', path.environmentId, path.applicationId);
  const result = await deps.store.pageRoleAssignments(path.environmentId, path.applicationId, page);
  const items = result.items.map((a) => toRoleAssignmentResponse(a, deps.apiBase));
  const self = roleAssignmentsHref(deps.apiBase, path.environmentId, path.applicationId);
  return collection(self, 'roleAssignments', { ...result, items }, page);
}

async function findAssignment(deps: ManagementDeps, path: RoleAssignmentPath, assignmentId: string): Promise<RoleAssignmentRecord> {
  const assignments = await deps.store.listRoleAssignments(path.environmentId, path.applicationId);
  const found = assignments.find((a) => a.id === assignmentId);
  if (!found) throw new NotFoundError();
  return found;
}

export async function readRoleAssignment(deps: ManagementDeps, actor: Actor, path: RoleAssignmentPath, assignmentId: string) {
  await requireApplication(deps, actor, 'roleAssignments:read', path.environmentId, path.applicationId);
  return toRoleAssignmentResponse(await findAssignment(deps, path, assignmentId), deps.apiBase);
}

export async function createRoleAssignment(deps: ManagementDeps, actor: Actor, path: RoleAssignmentPath, body: unknown, options: CreateOptions = {}) {
  const app = await requireApplication(deps, actor, 'roleAssignments:write', path.environmentId, path.applicationId);
  const input = parseRoleAssignmentBody(body);
  assertWorker(app);
  const role = requireRole(input);
  await assertScopeExists(deps, actor, input);
  if (!canAssign(actor, role.id, input.scopeType, input.scopeId)) throw forbidden();
  await assertNotHeld(deps, path, input);
  const assignment: RoleAssignmentRecord = { id: options.id ?? newId(), ...path, ...input, createdAt: deps.now().toISOString() };
  try {
    await deps.store.createRoleAssignment(path.environmentId, assignment);
  } catch (err) {
    // A concurrent create of the same assignment won the store's unique key: the same 400.
    if (!(err instanceof UniqueViolation) || err.field !== 'roleId') throw err;
    await assertNotHeld(deps, path, input);
    throw alreadyHeld(undefined);
  }
  deps.changes.environmentChanged(path.environmentId);
  return toRoleAssignmentResponse(assignment, deps.apiBase);
}

/** Taking a role away needs the same standing as giving it. */
export async function deleteRoleAssignment(deps: ManagementDeps, actor: Actor, path: RoleAssignmentPath, assignmentId: string) {
  await requireApplication(deps, actor, 'roleAssignments:write', path.environmentId, path.applicationId);
  const assignment = await findAssignment(deps, path, assignmentId);
  if (!canAssign(actor, assignment.roleId, assignment.scopeType, assignment.scopeId)) throw forbidden();
  if (!(await deps.store.deleteRoleAssignment(path.environmentId, path.applicationId, assignmentId))) throw new NotFoundError();
  deps.changes.environmentChanged(path.environmentId);
}

function assertWorker(app: ApplicationRecord): void {
  if (app.config.type !== 'WORKER') {
    throw new InvalidDataError([detail.constraint('application.type', 'Only WORKER applications can hold roles.')]);
  }
}

/** A known role that applies to the requested scope type. */
function requireRole(input: RoleAssignmentInput): RoleDefinition {
  const role = findRole(input.roleId);
  if (!role) throw new InvalidDataError([detail.invalid('role.id', 'role.id does not name a role.')]);
  if (!role.applicableTo.includes(input.scopeType)) {
    throw new InvalidDataError([
      detail.invalid('scope.type', `The ${role.name} role applies to ${role.applicableTo.join(', ')} scopes only.`, {
        allowedValues: role.applicableTo,
      }),
    ]);
  }
  return role;
}

/** ORGANIZATION names the actor's organization; ENVIRONMENT one of its environments. */
async function assertScopeExists(deps: ManagementDeps, actor: Actor, input: RoleAssignmentInput): Promise<void> {
  if (input.scopeType === 'ORGANIZATION') {
    if (input.scopeId === actor.organizationId) return;
    throw new InvalidDataError([detail.invalid('scope.id', 'scope.id does not name this organization.')]);
  }
  const env = await deps.store.getEnvironment(input.scopeId);
  if (!env || env.organizationId !== actor.organizationId) {
    throw new InvalidDataError([detail.invalid('scope.id', 'scope.id does not name an environment of this organization.')]);
  }
}

/** Checked here for a precise error; the store's unique key also refuses it when two creates race. */
async function assertNotHeld(deps: ManagementDeps, path: RoleAssignmentPath, input: RoleAssignmentInput): Promise<void> {
  const held = await deps.store.listRoleAssignments(path.environmentId, path.applicationId);
  const same = held.find((a) => a.roleId === input.roleId && a.scopeType === input.scopeType && a.scopeId === input.scopeId);
  if (same) throw alreadyHeld(same.id);
}

function alreadyHeld(existingId: string | undefined): InvalidDataError {
  return new InvalidDataError([detail.unique('role.id', 'The application already holds this role over this scope.', existingId)]);
}
