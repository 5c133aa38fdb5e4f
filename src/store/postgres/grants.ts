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

  async list(environmentId: string, applicationId: string): Promise<GrantRecord[]> {
    const rows = await this.scoped.many<GrantRow>('grants', environmentId, 'application_id = ?', [applicationId], 'created_at, id');
    return rows.map(toGrant);
  }

  async page(environmentId: string, applicationId: string, page: PageRequest): Promise<RowPage<GrantRecord>> {
    return mapRowPage(await this.scoped.page<GrantRow>('grants', environmentId, 'application_id = ?', [applicationId], page), toGrant);
  }

  async get(environmentId: string, applicationId: string, grantId: string): Promise<GrantRecord | undefined> {
    const row = await this.scoped.one<GrantRow>('grants', environmentId, 'application_id = ? AND id = ?', [applicationId, grantId]);
    return row && toGrant(row);
  }

  async insert(environmentId: string, g: GrantRecord): Promise<void> {
    assertInEnvironment(environmentId, g.environmentId, `grant ${g.id}`);
    await this.scoped.insert('grants', environmentId, grantInsertColumns(g));
  }

  async update(environmentId: string, next: GrantRecord, expectedVersion?: number): Promise<UpdateResult<GrantRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `grant ${next.id}`);
    const result = await this.scoped.updateVersioned<GrantRow>(
      'grants',
      environmentId,
      grantMutableColumns(next),
      'application_id = ? AND id = ?',
      [next.applicationId, next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toGrant(result.record) } : result;
  }

  async delete(environmentId: string, applicationId: string, grantId: string): Promise<boolean> {
    return (await this.scoped.delete('grants', environmentId, 'application_id = ? AND id = ?', [applicationId, grantId])) > 0;
  }

  async deleteForApplication(environmentId: string, applicationId: string): Promise<void> {
    await this.scoped.delete('grants', environmentId, 'application_id = ?', [applicationId]);
  }

  async deleteForResource(environmentId: string, resourceId: string): Promise<void> {
    await this.scoped.delete('grants', environmentId, 'resource_id = ?', [resourceId]);
  }

  /**
   * Takes a deleted scope out of every grant naming it; a grant left empty is deleted. Call inside
   * a transaction: the grants stay locked, so a concurrent updateGrant is not lost between read and write.
   */
  async removeScope(environmentId: string, scopeId: string): Promise<void> {
    // `scope_ids` is JSON text (shared mappers); the cast lets PostgreSQL test membership with @>.
    const holders = await this.scoped.many<GrantRow>(
      'grants',
      environmentId,
      'scope_ids::jsonb @> jsonb_build_array(?::text)',
      [scopeId],
      'id',
      true,
    );
    for (const row of holders) {
      const remaining = scopeIdsWithout(row, scopeId);
      if (remaining.length === 0) {
        await this.scoped.delete('grants', environmentId, 'id = ?', [row.id]);
      } else {
        const set = { scope_ids: json(remaining), version: row.version + 1, updated_at: this.now() };
        await this.scoped.update('grants', environmentId, set, 'id = ?', [row.id]);
      }
    }
  }
}
