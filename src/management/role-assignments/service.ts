/**
 * Role assignments of an application: list, read, create, delete (no PUT, as on PingOne). Only
 * WORKER applications hold roles, and an actor can only give away a role it holds itself over a
 * scope covering the target (reference/pingone-api.md §5.1, §6.7). A change is seen by the
 * application's next request; its client profile is dropped from the cache.
 */
import { newId } from '../../domain/ids.js';
import { UniqueViolation, type ApplicationRecord, type PageRequest, type RoleAssignmentRecord } from '../../store/types.js';
import { forbidden, requireEnvironment } from '../access.js';
import { findApplication } from '../applications/service.js';
import { collection } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, InvalidDataError, NotFoundError } from '../errors.js';
import { canAssign, findRole, type Actor, type Permission, type RoleDefinition } from '../roles.js';
import { parseRoleAssignmentBody, type RoleAssignmentInput } from './parse.js';
import { roleAssignmentsHref, toRoleAssignmentResponse } from './serialize.js';

/** The application whose role assignments a request addresses. */
export interface RoleAssignmentPath {
  environmentId: string;
  applicationId: string;
}

async function requireApplication(
  deps: ManagementDeps,
  actor: Actor,
  path: RoleAssignmentPath,
  permission: Permission,
): Promise<ApplicationRecord> {
  await requireEnvironment(deps.store, actor, permission, path.environmentId);
  return findApplication(deps, path.environmentId, path.applicationId);
}

export async function listRoleAssignments(deps: ManagementDeps, actor: Actor, path: RoleAssignmentPath, page: PageRequest) {
  await requireApplication(deps, actor, path, 'roleAssignments:read');
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
  await requireApplication(deps, actor, path, 'roleAssignments:read');
  return toRoleAssignmentResponse(await findAssignment(deps, path, assignmentId), deps.apiBase);
}

export async function createRoleAssignment(deps: ManagementDeps, actor: Actor, path: RoleAssignmentPath, body: unknown) {
  const app = await requireApplication(deps, actor, path, 'roleAssignments:write');
  const input = parseRoleAssignmentBody(body);
  assertWorker(app);
  const role = requireRole(input);
  await assertScopeExists(deps, actor, input);
  if (!canAssign(actor, role.id, input.scopeType, input.scopeId)) throw forbidden();
  await assertNotHeld(deps, path, input);
  const assignment: RoleAssignmentRecord = { id: newId(), ...path, ...input, createdAt: deps.now().toISOString() };
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
  await requireApplication(deps, actor, path, 'roleAssignments:write');
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
