/**
 * Fixture cases of migrations that change existing rows (docs/architecture.md, rule 5), run by
 * each engine's test file: rows are written at the version they belong to, then the database is
 * migrated to head and the rows are compared with what the migration promises. The environments
 * are version 1's SQL rows (migration-data/0001_init.ts), not written by the store's methods,
 * which write the columns of head.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation, type Store } from '../../src/store/types.js';
import { applicationBundle, grant, roleAssignment } from '../support/store-fixtures.js';
import { sortedById } from './harness.js';

const t = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();

/**
 * `openAtInit` returns a store on a new database migrated to version 1 only, holding version 1's
 * rows of migration-data/0001_init.ts (not migrating on open). Grants and role assignments
 * written there may have twins, which 0001 did not forbid.
 */
export function clientAuthMigrationCases(name: string, openAtInit: () => Promise<Store>): void {
  describe(`migration 0002_client_auth on existing rows: ${name}`, () => {
    it('folds twin grants into the oldest and drops twin role assignments, then enforces both keys', async () => {
      const store = await openAtInit();
      try {
        const envA = 'env-a';
        const openid = { id: 'res-oidc' };
        const [s1, s2] = ['sc-openid', 'sc-profile'];
        const app = applicationBundle(envA);
        const single = applicationBundle(envA);
        await store.createApplication(envA, app);
        await store.createApplication(envA, single);
        const appId = app.application.id;
        const oldest = grant(envA, appId, openid.id, [s2], { createdAt: t(1), updatedAt: t(2) });
        const twin = grant(envA, appId, openid.id, [s1, s2], { createdAt: t(3), updatedAt: t(5) });
        const emptyTwin = grant(envA, appId, openid.id, [], { createdAt: t(4), updatedAt: t(4) });
        const alone = grant(envA, single.application.id, openid.id, [s1], { createdAt: t(1), updatedAt: t(1) });
        for (const g of [twin, emptyTwin, oldest, alone]) await store.createGrant(envA, g);
        const held = roleAssignment(envA, appId, 'ENVIRONMENT', envA, { createdAt: t(1) });
        const heldTwice = roleAssignment(envA, appId, 'ENVIRONMENT', envA, { createdAt: t(2) });
        const distinct = roleAssignment(envA, appId, 'ORGANIZATION', 'org', { createdAt: t(2) });
        for (const r of [heldTwice, held, distinct]) await store.createRoleAssignment(envA, r);

        await store.migrate();

        const folded = { ...oldest, scopeIds: [s2, s1], version: oldest.version + 1, updatedAt: t(5) };
        assert.deepEqual(await store.listGrants(envA, appId), [folded], 'union of scope ids in first-seen order, newest updatedAt');
        assert.deepEqual(await store.listGrants(envA, single.application.id), [alone], 'a grant without twins is untouched');
        assert.deepEqual(sortedById(await store.listRoleAssignments(envA, appId)), sortedById([held, distinct]));

        await assert.rejects(store.createGrant(envA, grant(envA, appId, openid.id, [])), UniqueViolation);
        await assert.rejects(store.createRoleAssignment(envA, roleAssignment(envA, appId, 'ENVIRONMENT', envA)), UniqueViolation);
      } finally {
        await store.close();
      }
    });
  });
}
