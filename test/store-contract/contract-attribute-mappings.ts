/**
 * Contract: attribute mappings of applications and resources. Read back exactly, listed by name;
 * names unique per application or resource (exactly: claim names are case-sensitive); updates
 * under the version check; deleting the application or resource takes its mappings; one
 * environment never sees another's. Scopes' `mappedClaims` read back exactly, and deleting an
 * attribute takes it out of them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { UniqueViolation, type ApplicationAttributeRecord, type ResourceAttributeRecord } from '../../src/store/types.js';
import { CREATED_AT, UPDATED_AT, applicationBundle, resource, scope } from '../support/store-fixtures.js';
import { seedTwoEnvironments, updated, type ContractContext } from './harness.js';

const appAttribute = (environmentId: string, applicationId: string, name: string): ApplicationAttributeRecord => ({
  id: randomUUID(),
  environmentId,
  applicationId,
  name,
  settings: { value: '${user.email}', required: false, mappingType: 'CUSTOM', idToken: true, userInfo: false, oidcScopes: ['scope-1'] },
  version: 1,
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
});

const resourceAttribute = (environmentId: string, resourceId: string, name: string): ResourceAttributeRecord => ({
  id: randomUUID(),
  environmentId,
  resourceId,
  name,
  settings: { value: '${#root.context.requestData.clientAssertion.tenant}', type: 'CUSTOM' },
  version: 1,
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
});

const isNameClash = (err: unknown) => err instanceof UniqueViolation && err.field === 'name';

export function attributeMappingsContract(ctx: ContractContext): void {
  describe('attribute mappings', () => {
    it('application mappings: exact, by name, unique per application, versioned, scoped', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const bundle = applicationBundle(envA);
      await store.createApplication(envA, bundle);
      const appId = bundle.application.id;
      const zed = appAttribute(envA, appId, 'zed');
      const alpha = appAttribute(envA, appId, 'Alpha');
      await store.createApplicationAttribute(envA, zed);
      await store.createApplicationAttribute(envA, alpha);
      assert.deepEqual(await store.getApplicationAttribute(envA, appId, zed.id), zed);
      assert.deepEqual(await store.listApplicationAttributes(envA, appId), [alpha, zed]);
      await assert.rejects(store.createApplicationAttribute(envA, appAttribute(envA, appId, 'zed')), isNameClash);
      await store.createApplicationAttribute(envA, appAttribute(envA, appId, 'ZED'));

      const next = { ...zed, name: 'zeta', settings: { ...zed.settings, required: true }, updatedAt: UPDATED_AT };
      const record = updated(await store.updateApplicationAttribute(envA, next, 1));
      assert.deepEqual(record, { ...next, version: 2 });
      assert.deepEqual(await store.updateApplicationAttribute(envA, next, 1), { status: 'conflict' });
      await assert.rejects(store.updateApplicationAttribute(envA, { ...next, name: 'Alpha' }), isNameClash);

      assert.equal(await store.getApplicationAttribute(envB, appId, zed.id), undefined);
      assert.equal(await store.deleteApplicationAttribute(envB, appId, zed.id), false);
      assert.equal(await store.deleteApplicationAttribute(envA, appId, zed.id), true);
      assert.equal(await store.getApplicationAttribute(envA, appId, zed.id), undefined);

      assert.equal((await store.deleteApplication(envA, appId)).status, 'updated');
      assert.deepEqual(await store.listApplicationAttributes(envA, appId), []);
    });

    it('resource attributes: exact, unique per resource, deleted with the resource and the environment', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const api = resource(envA);
      await store.createResource(envA, api);
      const tenant = resourceAttribute(envA, api.id, 'tenant');
      await store.createResourceAttribute(envA, tenant);
      assert.deepEqual(await store.listResourceAttributes(envA, api.id), [tenant]);
      await assert.rejects(store.createResourceAttribute(envA, resourceAttribute(envA, api.id, 'tenant')), isNameClash);
      const next = { ...tenant, settings: { value: 'fixed', type: 'CUSTOM' as const }, updatedAt: UPDATED_AT };
      assert.deepEqual(updated(await store.updateResourceAttribute(envA, next)), { ...next, version: 2 });
      assert.equal(await store.deleteResource(envA, api.id), true);
      assert.deepEqual(await store.listResourceAttributes(envA, api.id), []);

      const other = resource(envA);
      await store.createResource(envA, other);
      await store.createResourceAttribute(envA, resourceAttribute(envA, other.id, 'tenant'));
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.deepEqual(await store.listResourceAttributes(envA, other.id), []);
    });

    it('scopes map openid attributes: mappedClaims exact, unmapped when the attribute is deleted, scoped', async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const openid = await store.getOpenIdResource(envA);
      assert.deepEqual(openid, a.resources.find((r) => r.type === 'OPENID_CONNECT'));
      assert.notEqual((await store.getOpenIdResource(envB))?.id, openid!.id);
      const rank = { ...resourceAttribute(envA, openid!.id, 'rank'), settings: { value: '${user.title}', type: 'CUSTOM' as const, idToken: false, userInfo: true } };
      const team = resourceAttribute(envA, openid!.id, 'team');
      await store.createResourceAttribute(envA, rank);
      await store.createResourceAttribute(envA, team);
      assert.deepEqual(await store.getResourceAttribute(envA, openid!.id, rank.id), rank);
      const both = scope(envA, openid!.id, { mappedClaims: [team.id, rank.id] });
      const one = scope(envA, openid!.id, { mappedClaims: [rank.id] });
      const none = scope(envA, openid!.id);
      for (const s of [both, one, none]) await store.createScope(envA, s);
      assert.deepEqual(await store.getScope(envA, openid!.id, both.id), both);
      assert.deepEqual(await store.getScope(envA, openid!.id, none.id), none);
      const cleared = { ...both, mappedClaims: [team.id], updatedAt: UPDATED_AT };
      assert.deepEqual(updated(await store.updateScope(envA, cleared, 1)), { ...cleared, version: 2 });

      assert.equal(await store.deleteResourceAttribute(envB, openid!.id, rank.id), false);
      assert.equal(await store.deleteResourceAttribute(envA, openid!.id, rank.id), true);
      assert.deepEqual((await store.getScope(envA, openid!.id, both.id))?.mappedClaims, [team.id]);
      const { mappedClaims: _gone, ...rest } = one;
      const after = await store.getScope(envA, openid!.id, one.id);
      assert.deepEqual({ ...after, updatedAt: rest.updatedAt }, { ...rest, version: 2 });
      assert.deepEqual(await store.getScope(envA, openid!.id, none.id), none);
    });
  });
}
