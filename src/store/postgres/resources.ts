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
import { holdsNul } from '../shared/text.js';
import type { PageRequest, ResourceRecord, ScopeRecord, UpdateResult } from '../types.js';
import type { Grants } from './grants.js';
import type { EnvScoped } from './scoped.js';

export class Resources {
  constructor(
    private readonly scoped: EnvScoped,
    private readonly grants: Grants,
  ) {}

  async list(environmentId: string, page: PageRequest): Promise<RowPage<ResourceRecord>> {
    return mapRowPage(await this.scoped.page<ResourceRow>('resources', environmentId, '', [], page), toResource);
  }

  async get(environmentId: string, resourceId: string): Promise<ResourceRecord | undefined> {
    const row = await this.scoped.one<ResourceRow>('resources', environmentId, 'id = ?', [resourceId]);
    return row && toResource(row);
  }

  async insert(environmentId: string, r: ResourceRecord): Promise<void> {
    assertInEnvironment(environmentId, r.environmentId, `resource ${r.id}`);
    await this.scoped.insert('resources', environmentId, resourceInsertColumns(r));
  }

  async update(environmentId: string, next: ResourceRecord, expectedVersion?: number): Promise<UpdateResult<ResourceRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `resource ${next.id}`);
    const result = await this.scoped.updateVersioned<ResourceRow>(
      'resources',
      environmentId,
      resourceMutableColumns(next),
      'id = ?',
      [next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toResource(result.record) } : result;
  }

  /** Deletes the resource, its scopes and its grants. Call inside a transaction; the row is locked first, as for environments. */
  async delete(environmentId: string, resourceId: string): Promise<boolean> {
    await this.scoped.lockVersion('resources', environmentId, 'id = ?', [resourceId]);
    await this.grants.deleteForResource(environmentId, resourceId);
    await this.scoped.delete('scopes', environmentId, 'resource_id = ?', [resourceId]);
    return (await this.scoped.delete('resources', environmentId, 'id = ?', [resourceId])) > 0;
  }

  async listScopes(environmentId: string, resourceId: string, page: PageRequest): Promise<RowPage<ScopeRecord>> {
    return mapRowPage(await this.scoped.page<ScopeRow>('scopes', environmentId, 'resource_id = ?', [resourceId], page), toScope);
  }

  async getScope(environmentId: string, resourceId: string, scopeId: string): Promise<ScopeRecord | undefined> {
    const row = await this.scoped.one<ScopeRow>('scopes', environmentId, 'resource_id = ? AND id = ?', [resourceId, scopeId]);
    return row && toScope(row);
  }

  async getScopesByIds(environmentId: string, scopeIds: readonly string[]): Promise<ScopeRecord[]> {
    // An id holding U+0000 names no scope (../shared/text.ts); it is left out rather than sent.
    const ids = scopeIds.filter((id) => !holdsNul(id));
    if (ids.length === 0) return [];
    return (await this.scoped.many<ScopeRow>('scopes', environmentId, 'id = ANY(?::text[])', [ids], 'id')).map(toScope);
  }

  async insertScope(environmentId: string, s: ScopeRecord): Promise<void> {
    assertInEnvironment(environmentId, s.environmentId, `scope ${s.id}`);
    await this.scoped.insert('scopes', environmentId, scopeInsertColumns(s));
  }

  async updateScope(environmentId: string, next: ScopeRecord, expectedVersion?: number): Promise<UpdateResult<ScopeRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `scope ${next.id}`);
    const result = await this.scoped.updateVersioned<ScopeRow>(
      'scopes',
      environmentId,
      scopeMutableColumns(next),
      'resource_id = ? AND id = ?',
      [next.resourceId, next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toScope(result.record) } : result;
  }

  /** Deletes the scope and takes it out of grants. Call inside a transaction. */
  async deleteScope(environmentId: string, resourceId: string, scopeId: string): Promise<boolean> {
    if ((await this.scoped.delete('scopes', environmentId, 'resource_id = ? AND id = ?', [resourceId, scopeId])) === 0) return false;
    await this.grants.removeScope(environmentId, scopeId);
    return true;
  }
}
