/** Contract: resources and their scopes, with the cascades into grants. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../../src/store/types.js';
import { UPDATED_AT, applicationBundle, dropUndefined, grant, resource, scope } from '../support/store-fixtures.js';
import { assertPaging, seedTwoEnvironments, sortedById, updated, type ContractContext } from './harness.js';

function isNameClash(err: unknown): boolean {
  assert.ok(err instanceof UniqueViolation, `expected UniqueViolation, got ${String(err)}`);
  assert.equal(err.field, 'name');
  return true;
}

export function resourcesContract(ctx: ContractContext): void {
  describe('resources', () => {
    it('creates, reads and lists resources; optional fields stay absent', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const api = dropUndefined(resource(envA, { description: undefined }));
      await store.createResource(envA, api);
      assert.deepEqual(await store.getResource(envA, api.id), api);
      assert.equal('description' in (await store.getResource(envA, api.id))!, false);
      const list = await store.listResources(envA, { limit: 10 });
      assert.deepEqual(list, { items: sortedById([...a.resources, api]), count: 2 });
      assert.equal(await store.getResource(envA, 'missing'), undefined);
    });

    it('names are unique per environment, on create and update', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const first = resource(envA, { name: 'Orders API' });
      const second = resource(envA, { name: 'Billing API' });
      await store.createResource(envA, first);
      await store.createResource(envA, second);
      await assert.rejects(store.createResource(envA, resource(envA, { name: 'Orders API' })), isNameClash);
      await store.createResource(envB, resource(envB, { name: 'Orders API' }));
      await assert.rejects(store.updateResource(envA, { ...second, name: 'Orders API' }, 1), isNameClash);
      assert.deepEqual(await store.getResource(envA, second.id), second);
    });

    it('updateResource bumps the version and honours expectedVersion', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const api = resource(envA);
      await store.createResource(envA, api);
      const next = dropUndefined({
        ...api,
        name: 'Renamed',
        description: undefined,
        audience: 'https://new.example.test',
        accessTokenValiditySeconds: 60,
        updatedAt: UPDATED_AT,
      });
      const record = updated(await store.updateResource(envA, next, 1));
      assert.deepEqual(record, { ...next, version: 2 });
      assert.deepEqual(await store.getResource(envA, api.id), record);
      assert.deepEqual(await store.updateResource(envA, next, 1), { status: 'conflict' });
      assert.deepEqual(await store.updateResource(envA, { ...next, id: 'missing' }), { status: 'not_found' });
      assert.equal(updated(await store.updateResource(envA, next)).version, 3);
    });

    it('deleteResource takes its scopes and grants with it', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const app = applicationBundle(envA);
      await store.createApplication(envA, app);
      const doomed = resource(envA, { name: 'Doomed' });
      const kept = resource(envA, { name: 'Kept' });
      await store.createResource(envA, doomed);
      await store.createResource(envA, kept);
      const doomedScopes = [scope(envA, doomed.id, { name: 'read' }), scope(envA, doomed.id, { name: 'write' })];
      const keptScope = scope(envA, kept.id, { name: 'read' });
      for (const s of [...doomedScopes, keptScope]) await store.createScope(envA, s);
      const doomedGrant = grant(envA, app.application.id, doomed.id, doomedScopes.map((s) => s.id));
      const keptGrant = grant(envA, app.application.id, kept.id, [keptScope.id]);
      await store.createGrant(envA, doomedGrant);
      await store.createGrant(envA, keptGrant);

      assert.equal(await store.deleteResource(envA, doomed.id), true);
      assert.equal(await store.deleteResource(envA, doomed.id), false);
      assert.equal(await store.getResource(envA, doomed.id), undefined);
      assert.equal((await store.listScopes(envA, doomed.id, { limit: 10 })).count, 0);
      assert.deepEqual(await store.getScopesByIds(envA, doomedScopes.map((s) => s.id)), []);
      assert.equal(await store.getGrant(envA, app.application.id, doomedGrant.id), undefined);
      assert.deepEqual(await store.listGrants(envA, app.application.id), [keptGrant]);
      assert.deepEqual(await store.getScope(envA, kept.id, keptScope.id), keptScope);
      await store.createResource(envA, resource(envA, { name: 'Doomed' }));
    });

    it('pages resources by 10', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const ids = a.resources.map((r) => r.id);
      for (let i = 0; i < 24; i++) {
        const r = resource(envA, { name: `api ${i}` });
        ids.push(r.id);
        await store.createResource(envA, r);
      }
      await assertPaging((page) => store.listResources(envA, page), ids, 10);
    });
  });

  describe('scopes', () => {
    it('creates, reads, lists and updates scopes of one resource', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const api = resource(envA);
      const other = resource(envA);
      await store.createResource(envA, api);
      await store.createResource(envA, other);
      const read = scope(envA, api.id, { name: 'read' });
      const write = dropUndefined(scope(envA, api.id, { name: 'write', description: undefined }));
      const elsewhere = scope(envA, other.id, { name: 'read' });
      for (const s of [read, write, elsewhere]) await store.createScope(envA, s);

      assert.deepEqual(await store.getScope(envA, api.id, read.id), read);
      assert.deepEqual(await store.getScope(envA, api.id, write.id), write);
      assert.equal(await store.getScope(envA, other.id, read.id), undefined, 'a scope is read through its own resource');
      assert.deepEqual(await store.listScopes(envA, api.id, { limit: 10 }), { items: sortedById([read, write]), count: 2 });

      const next = { ...read, name: 'read:all', description: 'Read everything', updatedAt: UPDATED_AT };
      const record = updated(await store.updateScope(envA, next, 1));
      assert.deepEqual(record, { ...next, version: 2 });
      assert.deepEqual(await store.getScope(envA, api.id, read.id), record);
      assert.deepEqual(await store.updateScope(envA, next, 1), { status: 'conflict' });
      assert.deepEqual(await store.updateScope(envA, { ...next, id: 'missing' }), { status: 'not_found' });
      assert.deepEqual(await store.updateScope(envA, { ...next, resourceId: other.id }), { status: 'not_found' });
      assert.equal(updated(await store.updateScope(envA, next)).version, 3);
    });

    it('names are unique per resource, on create and update', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const api = resource(envA);
      const other = resource(envA);
      await store.createResource(envA, api);
      await store.createResource(envA, other);
      const read = scope(envA, api.id, { name: 'read' });
      const write = scope(envA, api.id, { name: 'write' });
      await store.createScope(envA, read);
      await store.createScope(envA, write);
      await assert.rejects(store.createScope(envA, scope(envA, api.id, { name: 'read' })), isNameClash);
      await store.createScope(envA, scope(envA, other.id, { name: 'read' }));
      await assert.rejects(store.updateScope(envA, { ...write, name: 'read' }), isNameClash);
      assert.deepEqual(await store.getScope(envA, api.id, write.id), write);
    });

    it('getScopesByIds finds scopes across resources and omits unknown ids', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const api = resource(envA);
      await store.createResource(envA, api);
      const read = scope(envA, api.id, { name: 'read' });
      await store.createScope(envA, read);
      const wanted = [...a.scopes, read];
      const found = await store.getScopesByIds(envA, [read.id, 'missing', ...a.scopes.map((s) => s.id)]);
      assert.deepEqual(sortedById(found), sortedById(wanted));
      assert.deepEqual(await store.getScopesByIds(envA, []), []);
    });

    it('deleteScope removes it from grants and deletes grants left empty', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      // One grant per (application, resource): three applications hold the three grants.
      const apps = [applicationBundle(envA), applicationBundle(envA), applicationBundle(envA)];
      for (const app of apps) await store.createApplication(envA, app);
      const [bothApp, readApp, writeApp] = apps.map((app) => app.application.id) as [string, string, string];
      const api = resource(envA);
      await store.createResource(envA, api);
      const read = scope(envA, api.id, { name: 'read' });
      const write = scope(envA, api.id, { name: 'write' });
      await store.createScope(envA, read);
      await store.createScope(envA, write);
      const both = grant(envA, bothApp, api.id, [read.id, write.id]);
      const onlyRead = grant(envA, readApp, api.id, [read.id]);
      const onlyWrite = grant(envA, writeApp, api.id, [write.id]);
      for (const g of [both, onlyRead, onlyWrite]) await store.createGrant(envA, g);

      assert.equal(await store.deleteScope(envA, 'other-resource', read.id), false);
      assert.equal(await store.deleteScope(envA, api.id, read.id), true);
      assert.equal(await store.deleteScope(envA, api.id, read.id), false);
      assert.equal(await store.getScope(envA, api.id, read.id), undefined);

      const left = await store.getGrant(envA, bothApp, both.id);
      assert.deepEqual(left?.scopeIds, [write.id]);
      assert.ok(left && left.version > both.version, 'an edited grant gets a new version');
      assert.equal(await store.getGrant(envA, readApp, onlyRead.id), undefined);
      assert.deepEqual(await store.listGrants(envA, readApp), []);
      assert.deepEqual(await store.getGrant(envA, writeApp, onlyWrite.id), onlyWrite);
    });

    it('pages 25 scopes of one resource by 10', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const api = resource(envA);
      await store.createResource(envA, api);
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        const s = scope(envA, api.id, { name: `scope:${i}` });
        ids.push(s.id);
        await store.createScope(envA, s);
      }
      await assertPaging((page) => store.listScopes(envA, api.id, page), ids, 10);
      const openid = a.resources[0]!;
      assert.equal((await store.listScopes(envA, openid.id, { limit: 10 })).count, a.scopes.length);
    });
  });
}
