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
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import type { PageRequest, ResourceRecord, ScopeRecord, UpdateResult } from '../types.js';
import type { Grants } from './grants.js';
import type { EnvScoped } from './scoped.js';

export class Resources {
  constructor(
    private readonly scoped: EnvScoped,
    private readonly grants: Grants,
  ) {}

  list(environmentId: string, page: PageRequest): RowPage<ResourceRecord> {
    return mapRowPage(this.scoped.page<ResourceRow>('resources', environmentId, '', [], page), toResource);
  }

  get(environmentId: string, resourceId: string): ResourceRecord | undefined {
    const row = this.scoped.one<ResourceRow>('resources', environmentId, 'id = ?', [resourceId]);
    return row && toResource(row);
  }

  insert(environmentId: string, r: ResourceRecord): void {
    assertInEnvironment(environmentId, r.environmentId, `resource ${r.id}`);
    this.scoped.insert('resources', environmentId, resourceInsertColumns(r));
  }

  /** Call inside a write transaction. */
  update(environmentId: string, next: ResourceRecord, expectedVersion?: number): UpdateResult<ResourceRecord> {
    assertInEnvironment(environmentId, next.environmentId, `resource ${next.id}`);
    const result = this.scoped.updateVersioned<ResourceRow>(
      'resources',
      environmentId,
      resourceMutableColumns(next),
      'id = ?',
      [next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toResource(result.record) } : result;
  }

  /** Deletes the resource, its scopes and its grants. Call inside a write transaction. */
  delete(environmentId: string, resourceId: string): boolean {
    this.grants.deleteForResource(environmentId, resourceId);
    this.scoped.delete('scopes', environmentId, 'resource_id = ?', [resourceId]);
    return this.scoped.delete('resources', environmentId, 'id = ?', [resourceId]) > 0;
  }

  listScopes(environmentId: string, resourceId: string, page: PageRequest): RowPage<ScopeRecord> {
    return mapRowPage(this.scoped.page<ScopeRow>('scopes', environmentId, 'resource_id = ?', [resourceId], page), toScope);
  }

  getScope(environmentId: string, resourceId: string, scopeId: string): ScopeRecord | undefined {
    const row = this.scoped.one<ScopeRow>('scopes', environmentId, 'resource_id = ? AND id = ?', [resourceId, scopeId]);
    return row && toScope(row);
  }

  getScopesByIds(environmentId: string, scopeIds: readonly string[]): ScopeRecord[] {
    if (scopeIds.length === 0) return [];
    return this.scoped
      .many<ScopeRow>('scopes', environmentId, 'id IN (SELECT value FROM json_each(?))', [JSON.stringify(scopeIds)], 'id')
      .map(toScope);
  }

  insertScope(environmentId: string, s: ScopeRecord): void {
    assertInEnvironment(environmentId, s.environmentId, `scope ${s.id}`);
    this.scoped.insert('scopes', environmentId, scopeInsertColumns(s));
  }

  /** Call inside a write transaction. */
  updateScope(environmentId: string, next: ScopeRecord, expectedVersion?: number): UpdateResult<ScopeRecord> {
    assertInEnvironment(environmentId, next.environmentId, `scope ${next.id}`);
    const result = this.scoped.updateVersioned<ScopeRow>(
      'scopes',
      environmentId,
      scopeMutableColumns(next),
      'resource_id = ? AND id = ?',
      [next.resourceId, next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toScope(result.record) } : result;
  }

  /** Deletes the scope and takes it out of grants. Call inside a write transaction. */
  deleteScope(environmentId: string, resourceId: string, scopeId: string): boolean {
    if (this.scoped.delete('scopes', environmentId, 'resource_id = ? AND id = ?', [resourceId, scopeId]) === 0) return false;
    this.grants.removeScope(environmentId, scopeId);
    return true;
  }
}
