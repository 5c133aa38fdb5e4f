/** Grants of a resource's scopes to an application. */
import { grantInsertColumns, grantMutableColumns, scopeIdsWithout, toGrant, type GrantRow } from '../shared/access-rows.js';
import { json } from '../shared/rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import type { GrantRecord, PageRequest, UpdateResult } from '../types.js';
import type { EnvScoped } from './scoped.js';

export class Grants {
  constructor(
    private readonly scoped: EnvScoped,
    private readonly now: () => string,
  ) {}

  list(environmentId: string, applicationId: string): GrantRecord[] {
    return this.scoped.many<GrantRow>('grants', environmentId, 'application_id = ?', [applicationId], 'created_at, id').map(toGrant);
  }

  page(environmentId: string, applicationId: string, page: PageRequest): RowPage<GrantRecord> {
    return mapRowPage(this.scoped.page<GrantRow>('grants', environmentId, 'application_id = ?', [applicationId], page), toGrant);
  }

  get(environmentId: string, applicationId: string, grantId: string): GrantRecord | undefined {
    const row = this.scoped.one<GrantRow>('grants', environmentId, 'application_id = ? AND id = ?', [applicationId, grantId]);
    return row && toGrant(row);
  }

  insert(environmentId: string, g: GrantRecord): void {
    assertInEnvironment(environmentId, g.environmentId, `grant ${g.id}`);
    this.scoped.insert('grants', environmentId, grantInsertColumns(g));
  }

  /** Call inside a write transaction. */
  update(environmentId: string, next: GrantRecord, expectedVersion?: number): UpdateResult<GrantRecord> {
    assertInEnvironment(environmentId, next.environmentId, `grant ${next.id}`);
    const result = this.scoped.updateVersioned<GrantRow>(
      'grants',
      environmentId,
      grantMutableColumns(next),
      'application_id = ? AND id = ?',
      [next.applicationId, next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toGrant(result.record) } : result;
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
      const remaining = scopeIdsWithout(row, scopeId);
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
