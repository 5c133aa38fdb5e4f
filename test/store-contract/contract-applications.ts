/** Contract: applications with their secrets, grants and role assignments. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../../src/store/types.js';
import {
  ODD_JWKS,
  UPDATED_AT,
  applicationBundle,
  applicationConfig,
  grant,
  resource,
  roleAssignment,
  secret,
} from '../support/store-fixtures.js';
import { assertPaging, seedTwoEnvironments, sortedById, updated, type ContractContext } from './harness.js';

export function applicationsContract(ctx: ContractContext): void {
  describe('applications', () => {
    it('creates an application with its secret and reads both back', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const bundle = applicationBundle(envA);
      await store.createApplication(envA, bundle);
      assert.deepEqual(await store.getApplication(envA, bundle.application.id), bundle.application);
      assert.deepEqual(await store.getApplicationSecret(envA, bundle.application.id), bundle.secret);
      assert.deepEqual(await store.listApplications(envA, { limit: 10 }), { items: [bundle.application], count: 1 });
      assert.equal(await store.getApplication(envA, 'missing'), undefined);
      assert.equal(await store.getApplicationSecret(envA, 'missing'), undefined);
    });

    it('creates the role assignments of the bundle with the application, all or nothing', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const bundle = applicationBundle(envA);
      const appId = bundle.application.id;
      const roles = [roleAssignment(envA, appId, 'ENVIRONMENT', envA), roleAssignment(envA, appId, 'ENVIRONMENT', envB)];
      await store.createApplication(envA, { ...bundle, roleAssignments: roles });
      assert.deepEqual(sortedById(await store.listRoleAssignments(envA, appId)), sortedById(roles));

      const failing = applicationBundle(envA);
      const failingId = failing.application.id;
      const twice = roleAssignment(envA, failingId, 'ENVIRONMENT', envA);
      await assert.rejects(store.createApplication(envA, { ...failing, roleAssignments: [twice, { ...twice }] }), UniqueViolation);
      assert.equal(await store.getApplication(envA, failingId), undefined);
      assert.equal(await store.getApplicationSecret(envA, failingId), undefined);
      assert.deepEqual(await store.listRoleAssignments(envA, failingId), []);
    });

    it('rejects a duplicate id with UniqueViolation and keeps the first', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const bundle = applicationBundle(envA);
      await store.createApplication(envA, bundle);
      const copy = applicationBundle(envA, { id: bundle.application.id }, { name: 'Copy' });
      await assert.rejects(store.createApplication(envA, copy), UniqueViolation);
      assert.deepEqual(await store.getApplication(envA, bundle.application.id), bundle.application);
      assert.deepEqual(await store.getApplicationSecret(envA, bundle.application.id), bundle.secret);
    });

    it('keeps the full configuration and the jwks string byte for byte', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const config = applicationConfig({
        type: 'WEB_APP',
        tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
        jwks: ODD_JWKS,
        grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
        responseTypes: ['CODE'],
        redirectUris: ['https://app.example.test/cb', 'http://127.0.0.1:8080/cb?x=1&y=é'],
        corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: ['https://app.example.test'] },
        accessControl: { role: { type: 'ADMIN_USERS_ONLY' }, group: { type: 'ANY_GROUP', groups: [] } },
        tags: [],
        tokenEndpointAuthSigningAlg: 'PS256',
        clientAssertionAudiencePolicy: 'ISSUER_ONLY',
        parTimeout: 0,
        hiddenFromAppPortal: false,
      });
      const bundle = applicationBundle(envA, {}, config);
      await store.createApplication(envA, bundle);
      const stored = await store.getApplication(envA, bundle.application.id);
      assert.equal(stored?.config.jwks, ODD_JWKS);
      assert.equal(Buffer.compare(Buffer.from(stored?.config.jwks ?? '', 'utf8'), Buffer.from(ODD_JWKS, 'utf8')), 0);
      assert.deepEqual(stored, bundle.application);

      const next = { ...bundle.application, config: { ...config, jwks: `${ODD_JWKS} ` }, updatedAt: UPDATED_AT };
      const record = updated(await store.replaceApplication(envA, next, 1));
      assert.equal(record.config.jwks, `${ODD_JWKS} `);
      assert.deepEqual(await store.getApplication(envA, next.id), record);
    });

    it('replaceApplication bumps the version and honours expectedVersion', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const bundle = applicationBundle(envA);
      await store.createApplication(envA, bundle);
      const next = { ...bundle.application, config: applicationConfig({ name: 'Renamed', enabled: false }), updatedAt: UPDATED_AT };

      const record = updated(await store.replaceApplication(envA, next, 1));
      assert.deepEqual(record, { ...next, version: 2 });
      assert.deepEqual(await store.getApplication(envA, next.id), record);
      assert.deepEqual(await store.replaceApplication(envA, next, 1), { status: 'conflict' });
      assert.deepEqual(await store.replaceApplication(envA, { ...next, id: 'missing' }, 1), { status: 'not_found' });
      assert.deepEqual(await store.replaceApplication(envA, { ...next, id: 'missing' }), { status: 'not_found' });
      assert.equal(updated(await store.replaceApplication(envA, next)).version, 3);
      assert.equal(updated(await store.replaceApplication(envA, { ...next, createdAt: UPDATED_AT }, 3)).createdAt, next.createdAt);
    });

    it('deleteApplication honours expectedVersion and takes secret, grants and role assignments with it', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const openid = a.resources[0]!;
      const scopeIds = a.scopes.map((s) => s.id);
      const doomed = applicationBundle(envA);
      const kept = applicationBundle(envA);
      await store.createApplication(envA, doomed);
      await store.createApplication(envA, kept);
      const doomedGrant = grant(envA, doomed.application.id, openid.id, scopeIds);
      const keptGrant = grant(envA, kept.application.id, openid.id, scopeIds);
      await store.createGrant(envA, doomedGrant);
      await store.createGrant(envA, keptGrant);
      const doomedRole = roleAssignment(envA, doomed.application.id, 'ENVIRONMENT', envA);
      const keptRole = roleAssignment(envA, kept.application.id, 'ENVIRONMENT', envA);
      await store.createRoleAssignment(envA, doomedRole);
      await store.createRoleAssignment(envA, keptRole);

      assert.deepEqual(await store.deleteApplication(envA, doomed.application.id, 7), { status: 'conflict' });
      assert.deepEqual(await store.getApplication(envA, doomed.application.id), doomed.application);
      assert.deepEqual(await store.deleteApplication(envA, 'missing', 1), { status: 'not_found' });
      assert.deepEqual(await store.deleteApplication(envA, doomed.application.id, 1), { status: 'updated', record: null });
      assert.deepEqual(await store.deleteApplication(envA, doomed.application.id), { status: 'not_found' });

      assert.equal(await store.getApplication(envA, doomed.application.id), undefined);
      assert.equal(await store.getApplicationSecret(envA, doomed.application.id), undefined);
      assert.deepEqual(await store.listGrants(envA, doomed.application.id), []);
      assert.deepEqual(await store.listRoleAssignments(envA, doomed.application.id), []);

      assert.deepEqual(await store.getApplicationSecret(envA, kept.application.id), kept.secret);
      assert.deepEqual(await store.listGrants(envA, kept.application.id), [keptGrant]);
      assert.deepEqual(await store.listRoleAssignments(envA, kept.application.id), [keptRole]);
      assert.deepEqual(await store.getResource(envA, openid.id), openid);
      assert.equal(await store.getScopesByIds(envA, scopeIds).then((s) => s.length), 2);

      assert.deepEqual(await store.deleteApplication(envA, kept.application.id), { status: 'updated', record: null });
    });

    it('putApplicationSecret replaces the secret, with and without a previous one', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const bundle = applicationBundle(envA);
      await store.createApplication(envA, bundle);
      const appId = bundle.application.id;
      const rotated = secret(envA, appId, {
        createdAt: UPDATED_AT,
        previous: { secretCiphertext: bundle.secret.secretCiphertext, expiresAt: '2026-03-01T00:00:00.000Z' },
      });
      await store.putApplicationSecret(envA, rotated);
      assert.deepEqual(await store.getApplicationSecret(envA, appId), rotated);
      const used = { ...rotated, previous: { ...rotated.previous!, lastUsed: '2026-02-15T12:00:00.000Z' } };
      await store.putApplicationSecret(envA, used);
      assert.deepEqual(await store.getApplicationSecret(envA, appId), used);
      const plain = secret(envA, appId);
      await store.putApplicationSecret(envA, plain);
      assert.deepEqual(await store.getApplicationSecret(envA, appId), plain);
    });

    it('pages 25 applications by 10', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        const bundle = applicationBundle(envA, {}, { name: `app ${i}` });
        ids.push(bundle.application.id);
        await store.createApplication(envA, bundle);
      }
      const pages = await assertPaging((page) => store.listApplications(envA, page), ids, 10);
      assert.deepEqual(pages.map((p) => p.items.length), [10, 10, 5]);
      await assertPaging((page) => store.listApplications(envA, page), ids, 25);
      await assertPaging((page) => store.listApplications(envA, page), ids, 1000);
      const last = [...ids].sort().at(-1)!;
      assert.deepEqual(await store.listApplications(envA, { limit: 10, after: last }), { items: [], count: 25 });
    });
  });

  describe('grants', () => {
    it('creates, reads, lists, updates and deletes grants', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const openid = a.resources[0]!;
      const [s1, s2] = a.scopes as [(typeof a.scopes)[0], (typeof a.scopes)[0]];
      const api = resource(envA);
      await store.createResource(envA, api);
      const app = applicationBundle(envA);
      await store.createApplication(envA, app);
      const appId = app.application.id;
      const g1 = grant(envA, appId, openid.id, [s1.id]);
      const g2 = grant(envA, appId, api.id, []);
      await store.createGrant(envA, g1);
      await store.createGrant(envA, g2);
      await assert.rejects(store.createGrant(envA, { ...g2 }), UniqueViolation);

      assert.deepEqual(await store.getGrant(envA, appId, g1.id), g1);
      assert.deepEqual(sortedById(await store.listGrants(envA, appId)), sortedById([g1, g2]));
      assert.equal(await store.getGrant(envA, 'other-app', g1.id), undefined);

      const next = { ...g1, scopeIds: [s2.id, s1.id], updatedAt: UPDATED_AT };
      const record = updated(await store.updateGrant(envA, next, 1));
      assert.deepEqual(record, { ...next, version: 2 });
      assert.deepEqual(await store.getGrant(envA, appId, g1.id), record);
      assert.deepEqual(await store.updateGrant(envA, next, 1), { status: 'conflict' });
      assert.deepEqual(await store.updateGrant(envA, { ...next, id: 'missing' }), { status: 'not_found' });
      assert.deepEqual(await store.updateGrant(envA, { ...next, applicationId: 'other-app' }), { status: 'not_found' });
      assert.equal(updated(await store.updateGrant(envA, next)).version, 3);

      assert.equal(await store.deleteGrant(envA, 'other-app', g1.id), false);
      assert.equal(await store.deleteGrant(envA, appId, g1.id), true);
      assert.equal(await store.deleteGrant(envA, appId, g1.id), false);
      assert.deepEqual(await store.listGrants(envA, appId), [g2]);
    });

    it('allows one grant per application and resource: UniqueViolation("resourceId"), also under concurrency', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const openid = a.resources[0]!;
      const api = resource(envA);
      await store.createResource(envA, api);
      const app = applicationBundle(envA);
      const other = applicationBundle(envA);
      await store.createApplication(envA, app);
      await store.createApplication(envA, other);
      const appId = app.application.id;
      const first = grant(envA, appId, openid.id, []);
      await store.createGrant(envA, first);
      const isResourceClash = (err: unknown) => err instanceof UniqueViolation && err.field === 'resourceId';
      await assert.rejects(store.createGrant(envA, grant(envA, appId, openid.id, [])), isResourceClash);
      await store.createGrant(envA, grant(envA, other.application.id, openid.id, []));
      const onApi = grant(envA, appId, api.id, []);
      await store.createGrant(envA, onApi);
      await assert.rejects(store.updateGrant(envA, { ...onApi, resourceId: openid.id }), isResourceClash);
      assert.deepEqual(sortedById(await store.listGrants(envA, appId)), sortedById([first, onApi]));

      const racer = applicationBundle(envA);
      await store.createApplication(envA, racer);
      const racing = Array.from({ length: 5 }, () => store.createGrant(envA, grant(envA, racer.application.id, api.id, [])));
      const settled = await Promise.allSettled(racing);
      assert.equal(settled.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of settled) if (r.status === 'rejected') assert.ok(isResourceClash(r.reason), String(r.reason));
    });
    it('pages one application\'s grants by id: count on every page, a cursor until the last, no other application\'s', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const app = applicationBundle(envA);
      const other = applicationBundle(envA);
      await store.createApplication(envA, app);
      await store.createApplication(envA, other);
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const api = resource(envA);
        await store.createResource(envA, api);
        const g = grant(envA, app.application.id, api.id, []);
        ids.push(g.id);
        await store.createGrant(envA, g);
        if (i < 2) await store.createGrant(envA, grant(envA, other.application.id, api.id, []));
      }
      const pages = await assertPaging((page) => store.pageGrants(envA, app.application.id, page), ids, 3);
      assert.deepEqual(pages.map((p) => p.items.length), [3, 3, 1]);
      assert.deepEqual(sortedById(pages.flatMap((p) => p.items)), sortedById(await store.listGrants(envA, app.application.id)));
      await assertPaging((page) => store.pageGrants(envA, app.application.id, page), ids, 1000);
      assert.deepEqual(await store.pageGrants(envA, 'missing-app', { limit: 10 }), { items: [], count: 0 });
    });
  });

  describe('role assignments', () => {
    it('pages one application\'s role assignments by id', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const app = applicationBundle(envA);
      await store.createApplication(envA, app);
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const r = roleAssignment(envA, app.application.id, 'ENVIRONMENT', `scope-${i}`);
        ids.push(r.id);
        await store.createRoleAssignment(envA, r);
      }
      const pages = await assertPaging((page) => store.pageRoleAssignments(envA, app.application.id, page), ids, 2);
      assert.deepEqual(pages.map((p) => p.items.length), [2, 2, 1]);
      assert.deepEqual(sortedById(pages.flatMap((p) => p.items)), sortedById(await store.listRoleAssignments(envA, app.application.id)));
    });

    it('creates, lists and deletes role assignments', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const app = applicationBundle(envA);
      const other = applicationBundle(envA);
      await store.createApplication(envA, app);
      await store.createApplication(envA, other);
      const appId = app.application.id;
      const r1 = roleAssignment(envA, appId, 'ENVIRONMENT', envA);
      const r2 = roleAssignment(envA, appId, 'ENVIRONMENT', envB);
      const r3 = roleAssignment(envA, other.application.id, 'ORGANIZATION', 'org');
      for (const r of [r1, r2, r3]) await store.createRoleAssignment(envA, r);
      await assert.rejects(store.createRoleAssignment(envA, r1), UniqueViolation);

      assert.deepEqual(sortedById(await store.listRoleAssignments(envA, appId)), sortedById([r1, r2]));
      assert.equal(await store.deleteRoleAssignment(envA, other.application.id, r1.id), false);
      assert.equal(await store.deleteRoleAssignment(envA, appId, r1.id), true);
      assert.equal(await store.deleteRoleAssignment(envA, appId, r1.id), false);
      assert.deepEqual(await store.listRoleAssignments(envA, appId), [r2]);
      assert.deepEqual(await store.listRoleAssignments(envA, other.application.id), [r3]);
    });

    it('allows one assignment per application, role and scope: UniqueViolation("roleId")', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const app = applicationBundle(envA);
      const other = applicationBundle(envA);
      await store.createApplication(envA, app);
      await store.createApplication(envA, other);
      const appId = app.application.id;
      const held = roleAssignment(envA, appId, 'ENVIRONMENT', envA);
      await store.createRoleAssignment(envA, held);
      const isRoleClash = (err: unknown) => err instanceof UniqueViolation && err.field === 'roleId';
      await assert.rejects(store.createRoleAssignment(envA, roleAssignment(envA, appId, 'ENVIRONMENT', envA)), isRoleClash);
      const overB = roleAssignment(envA, appId, 'ENVIRONMENT', envB);
      const otherRole = roleAssignment(envA, appId, 'ENVIRONMENT', envA, { roleId: 'another-role' });
      const otherApp = roleAssignment(envA, other.application.id, 'ENVIRONMENT', envA);
      for (const r of [overB, otherRole, otherApp]) await store.createRoleAssignment(envA, r);
      assert.deepEqual(sortedById(await store.listRoleAssignments(envA, appId)), sortedById([held, overB, otherRole]));

      const racing = Array.from({ length: 5 }, () => store.createRoleAssignment(envA, roleAssignment(envA, appId, 'ORGANIZATION', 'org')));
      const settled = await Promise.allSettled(racing);
      assert.equal(settled.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of settled) if (r.status === 'rejected') assert.ok(isRoleClash(r.reason), String(r.reason));
    });
  });
}
