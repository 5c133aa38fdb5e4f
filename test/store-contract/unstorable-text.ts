/**
 * U+0000 in text, checked on every engine with the same cases (rule in src/store/shared/text.ts):
 * writing it into a text column throws a TypeError and writes nothing; looking up by a key that
 * holds it finds nothing; inside JSON documents it is stored escaped and round-trips.
 * Not part of the contract suite proper, which is shared and owned separately; candidates for it.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Store } from '../../src/store/types.js';
import { UPDATED_AT, applicationBundle, applicationConfig, organization, resource } from '../support/store-fixtures.js';
import { seedTwoEnvironments, updated } from './harness.js';

const NUL = '\u0000';

export function unstorableTextCases(name: string, makeStore: () => Promise<Store>): void {
  describe(`U+0000 in text: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('refuses to write U+0000 into a text column, and writes nothing', async () => {
      await assert.rejects(store.createOrganization(organization({ name: `a${NUL}b` })), TypeError);
      assert.equal(await store.getOrganization(), undefined);
      const { envA } = await seedTwoEnvironments(store);
      const api = resource(envA, { description: NUL });
      await assert.rejects(store.createResource(envA, api), TypeError);
      assert.equal(await store.getResource(envA, api.id), undefined);
      const kept = resource(envA);
      await store.createResource(envA, kept);
      await assert.rejects(store.updateResource(envA, { ...kept, name: `x${NUL}` }, 1), TypeError);
      assert.deepEqual(await store.getResource(envA, kept.id), kept);
      const app = applicationBundle(envA);
      await assert.rejects(store.createApplication(envA, { ...app, secret: { ...app.secret, secretCiphertext: NUL } }), TypeError);
      assert.equal(await store.getApplication(envA, app.application.id), undefined);
    });

    it('finds nothing by a key holding U+0000', async () => {
      const { envA, a } = await seedTwoEnvironments(store);
      const app = applicationBundle(envA);
      await store.createApplication(envA, app);
      const appId = app.application.id;
      assert.equal(await store.getEnvironment(`${envA}${NUL}`), undefined);
      assert.equal(await store.getApplication(envA, `${appId}${NUL}`), undefined);
      assert.equal(await store.getApplicationSecret(envA, NUL), undefined);
      assert.deepEqual(await store.listApplications(`${envA}${NUL}`, { limit: 10 }), { items: [], count: 0 });
      assert.deepEqual(await store.listEnvironments(NUL, { limit: 10 }), { items: [], count: 0 });
      assert.deepEqual(await store.listGrants(envA, NUL), []);
      const scopeIds = a.scopes.map((s) => s.id);
      assert.equal((await store.getScopesByIds(envA, [NUL, ...scopeIds])).length, scopeIds.length);
      assert.deepEqual(await store.replaceApplication(envA, { ...app.application, id: NUL }), { status: 'not_found' });
      assert.deepEqual(await store.deleteApplication(envA, `${appId}${NUL}`), { status: 'not_found' });
      assert.equal(await store.deleteEnvironment(`${envA}${NUL}`), false);
      assert.deepEqual(await store.getApplication(envA, appId), app.application);
    });

    it('treats a paging cursor holding U+0000 as cut there (byte order)', async () => {
      const { envA } = await seedTwoEnvironments(store);
      const apps = [applicationBundle(envA), applicationBundle(envA)];
      for (const app of apps) await store.createApplication(envA, app);
      const ids = apps.map((app) => app.application.id).sort();
      const first = ids[0]!;
      const page = await store.listApplications(envA, { limit: 10, after: `${first}${NUL}zzz` });
      assert.deepEqual(page.items.map((item) => item.id), ids.slice(1));
      assert.equal(page.count, 2);
    });

    it('keeps U+0000 inside JSON documents (escaped), such as the application configuration', async () => {
      const { envA } = await seedTwoEnvironments(store);
      const app = applicationBundle(envA, {}, { description: `before${NUL}after` });
      await store.createApplication(envA, app);
      assert.deepEqual(await store.getApplication(envA, app.application.id), app.application);
      const next = { ...app.application, config: applicationConfig({ jwks: `{"keys":[]}${NUL}` }), updatedAt: UPDATED_AT };
      assert.equal(updated(await store.replaceApplication(envA, next, 1)).config.jwks, `{"keys":[]}${NUL}`);
    });
  });
}
