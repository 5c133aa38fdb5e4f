/** Resources and their scopes. */
import type { PageRequest, ResourceRecord, ResourceType, ScopeRecord, UpdateResult } from '../types.js';
import type { Grants } from './grants.js';
import { versioned, withOptional, type VersionedColumns } from './rows.js';
import { assertInEnvironment, type EnvScoped, type RowPage } from './scoped.js';

interface ResourceRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  type: ResourceType;
  description: string | null;
  audience: string;
  access_token_validity_seconds: number;
}

interface ScopeRow extends VersionedColumns {
  environment_id: string;
  id: string;
  resource_id: string;
  name: string;
  description: string | null;
}

function toResource(row: ResourceRow): ResourceRecord {
  const record: ResourceRecord = {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    type: row.type,
    audience: row.audience,
    accessTokenValiditySeconds: row.access_token_validity_seconds,
    ...versioned(row),
  };
  return withOptional(record, 'description', row.description);
}

function toScope(row: ScopeRow): ScopeRecord {
  const record: ScopeRecord = {
    id: row.id,
    environmentId: row.environment_id,
    resourceId: row.resource_id,
    name: row.name,
    ...versioned(row),
  };
  return withOptional(record, 'description', row.description);
}

export class Resources {
  constructor(
    private readonly scoped: EnvScoped,
    private readonly grants: Grants,
  ) {}

  list(environmentId: string, page: PageRequest): RowPage<ResourceRecord> {
    const result = this.scoped.page<ResourceRow>('resources', environmentId, '', [], page);
    return { ...result, rows: result.rows.map(toResource) };
  }

  get(environmentId: string, resourceId: string): ResourceRecord | undefined {
    const row = this.scoped.one<ResourceRow>('resources', environmentId, 'id = ?', [resourceId]);
    return row && toResource(row);
  }

  insert(environmentId: string, r: ResourceRecord): void {
    assertInEnvironment(environmentId, r.environmentId, `resource ${r.id}`);
    this.scoped.insert('resources', environmentId, {
      id: r.id,
      name: r.name,
      type: r.type,
      description: r.description ?? null,
      audience: r.audience,
      access_token_validity_seconds: r.accessTokenValiditySeconds,
      version: r.version,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    });
  }

  /** Call inside a write transaction. */
  update(environmentId: string, next: ResourceRecord, expectedVersion?: number): UpdateResult<ResourceRecord> {
    assertInEnvironment(environmentId, next.environmentId, `resource ${next.id}`);
    const result = this.scoped.updateVersioned<ResourceRow>(
      'resources',
      environmentId,
      {
        name: next.name,
        type: next.type,
        description: next.description ?? null,
        audience: next.audience,
        access_token_validity_seconds: next.accessTokenValiditySeconds,
        updated_at: next.updatedAt,
      },
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
    const result = this.scoped.page<ScopeRow>('scopes', environmentId, 'resource_id = ?', [resourceId], page);
    return { ...result, rows: result.rows.map(toScope) };
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
    this.scoped.insert('scopes', environmentId, {
      id: s.id,
      resource_id: s.resourceId,
      name: s.name,
      description: s.description ?? null,
      version: s.version,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    });
  }

  /** Call inside a write transaction. */
  updateScope(environmentId: string, next: ScopeRecord, expectedVersion?: number): UpdateResult<ScopeRecord> {
    assertInEnvironment(environmentId, next.environmentId, `scope ${next.id}`);
    const result = this.scoped.updateVersioned<ScopeRow>(
      'scopes',
      environmentId,
      { name: next.name, description: next.description ?? null, updated_at: next.updatedAt },
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
