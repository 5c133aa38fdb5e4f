/** Grants of a resource's scopes to an application. */
import { grantInsertColumns, grantMutableColumns, scopeIdsWithout, toGrant, type GrantRow } from '../shared/access-rows.js';
import { json } from '../shared/rows.js';
import { assertInEnvironment, mapRowPage, toPage } from '../shared/scope.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import type { GrantRecord, Page, PageRequest, UpdateResult } from '../types.js';

export function* deleteGrantsOfApplication(db: Db, environmentId: string, applicationId: string): Q<void> {
  yield* db.scoped.delete('grants', environmentId, 'application_id = ?', [applicationId]);
}

export function* deleteGrantsOnResource(db: Db, environmentId: string, resourceId: string): Q<void> {
  yield* db.scoped.delete('grants', environmentId, 'resource_id = ?', [resourceId]);
}

/**
 * Takes a deleted scope out of every grant naming it; a grant left empty is deleted. Run inside
 * a transaction: the grants stay locked, so a concurrent updateGrant is not lost between read and write.
 */
export function* removeScopeFromGrants(db: Db, environmentId: string, scopeId: string): Q<void> {
  const holders = yield* db.scoped.many<GrantRow>('grants', environmentId, db.dialect.jsonArrayHas('grants.scope_ids'), [scopeId], 'id', true);
  for (const row of holders) {
    const remaining = scopeIdsWithout(row, scopeId);
    if (remaining.length === 0) {
      yield* db.scoped.delete('grants', environmentId, 'id = ?', [row.id]);
    } else {
      const set = { scope_ids: json(remaining), version: row.version + 1, updated_at: db.now() };
      yield* db.scoped.update('grants', environmentId, set, 'id = ?', [row.id]);
    }
  }
}

export const grantMethods = {
  /** Every grant of the application (token issuance needs all of them; at most one per resource). */
  listGrants: plain(function* (db: Db, environmentId: string, applicationId: string): Q<GrantRecord[]> {
    const rows = yield* db.scoped.many<GrantRow>('grants', environmentId, 'application_id = ?', [applicationId], 'created_at, id');
    return rows.map(toGrant);
  }),

  /** One page of the application's grants in id order, for the management API's collection. */
  pageGrants: plain(function* (db: Db, environmentId: string, applicationId: string, page: PageRequest): Q<Page<GrantRecord>> {
    return toPage(mapRowPage(yield* db.scoped.page<GrantRow>('grants', environmentId, 'application_id = ?', [applicationId], page), toGrant));
  }),

  getGrant: plain(function* (db: Db, environmentId: string, applicationId: string, grantId: string): Q<GrantRecord | undefined> {
    const row = yield* db.scoped.one<GrantRow>('grants', environmentId, 'application_id = ? AND id = ?', [applicationId, grantId]);
    return row && toGrant(row);
  }),

  /** Fails with UniqueViolation('resourceId') when the application already has a grant on that resource. */
  createGrant: plain(function* (db: Db, environmentId: string, grant: GrantRecord): Q<void> {
    assertInEnvironment(environmentId, grant.environmentId, `grant ${grant.id}`);
    yield* db.scoped.insert('grants', environmentId, grantInsertColumns(grant));
  }),

  /** Fails with UniqueViolation('resourceId') when moved onto a resource the application already has a grant on. */
  updateGrant: atomic(function* (db: Db, environmentId: string, next: GrantRecord, expectedVersion?: number): Q<UpdateResult<GrantRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `grant ${next.id}`);
    const result = yield* db.scoped.updateVersioned<GrantRow>(
      'grants',
      environmentId,
      grantMutableColumns(next),
      'application_id = ? AND id = ?',
      [next.applicationId, next.id],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toGrant(result.record) } : result;
  }),

  deleteGrant: plain(function* (db: Db, environmentId: string, applicationId: string, grantId: string): Q<boolean> {
    return (yield* db.scoped.delete('grants', environmentId, 'application_id = ? AND id = ?', [applicationId, grantId])) > 0;
  }),
};
