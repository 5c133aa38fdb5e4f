/**
 * Resources: list, read, create, replace (PUT), delete. Only CUSTOM resources can be written;
 * the two built-in resources of every environment are read-only (reference/pingone-api.md §5.2).
 */
import { newId } from '../../domain/ids.js';
import { UniqueViolation, type PageRequest, type ResourceRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, InvalidDataError, NotFoundError } from '../errors.js';
import type { Actor } from '../roles.js';
import { parseResourceBody } from './parse.js';
import { toResourceResponse } from './serialize.js';

/** A response body with the record version the route sends as its ETag. */
export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

export async function listResources(deps: ManagementDeps, actor: Actor, environmentId: string, page: PageRequest) {
  await requireEnvironment(deps.store, actor, 'resources:read', environmentId);
  const result = await deps.store.listResources(environmentId, page);
  const items = result.items.map((r) => toResourceResponse(r, deps.apiBase, deps.publicUrl));
  return collection(`${deps.apiBase}/environments/${environmentId}/resources`, 'resources', { ...result, items }, page);
}

/** Loads a resource of the environment or throws 404 (also for ids of other environments). */
export async function findResource(deps: ManagementDeps, environmentId: string, resourceId: string): Promise<ResourceRecord> {
  const resource = await deps.store.getResource(environmentId, resourceId);
  if (!resource) throw new NotFoundError();
  return resource;
}

/** Built-in resources belong to the platform: readable, never changed or deleted. */
export function assertCustom(resource: ResourceRecord, target: string): void {
  if (resource.type !== 'CUSTOM') {
    throw new InvalidDataError([detail.constraint(target, `The built-in ${resource.type} resource cannot be changed.`)]);
  }
}

export async function readResource(deps: ManagementDeps, actor: Actor, environmentId: string, resourceId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:read', environmentId);
  const resource = await findResource(deps, environmentId, resourceId);
  return { body: toResourceResponse(resource, deps.apiBase, deps.publicUrl), version: resource.version };
}

export async function createResource(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:write', environmentId);
  const input = parseResourceBody(body, deps.publicUrl);
  const at = deps.now().toISOString();
  const resource: ResourceRecord = { id: newId(), environmentId, type: 'CUSTOM', ...input, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createResource(environmentId, resource), input.name);
  deps.changes.environmentChanged(environmentId);
  return { body: toResourceResponse(resource, deps.apiBase, deps.publicUrl), version: resource.version };
}

export async function replaceResource(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  resourceId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:write', environmentId);
  const current = await findResource(deps, environmentId, resourceId);
  assertCustom(current, 'type');
  const input = parseResourceBody(body, deps.publicUrl);
  const next: ResourceRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  if (input.description === undefined) delete next.description;
  const updated = unwrapUpdate(
    await withUniqueName(() => deps.store.updateResource(environmentId, next, expectedVersion), input.name),
  );
  deps.changes.environmentChanged(environmentId);
  return { body: toResourceResponse(updated, deps.apiBase, deps.publicUrl), version: updated.version };
}

/** Deletes the resource with its scopes and every grant on it. */
export async function deleteResource(deps: ManagementDeps, actor: Actor, environmentId: string, resourceId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'resources:write', environmentId);
  assertCustom(await findResource(deps, environmentId, resourceId), 'type');
  if (!(await deps.store.deleteResource(environmentId, resourceId))) throw new NotFoundError();
  deps.changes.environmentChanged(environmentId);
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      throw new InvalidDataError([detail.unique('name', `A resource named "${name}" already exists in this environment.`)]);
    }
    throw err;
  }
}
