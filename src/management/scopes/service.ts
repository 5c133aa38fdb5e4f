/**
 * Scopes of a resource: list, read, create, replace (PUT), delete. Scopes of every resource can
 * be read; only those of CUSTOM resources can be written (the built-in ones are the platform's).
 */
import { newId } from '../../domain/ids.js';
import { UniqueViolation, type PageRequest, type ScopeRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, InvalidDataError, NotFoundError } from '../errors.js';
import { resourceHref } from '../resources/serialize.js';
import { assertCustom, findResource, type VersionedBody } from '../resources/service.js';
import type { Actor } from '../roles.js';
import { parseScopeBody } from './parse.js';
import { toScopeResponse } from './serialize.js';

/** Path of one scope: the environment, its resource and the scope itself. */
export interface ScopePath {
  environmentId: string;
  resourceId: string;
}

export async function listScopes(deps: ManagementDeps, actor: Actor, path: ScopePath, page: PageRequest) {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  await findResource(deps, path.environmentId, path.resourceId);
  const result = await deps.store.listScopes(path.environmentId, path.resourceId, page);
  const items = result.items.map((s) => toScopeResponse(s, deps.apiBase));
  const self = `${resourceHref(deps.apiBase, path.environmentId, path.resourceId)}/scopes`;
  return collection(self, 'scopes', { ...result, items }, page);
}

async function findScope(deps: ManagementDeps, path: ScopePath, scopeId: string): Promise<ScopeRecord> {
  const scope = await deps.store.getScope(path.environmentId, path.resourceId, scopeId);
  if (!scope) throw new NotFoundError();
  return scope;
}

export async function readScope(deps: ManagementDeps, actor: Actor, path: ScopePath, scopeId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  await findResource(deps, path.environmentId, path.resourceId);
  const scope = await findScope(deps, path, scopeId);
  return { body: toScopeResponse(scope, deps.apiBase), version: scope.version };
}

/** Write access: the permission, then a CUSTOM resource of the environment. */
async function requireWritableResource(deps: ManagementDeps, actor: Actor, path: ScopePath): Promise<void> {
  await requireEnvironment(deps.store, actor, 'resources:write', path.environmentId);
  assertCustom(await findResource(deps, path.environmentId, path.resourceId), 'resource.type');
}

export async function createScope(deps: ManagementDeps, actor: Actor, path: ScopePath, body: unknown): Promise<VersionedBody> {
  await requireWritableResource(deps, actor, path);
  const input = parseScopeBody(body);
  const at = deps.now().toISOString();
  const scope: ScopeRecord = { id: newId(), ...path, ...input, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createScope(path.environmentId, scope), input.name);
  deps.changes.environmentChanged(path.environmentId);
  return { body: toScopeResponse(scope, deps.apiBase), version: scope.version };
}

export async function replaceScope(
  deps: ManagementDeps,
  actor: Actor,
  path: ScopePath,
  scopeId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireWritableResource(deps, actor, path);
  const current = await findScope(deps, path, scopeId);
  const input = parseScopeBody(body);
  const next: ScopeRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  if (input.description === undefined) delete next.description;
  const updated = unwrapUpdate(
    await withUniqueName(() => deps.store.updateScope(path.environmentId, next, expectedVersion), input.name),
  );
  // Granted scope names are cached with client profiles and end up in tokens.
  deps.changes.environmentChanged(path.environmentId);
  return { body: toScopeResponse(updated, deps.apiBase), version: updated.version };
}

/** Deletes the scope and takes it out of grants (a grant left empty goes too). */
export async function deleteScope(deps: ManagementDeps, actor: Actor, path: ScopePath, scopeId: string): Promise<void> {
  await requireWritableResource(deps, actor, path);
  if (!(await deps.store.deleteScope(path.environmentId, path.resourceId, scopeId))) throw new NotFoundError();
  deps.changes.environmentChanged(path.environmentId);
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      throw new InvalidDataError([detail.unique('name', `The resource already has a scope named "${name}".`)]);
    }
    throw err;
  }
}
