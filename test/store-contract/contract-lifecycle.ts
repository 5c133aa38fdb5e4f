/** Contract: migrations, liveness, closing, the organization, and durability across reopen. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreUnavailable, UniqueViolation, type Store } from '../../src/store/types.js';
import { applicationBundle, environmentBundle, organization } from '../support/store-fixtures.js';
import type { ContractContext } from './harness.js';

export function lifecycleContract(ctx: ContractContext): void {
  describe('lifecycle', () => {
    it('answers ping', async () => {
      await ctx.store().ping();
    });

    it('migrate is idempotent and keeps data', async () => {
      const store = ctx.store();
      const org = organization();
      await store.createOrganization(org);
      await store.migrate();
      await store.migrate();
      assert.deepEqual(await store.getOrganization(), org);
    });

    it('rejects calls with StoreUnavailable once closed, and closing twice is harmless', async () => {
      const store = ctx.store();
      await store.close();
      await assert.rejects(store.ping(), StoreUnavailable);
      await assert.rejects(store.getEnvironment('00000000-0000-4000-8000-000000000000'), StoreUnavailable);
      await assert.rejects(store.createOrganization(organization()), StoreUnavailable);
      await store.close();
    });
  });

  describe('organization', () => {
    it('is absent at first, then returned as created', async () => {
      const store = ctx.store();
      assert.equal(await store.getOrganization(), undefined);
      const org = organization();
      await store.createOrganization(org);
      assert.deepEqual(await store.getOrganization(), org);
    });

    it('rejects a duplicate id with UniqueViolation', async () => {
      const store = ctx.store();
      const org = organization();
      await store.createOrganization(org);
      await assert.rejects(store.createOrganization({ ...org, name: 'Other' }), (err: unknown) => {
        assert.ok(err instanceof UniqueViolation);
        assert.equal(err.field, 'id');
        return true;
      });
    });
  });

  const fresh = ctx.options.freshDatabase;
  describe('durability', { skip: fresh ? false : 'in-memory backend' }, () => {
    it('keeps data across close and reopen', async () => {
      assert.ok(fresh);
      const db = await fresh();
      const org = organization();
      const env = environmentBundle(org.id);
      const app = applicationBundle(env.environment.id);
      const first = await db.open();
      await first.migrate();
      await first.createOrganization(org);
      await first.createEnvironment(env);
      await first.createApplication(env.environment.id, app);
      await first.close();

      const second = await db.open();
      try {
        await second.migrate();
        assert.deepEqual(await second.getOrganization(), org);
        assert.deepEqual(await second.getEnvironment(env.environment.id), env.environment);
        assert.deepEqual(await second.getApplication(env.environment.id, app.application.id), app.application);
        assert.deepEqual(await second.getApplicationSecret(env.environment.id, app.application.id), app.secret);
      } finally {
        await second.close();
      }
    });

    it('lets two stores migrate the same fresh database at once', async () => {
      assert.ok(fresh);
      const db = await fresh();
      const stores: Store[] = await Promise.all([db.open(), db.open()]);
      try {
        await Promise.all(stores.map((s) => s.migrate()));
        const [one, two] = stores as [Store, Store];
        const org = organization();
        await one.createOrganization(org);
        assert.deepEqual(await two.getOrganization(), org);
        await two.migrate();
        await one.ping();
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}
