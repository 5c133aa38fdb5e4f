/** Contract: environments, created as a bundle and deleted with everything they hold. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../../src/store/types.js';
import {
  UPDATED_AT,
  applicationBundle,
  environmentBundle,
  grant,
  organization,
  resource,
  roleAssignment,
} from '../support/store-fixtures.js';
import { assertPaging, seedTwoEnvironments, sortedById, updated, type ContractContext } from './harness.js';

function isNameClash(err: unknown): boolean {
  assert.ok(err instanceof UniqueViolation, `expected UniqueViolation, got ${String(err)}`);
  assert.equal(err.field, 'name');
  return true;
}

export function environmentsContract(ctx: ContractContext): void {
  describe('environments', () => {
    it('createEnvironment writes the whole bundle', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const admin = applicationBundle(envA);
      await store.createApplication(envA, admin);
      const org = (await store.getOrganization())!;
      const bundle = environmentBundle(org.id);
      const envId = bundle.environment.id;
      const held = roleAssignment(envA, admin.application.id, 'ENVIRONMENT', envId);
      bundle.roleAssignments = [held];
      await store.createEnvironment(bundle);

      assert.deepEqual(await store.getEnvironment(envId), bundle.environment);
      assert.deepEqual(await store.listSigningKeys(envId), [bundle.signingKey]);
      assert.deepEqual(await store.listPopulations(envId, { limit: 10 }), { items: [bundle.population], count: 1 });
      assert.deepEqual(await store.listResources(envId, { limit: 10 }), { items: bundle.resources, count: 1 });
      const openid = bundle.resources[0]!;
      const scopes = await store.listScopes(envId, openid.id, { limit: 10 });
      assert.deepEqual(scopes, { items: sortedById(bundle.scopes), count: 2 });
      assert.deepEqual(await store.listRoleAssignments(envA, admin.application.id), [held]);
    });

    it('names are unique per organization, and a rejected bundle writes nothing', async () => {
      const store = ctx.store();
      const { org, a } = await seedTwoEnvironments(store);
      const clash = environmentBundle(org.id, { name: a.environment.name });
      await assert.rejects(store.createEnvironment(clash), isNameClash);
      assert.equal(await store.getEnvironment(clash.environment.id), undefined);
      assert.deepEqual(await store.listSigningKeys(clash.environment.id), []);
      assert.equal((await store.listResources(clash.environment.id, { limit: 10 })).count, 0);

      const otherOrg = organization();
      const sameNameElsewhere = environmentBundle(otherOrg.id, { name: a.environment.name });
      await store.createEnvironment(sameNameElsewhere);
      assert.deepEqual(await store.getEnvironment(sameNameElsewhere.environment.id), sameNameElsewhere.environment);
    });

    it('a bundle failing part-way writes nothing (all or nothing)', async () => {
      const store = ctx.store();
      const org = organization();
      await store.createOrganization(org);
      const bundle = environmentBundle(org.id);
      const envId = bundle.environment.id;
      bundle.resources.push(resource(envId, { name: 'twice' }), resource(envId, { name: 'twice' }));
      await assert.rejects(store.createEnvironment(bundle), isNameClash);
      assert.equal(await store.getEnvironment(envId), undefined);
      assert.deepEqual(await store.listSigningKeys(envId), []);
      assert.equal((await store.listPopulations(envId, { limit: 10 })).count, 0);
      assert.equal((await store.listResources(envId, { limit: 10 })).count, 0);
      await store.createEnvironment({ ...bundle, resources: bundle.resources.slice(0, 1) });
      assert.deepEqual(await store.getEnvironment(envId), bundle.environment);
    });

    it('updateEnvironment bumps the version and honours expectedVersion', async () => {
      const store = ctx.store();
      const { a, b, envA } = await seedTwoEnvironments(store);
      const next = {
        ...a.environment,
        name: 'Renamed',
        description: 'Changed',
        type: 'PRODUCTION' as const,
        extras: { icon: { href: 'https://example.test/new.png' } },
        settings: { clientAssertionAudiencePolicy: 'ISSUER_ONLY' as const, detailedErrors: true },
        updatedAt: UPDATED_AT,
      };
      const record = updated(await store.updateEnvironment(envA, next, 1));
      assert.deepEqual(record, { ...next, version: 2 });
      assert.deepEqual(await store.getEnvironment(envA), record);

      assert.deepEqual(await store.updateEnvironment(envA, next, 1), { status: 'conflict' });
      const unknown = { ...next, id: '00000000-0000-4000-8000-000000000001' };
      assert.deepEqual(await store.updateEnvironment(unknown.id, unknown, 1), { status: 'not_found' });
      assert.deepEqual(await store.updateEnvironment(unknown.id, unknown), { status: 'not_found' });
      assert.equal(updated(await store.updateEnvironment(envA, next)).version, 3);

      await assert.rejects(store.updateEnvironment(envA, { ...next, name: b.environment.name }, 3), isNameClash);
      assert.equal((await store.getEnvironment(envA))?.version, 3);
    });

    it('updateEnvironment keeps createdAt and the organization', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const next = { ...a.environment, createdAt: UPDATED_AT, organizationId: 'another-org', updatedAt: UPDATED_AT };
      const record = updated(await store.updateEnvironment(envA, next));
      assert.equal(record.createdAt, a.environment.createdAt);
      assert.equal(record.organizationId, a.environment.organizationId);
    });

    it('listEnvironments pages one organization only', async () => {
      const store = ctx.store();
      const org = organization();
      await store.createOrganization(org);
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        const bundle = environmentBundle(org.id, { name: `env ${i}` });
        ids.push(bundle.environment.id);
        await store.createEnvironment(bundle);
      }
      await store.createEnvironment(environmentBundle(organization().id, { name: 'env 0' }));
      await assertPaging((page) => store.listEnvironments(org.id, page), ids, 10);
      await assertPaging((page) => store.listEnvironments(org.id, page), ids, 25);
      assert.deepEqual(await store.listEnvironments('no-such-org', { limit: 10 }), { items: [], count: 0 });
    });

    it('deleteEnvironment removes every row it holds and the roles granted over it', async () => {
      const store = ctx.store();
      const { a, b, envA, envB } = await seedTwoEnvironments(store);
      const admin = applicationBundle(envA);
      await store.createApplication(envA, admin);
      const overB = roleAssignment(envA, admin.application.id, 'ENVIRONMENT', envB);
      const overA = roleAssignment(envA, admin.application.id, 'ENVIRONMENT', envA);
      const overOrg = roleAssignment(envA, admin.application.id, 'ORGANIZATION', a.environment.organizationId);
      for (const ra of [overB, overA, overOrg]) await store.createRoleAssignment(envA, ra);

      const app = applicationBundle(envB);
      await store.createApplication(envB, app);
      const openidB = b.resources[0]!;
      const scopeIds = b.scopes.map((s) => s.id);
      const grantB = grant(envB, app.application.id, openidB.id, scopeIds);
      await store.createGrant(envB, grantB);
      const heldInB = roleAssignment(envB, app.application.id, 'ENVIRONMENT', envA);
      await store.createRoleAssignment(envB, heldInB);

      assert.equal(await store.deleteEnvironment(envB), true);
      assert.equal(await store.deleteEnvironment(envB), false);

      assert.equal(await store.getEnvironment(envB), undefined);
      assert.deepEqual(await store.listSigningKeys(envB), []);
      assert.equal((await store.listPopulations(envB, { limit: 10 })).count, 0);
      assert.equal((await store.listApplications(envB, { limit: 10 })).count, 0);
      assert.equal(await store.getApplication(envB, app.application.id), undefined);
      assert.equal(await store.getApplicationSecret(envB, app.application.id), undefined);
      assert.equal((await store.listResources(envB, { limit: 10 })).count, 0);
      assert.equal((await store.listScopes(envB, openidB.id, { limit: 10 })).count, 0);
      assert.deepEqual(await store.getScopesByIds(envB, scopeIds), []);
      assert.deepEqual(await store.listGrants(envB, app.application.id), []);
      assert.deepEqual(await store.listRoleAssignments(envB, app.application.id), []);

      const remaining = await store.listRoleAssignments(envA, admin.application.id);
      assert.deepEqual(sortedById(remaining), sortedById([overA, overOrg]));
      assert.deepEqual(await store.getEnvironment(envA), a.environment);
      assert.deepEqual(await store.listSigningKeys(envA), [a.signingKey]);
      assert.deepEqual(await store.getApplication(envA, admin.application.id), admin.application);

      const again = environmentBundle(b.environment.organizationId, { name: b.environment.name });
      await store.createEnvironment(again);
      assert.equal(await store.deleteEnvironment('00000000-0000-4000-8000-000000000002'), false);
    });
  });
}
