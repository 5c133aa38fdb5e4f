/**
 * Contract: environment isolation (docs/architecture.md, rule 2) and referential integrity. A
 * record created in environment A must be invisible through environment B for every read, list,
 * update and delete.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/store/types.js';
import {
  UPDATED_AT,
  applicationBundle,
  environmentBundle,
  grant,
  organization,
  population,
  resource,
  roleAssignment,
  scope,
  secret,
} from '../support/store-fixtures.js';
import { seedTwoEnvironments, type ContractContext } from './harness.js';

/** Everything of one kind created in environment A. */
async function populateA(store: Store) {
  const seeded = await seedTwoEnvironments(store);
  const { envA } = seeded;
  const app = applicationBundle(envA);
  await store.createApplication(envA, app);
  const api = resource(envA, { name: 'Shared name' });
  await store.createResource(envA, api);
  const read = scope(envA, api.id, { name: 'read' });
  await store.createScope(envA, read);
  const g = grant(envA, app.application.id, api.id, [read.id]);
  await store.createGrant(envA, g);
  const role = roleAssignment(envA, app.application.id, 'ENVIRONMENT', envA);
  await store.createRoleAssignment(envA, role);
  return { ...seeded, app, api, read, grant: g, role };
}

export function isolationContract(ctx: ContractContext): void {
  describe('environment isolation', () => {
    for (const [label, pickOther] of [
      ['another existing environment', (envB: string) => envB],
      ['an unknown environment id', () => '00000000-0000-4000-8000-0000000000ff'],
    ] as const) {
      it(`nothing of environment A is visible or writable through ${label}`, async () => {
        const store = ctx.store();
        const seeded = await populateA(store);
        const { a, envA, app, api, read, grant: g, role } = seeded;
        const other = pickOther(seeded.envB);
        const appId = app.application.id;
        const page = { limit: 100 };
        const ids = (items: { id: string }[]) => items.map((i) => i.id);

        assert.ok(!ids(await store.listSigningKeys(other)).includes(a.signingKey.id));
        assert.ok(!ids((await store.listPopulations(other, page)).items).includes(a.population.id));

        assert.equal(await store.getApplication(other, appId), undefined);
        assert.equal((await store.listApplications(other, page)).count, 0);
        const movedApp = { ...app.application, environmentId: other, updatedAt: UPDATED_AT };
        assert.deepEqual(await store.replaceApplication(other, movedApp, 1), { status: 'not_found' });
        assert.deepEqual(await store.replaceApplication(other, movedApp), { status: 'not_found' });
        assert.deepEqual(await store.deleteApplication(other, appId, 1), { status: 'not_found' });
        assert.deepEqual(await store.deleteApplication(other, appId), { status: 'not_found' });
        assert.equal(await store.getApplicationSecret(other, appId), undefined);

        assert.equal(await store.getResource(other, api.id), undefined);
        assert.ok(!ids((await store.listResources(other, page)).items).includes(api.id));
        assert.deepEqual(await store.updateResource(other, { ...api, environmentId: other }, 1), { status: 'not_found' });
        assert.deepEqual(await store.updateResource(other, { ...api, environmentId: other }), { status: 'not_found' });
        assert.equal(await store.deleteResource(other, api.id), false);

        assert.equal(await store.getScope(other, api.id, read.id), undefined);
        assert.equal((await store.listScopes(other, api.id, page)).count, 0);
        assert.deepEqual(await store.getScopesByIds(other, [read.id, ...a.scopes.map((s) => s.id)]), []);
        assert.deepEqual(await store.updateScope(other, { ...read, environmentId: other }), { status: 'not_found' });
        assert.equal(await store.deleteScope(other, api.id, read.id), false);

        assert.deepEqual(await store.listGrants(other, appId), []);
        assert.equal(await store.getGrant(other, appId, g.id), undefined);
        assert.deepEqual(await store.updateGrant(other, { ...g, environmentId: other }), { status: 'not_found' });
        assert.equal(await store.deleteGrant(other, appId, g.id), false);

        assert.deepEqual(await store.listRoleAssignments(other, appId), []);
        assert.equal(await store.deleteRoleAssignment(other, appId, role.id), false);

        // A's rows are untouched by all of the above.
        assert.deepEqual(await store.getApplication(envA, appId), app.application);
        assert.deepEqual(await store.getApplicationSecret(envA, appId), app.secret);
        assert.deepEqual(await store.getResource(envA, api.id), api);
        assert.deepEqual(await store.getScope(envA, api.id, read.id), read);
        assert.deepEqual(await store.getGrant(envA, appId, g.id), g);
        assert.deepEqual(await store.listRoleAssignments(envA, appId), [role]);
        assert.deepEqual(await store.listSigningKeys(envA), [a.signingKey]);
        assert.deepEqual(await store.getEnvironment(envA), a.environment);
      });
    }

    it('the same names and relations may exist in two environments independently', async () => {
      const store = ctx.store();
      const { envB, api, read } = await populateA(store);
      const apiB = resource(envB, { name: api.name });
      await store.createResource(envB, apiB);
      const readB = scope(envB, apiB.id, { name: read.name });
      await store.createScope(envB, readB);
      assert.deepEqual(await store.getScopesByIds(envB, [read.id, readB.id]), [readB]);
    });
  });

  describe('referential integrity', () => {
    it('rejects rows whose environment or parent record does not exist', async () => {
      const store = ctx.store();
      const { envA, envB, app, api } = await populateA(store);
      const missingEnv = '00000000-0000-4000-8000-0000000000ee';
      const appId = app.application.id;
      await assert.rejects(store.createApplication(missingEnv, applicationBundle(missingEnv)));
      await assert.rejects(store.createResource(missingEnv, resource(missingEnv)));
      await assert.rejects(store.createScope(envA, scope(envA, 'missing-resource')));
      await assert.rejects(store.createScope(envB, scope(envB, api.id)), 'the resource lives in A');
      await assert.rejects(store.createGrant(envA, grant(envA, 'missing-app', api.id, [])));
      await assert.rejects(store.createGrant(envA, grant(envA, appId, 'missing-resource', [])));
      await assert.rejects(store.createGrant(envB, grant(envB, appId, api.id, [])), 'both live in A');
      await assert.rejects(store.putApplicationSecret(envA, secret(envA, 'missing-app')));
      await assert.rejects(store.putApplicationSecret(envB, secret(envB, appId)), 'the app lives in A');
      await assert.rejects(store.createRoleAssignment(envA, roleAssignment(envA, 'missing-app', 'ENVIRONMENT', envA)));
      await assert.rejects(store.createRoleAssignment(envB, roleAssignment(envB, appId, 'ENVIRONMENT', envB)));
      const org = organization();
      const bundle = environmentBundle(org.id);
      bundle.population = population('another-environment');
      await assert.rejects(store.createEnvironment(bundle), 'bundle parts belong to the new environment');
      assert.equal(await store.getEnvironment(bundle.environment.id), undefined);
    });
  });
}
