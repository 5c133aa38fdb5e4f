/** Grants of a resource's scopes to an application. */
import type { GrantRecord, UpdateResult } from '../types.js';
import { json, parseJson, versioned, type VersionedColumns } from './rows.js';
import { assertInEnvironment, type EnvScoped } from './scoped.js';

interface GrantRow extends VersionedColumns {
  environment_id: string;
  id: string;
  application_id: string;
  resource_id: string;
  scope_ids: string;
}

function toRecord(row: GrantRow): GrantRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    resourceId: row.resource_id,
    scopeIds: parseJson<string[]>(row.scope_ids),
    ...versioned(row),
  };
}

export class Grants {
  constructor(
    private readonly scoped: EnvScoped,
    private readonly now: () => string,
  ) {}

  list(environmentId: string, applicationId: string): GrantRecord[] {
    return this.scoped.many<GrantRow>('grants', environmentId, 'application_id = ?', [applicationId], 'created_at, id').map(toRecord);
  }

  get(environmentId: string, applicationId: string, grantId: string): GrantRecord | undefined {
    const row = this.scoped.one<GrantRow>('grants', environmentId, 'application_id = ? AND id = ?', [applicationId, grantId]);
    return row && toRecord(row);
  }

  insert(environmentId: string, g: GrantRecord): void {
    assertInEnvironment(environmentId, g.environmentId, `grant ${g.id}`);
    this.scoped.insert('grants', environmentId, {
      id: g.id,
      application_id: g.applicationId,
      resource_id: g.resourceId,
      scope_ids: json(g.scopeIds),
      version: g.version,
      created_at: g.createdAt,
      updated_at: g.updatedAt,
    });
  }

  /** Call inside a write transaction. */
  update(environmentId: string, next: GrantRecord, expectedVersion?: number): UpdateResult<GrantRecord> {
    assertInEnvironment(environmentId, next.environmentId, `grant ${next.id}`);
    const result = this.scoped.updateVersioned<GrantRow>(
      'grants',
      environmentId,
      { resource_id: next.resourceId, scope_ids: json(next.scopeIds), updated_at: next.updatedAt },
      'application_id = ? AND id = ?',
      [next.applicationId, next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toRecord(result.record) } : result;
  }

  delete(environmentId: string, applicationId: string, grantId: string): boolean {
    return this.scoped.delete('grants', environmentId, 'application_id = ? AND id = ?', [applicationId, grantId]) > 0;
  }

  deleteForApplication(environmentId: string, applicationId: string): void {
    this.scoped.delete('grants', environmentId, 'application_id = ?', [applicationId]);
  }

  deleteForResource(environmentId: string, resourceId: string): void {
    this.scoped.delete('grants', environmentId, 'resource_id = ?', [resourceId]);
  }

  /** Takes a deleted scope out of every grant naming it; a grant left empty is deleted. Call inside a write transaction. */
  removeScope(environmentId: string, scopeId: string): void {
    const holders = this.scoped.many<GrantRow>(
      'grants',
      environmentId,
      'EXISTS (SELECT 1 FROM json_each(grants.scope_ids) WHERE value = ?)',
      [scopeId],
      'id',
    );
    for (const row of holders) {
      const remaining = parseJson<string[]>(row.scope_ids).filter((id) => id !== scopeId);
      if (remaining.length === 0) {
        this.scoped.delete('grants', environmentId, 'id = ?', [row.id]);
      } else {
        this.scoped.update(
          'grants',
          environmentId,
          { scope_ids: json(remaining), version: row.version + 1, updated_at: this.now() },
          'id = ?',
          [row.id],
        );
      }
    }
  }
}
