/** Resources and their scopes. */
import {
  resourceInsertColumns,
  resourceMutableColumns,
  scopeInsertColumns,
  scopeMutableColumns,
  toResource,
  toScope,
  type ResourceRow,
  type ScopeRow,
} from '../shared/resource-rows.js';
import { assertInEnvironment, mapRowPage, toPage } from '../shared/scope.js';
import { holdsNul } from '../shared/text.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import type { Page, PageRequest, ResourceRecord, ScopeRecord, UpdateResult } from '../types.js';
import { deleteGrantsOnResource, removeScopeFromGrants } from './grants.js';

export function* insertResource(db: Db, environmentId: string, resource: ResourceRecord): Q<void> {
  assertInEnvironment(environmentId, resource.environmentId, `resource ${resource.id}`);
  yield* db.scoped.insert('resources', environmentId, resourceInsertColumns(resource));
}

export function* insertScope(db: Db, environmentId: string, scope: ScopeRecord): Q<void> {
  assertInEnvironment(environmentId, scope.environmentId, `scope ${scope.id}`);
  yield* db.scoped.insert('scopes', environmentId, scopeInsertColumns(scope));
}

export const resourceMethods = {
  listResources: plain(function* (db: Db, environmentId: string, page: PageRequest): Q<Page<ResourceRecord>> {
    return toPage(mapRowPage(yield* db.scoped.page<ResourceRow>('resources', environmentId, '', [], page), toResource));
  }),

  getResource: plain(function* (db: Db, environmentId: string, resourceId: string): Q<ResourceRecord | undefined> {
    const row = yield* db.scoped.one<ResourceRow>('resources', environmentId, 'id = ?', [resourceId]);
    return row && toResource(row);
  }),

  /** The environment's OPENID_CONNECT resource (every environment is created with one, never deleted). */
  getOpenIdResource: plain(function* (db: Db, environmentId: string): Q<ResourceRecord | undefined> {
    const rows = yield* db.scoped.many<ResourceRow>('resources', environmentId, 'type = ?', ['OPENID_CONNECT'], 'created_at, id');
    const row = rows[0];
    return row && toResource(row);
  }),

  /** Fails with UniqueViolation('name'). */
  createResource: plain(insertResource),

  updateResource: atomic(function* (db: Db, environmentId: string, next: ResourceRecord, expectedVersion?: number): Q<UpdateResult<ResourceRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `resource ${next.id}`);
    const set = resourceMutableColumns(next);
    const result = yield* db.scoped.updateVersioned<ResourceRow>('resources', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toResource(result.record) } : result;
  }),

  /** Deletes the resource, its scopes and every grant on it; the row is locked first, as for environments. */
  deleteResource: atomic(function* (db: Db, environmentId: string, resourceId: string): Q<boolean> {
    yield* db.scoped.lockVersion('resources', environmentId, 'id = ?', [resourceId]);
    yield* deleteGrantsOnResource(db, environmentId, resourceId);
    yield* db.scoped.delete('scopes', environmentId, 'resource_id = ?', [resourceId]);
    yield* db.scoped.delete('resource_attributes', environmentId, 'resource_id = ?', [resourceId]);
    return (yield* db.scoped.delete('resources', environmentId, 'id = ?', [resourceId])) > 0;
  }),

  listScopes: plain(function* (db: Db, environmentId: string, resourceId: string, page: PageRequest): Q<Page<ScopeRecord>> {
    return toPage(mapRowPage(yield* db.scoped.page<ScopeRow>('scopes', environmentId, 'resource_id = ?', [resourceId], page), toScope));
  }),

  getScope: plain(function* (db: Db, environmentId: string, resourceId: string, scopeId: string): Q<ScopeRecord | undefined> {
    const row = yield* db.scoped.one<ScopeRow>('scopes', environmentId, 'resource_id = ? AND id = ?', [resourceId, scopeId]);
    return row && toScope(row);
  }),

  /** Scopes by id across resources of the environment (ids not found are omitted). */
  getScopesByIds: plain(function* (db: Db, environmentId: string, scopeIds: readonly string[]): Q<ScopeRecord[]> {
    // An id holding U+0000 names no scope (../shared/text.ts); it is left out rather than sent.
    const ids = scopeIds.filter((id) => !holdsNul(id));
    if (ids.length === 0) return [];
    const { predicate, param } = db.dialect.inList('id', ids);
    return (yield* db.scoped.many<ScopeRow>('scopes', environmentId, predicate, [param], 'id')).map(toScope);
  }),

  /** Fails with UniqueViolation('name') within the resource. */
  createScope: plain(insertScope),

  updateScope: atomic(function* (db: Db, environmentId: string, next: ScopeRecord, expectedVersion?: number): Q<UpdateResult<ScopeRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `scope ${next.id}`);
    const result = yield* db.scoped.updateVersioned<ScopeRow>(
      'scopes',
      environmentId,
      scopeMutableColumns(next),
      'resource_id = ? AND id = ?',
      [next.resourceId, next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toScope(result.record) } : result;
  }),

  /** Deletes the scope and removes it from grants (a grant left without scopes is deleted). */
  deleteScope: atomic(function* (db: Db, environmentId: string, resourceId: string, scopeId: string): Q<boolean> {
    if ((yield* db.scoped.delete('scopes', environmentId, 'resource_id = ? AND id = ?', [resourceId, scopeId])) === 0) return false;
    yield* removeScopeFromGrants(db, environmentId, scopeId);
    return true;
  }),
};
