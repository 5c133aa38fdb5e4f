/**
 * Resource grants of an application: list, read, create, replace (PUT), delete. A grant gives the
 * application some scopes of one resource of its environment; an application has at most one
 * grant per resource (reference/pingone-api.md §5.1).
 */
import { newId } from '../../domain/ids.js';
import { UniqueViolation, type GrantRecord, type PageRequest } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { findApplication } from '../applications/service.js';
import { collection, unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, InvalidDataError, NotFoundError, throwIfInvalid, type ErrorDetail } from '../errors.js';
import type { VersionedBody } from '../resources/service.js';
import type { Actor, Permission } from '../roles.js';
import { parseGrantBody, type GrantInput } from './parse.js';
import { grantsHref, toGrantResponse } from './serialize.js';

/** The application whose grants a request addresses. */
export interface GrantPath {
  environmentId: string;
  applicationId: string;
}

/** The permission over the environment, then an application of it (404 otherwise). */
async function requireApplication(deps: ManagementDeps, actor: Actor, path: GrantPath, permission: Permission): Promise<void> {
  await requireEnvironment(deps.store, actor, permission, path.environmentId);
  await findApplication(deps, path.environmentId, path.applicationId);
}

export async function listGrants(deps: ManagementDeps, actor: Actor, path: GrantPath, page: PageRequest) {
  await requireApplication(deps, actor, path, 'applications:read');
  const result = await deps.store.pageGrants(path.environmentId, path.applicationId, page);
  const items = result.items.map((g) => toGrantResponse(g, deps.apiBase));
  return collection(grantsHref(deps.apiBase, path.environmentId, path.applicationId), 'grants', { ...result, items }, page);
}

async function findGrant(deps: ManagementDeps, path: GrantPath, grantId: string): Promise<GrantRecord> {
  const grant = await deps.store.getGrant(path.environmentId, path.applicationId, grantId);
  if (!grant) throw new NotFoundError();
  return grant;
}

export async function readGrant(deps: ManagementDeps, actor: Actor, path: GrantPath, grantId: string): Promise<VersionedBody> {
  await requireApplication(deps, actor, path, 'applications:read');
  const grant = await findGrant(deps, path, grantId);
  return { body: toGrantResponse(grant, deps.apiBase), version: grant.version };
}

export async function createGrant(deps: ManagementDeps, actor: Actor, path: GrantPath, body: unknown): Promise<VersionedBody> {
  await requireApplication(deps, actor, path, 'applications:write');
  const input = parseGrantBody(body);
  await checkReferences(deps, path.environmentId, input);
  await assertOnePerResource(deps, path, input.resourceId, undefined);
  const at = deps.now().toISOString();
  const grant: GrantRecord = { id: newId(), ...path, ...input, version: 1, createdAt: at, updatedAt: at };
  await onePerResource(deps, path, input.resourceId, grant.id, () => deps.store.createGrant(path.environmentId, grant));
  deps.changes.environmentChanged(path.environmentId);
  return { body: toGrantResponse(grant, deps.apiBase), version: grant.version };
}

export async function replaceGrant(
  deps: ManagementDeps,
  actor: Actor,
  path: GrantPath,
  grantId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireApplication(deps, actor, path, 'applications:write');
  const current = await findGrant(deps, path, grantId);
  const input = parseGrantBody(body);
  await checkReferences(deps, path.environmentId, input);
  await assertOnePerResource(deps, path, input.resourceId, grantId);
  const next: GrantRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  const updated = unwrapUpdate(
    await onePerResource(deps, path, input.resourceId, grantId, () => deps.store.updateGrant(path.environmentId, next, expectedVersion)),
  );
  deps.changes.environmentChanged(path.environmentId);
  return { body: toGrantResponse(updated, deps.apiBase), version: updated.version };
}

export async function deleteGrant(deps: ManagementDeps, actor: Actor, path: GrantPath, grantId: string): Promise<void> {
  await requireApplication(deps, actor, path, 'applications:write');
  if (!(await deps.store.deleteGrant(path.environmentId, path.applicationId, grantId))) throw new NotFoundError();
  deps.changes.environmentChanged(path.environmentId);
}

/** The resource must be one of the environment's, and every scope one of that resource's. */
async function checkReferences(deps: ManagementDeps, environmentId: string, input: GrantInput): Promise<void> {
  const resource = await deps.store.getResource(environmentId, input.resourceId);
  if (!resource) {
    throw new InvalidDataError([detail.invalid('resource.id', 'resource.id does not name a resource of this environment.')]);
  }
  const found = await deps.store.getScopesByIds(environmentId, input.scopeIds);
  const details: ErrorDetail[] = [];
  input.scopeIds.forEach((id, i) => {
    if (!found.some((s) => s.id === id && s.resourceId === resource.id)) {
      details.push(detail.invalid(`scopes[${i}].id`, `scopes[${i}].id does not name a scope of resource ${resource.name}.`));
    }
  });
  throwIfInvalid(details);
}

/**
 * One grant per (application, resource); a second one would be ambiguous about which scopes
 * apply. Checked here for a precise error, and enforced by the store's unique key, which
 * `onePerResource` maps to the same error when a concurrent write got there first.
 */
async function assertOnePerResource(deps: ManagementDeps, path: GrantPath, resourceId: string, ownId: string | undefined): Promise<void> {
  const grants = await deps.store.listGrants(path.environmentId, path.applicationId);
  const clash = grants.find((g) => g.resourceId === resourceId && g.id !== ownId);
  if (clash) throw onePerResourceError(clash.id);
}

function onePerResourceError(existingId: string | undefined): InvalidDataError {
  return new InvalidDataError([detail.unique('resource.id', 'The application already has a grant for this resource.', existingId)]);
}

/** Runs a grant write, turning the store's UniqueViolation on the resource into the 400 above. */
async function onePerResource<T>(
  deps: ManagementDeps,
  path: GrantPath,
  resourceId: string,
  ownId: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof UniqueViolation) || err.field !== 'resourceId') throw err;
    await assertOnePerResource(deps, path, resourceId, ownId);
    throw onePerResourceError(undefined);
  }
}
