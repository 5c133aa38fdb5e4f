/**
 * An environment's bill of materials (`GET/PUT /v1/environments/{envId}/billOfMaterials`,
 * PingOne's `BillOfMaterials`) and its promotion (`PUT /v1/environments/{envId}/type`,
 * SANDBOX → PRODUCTION only), with validation and role checks.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  createApp,
  createEnvironment,
  expectDetail,
  expectForbidden,
  expectSchema,
  expectStatus,
  startInProcess,
  tokenFor,
  type InProcess,
} from '../support/harness.js';
import { adminQuery, postgresAnswers, schemaUrl, scratchSchemaName } from '../support/e2e.js';

const bom = (envId: string): string => `/v1/environments/${envId}/billOfMaterials`;
const BOM = {
  solutionType: 'CUSTOMER',
  products: [
    { type: 'PING_ONE_BASE', description: 'Base', console: { href: 'https://console.example/base' } },
    { type: 'PING_ONE_MFA', bookmarks: [{ name: 'Docs', href: 'https://docs.example/mfa' }], tags: ['DAVINCI_MINIMAL'] },
  ],
};

const schema = scratchSchemaName('keyway_env_extras');

/** The same cases on SQLite and, when it answers, PostgreSQL (the environment rows hold what these read and write). */
function cases(engine: string, start: () => Promise<InProcess>, cleanUp: () => Promise<void> = async () => {}): void {
  let h: InProcess;
  before(async () => {
    h = await start();
  });
  after(async () => {
    await h?.close();
    await cleanUp();
  });

  describe(`${engine}: billOfMaterials`, () => {
    test("the create body's billOfMaterials reads back through GET .../billOfMaterials (PingOne BillOfMaterials)", async () => {
      const created = expectStatus(
        await h.inject('POST', '/v1/environments', { body: { name: 'With BOM', region: 'EU', type: 'SANDBOX', license: { id: h.licenseId }, billOfMaterials: BOM } }),
        201,
      ).body;
      expectSchema('Environment', created);
      const read = expectStatus(await h.inject('GET', bom(created.id)), 200).body;
      expectSchema('BillOfMaterials', read);
      assert.equal(read.solutionType, 'CUSTOMER');
      assert.deepEqual(read.products.map((p: { type: string }) => p.type), ['PING_ONE_BASE', 'PING_ONE_MFA']);
      assert.equal(read.products[0].console.href, 'https://console.example/base');
      assert.deepEqual(read.products[1].bookmarks, [{ name: 'Docs', href: 'https://docs.example/mfa' }]);
      assert.equal(read._links.self.href, `${h.publicUrl}${bom(created.id)}`);
      assert.deepEqual(created.billOfMaterials.products, read.products);
    });

    test('an environment created without one has the PING_ONE_BASE product', async () => {
      const env = await createEnvironment(h, 'Default BOM');
      const read = expectStatus(await h.inject('GET', bom(env)), 200).body;
      expectSchema('BillOfMaterials', read);
      assert.deepEqual(read.products.map((p: { type: string }) => p.type), ['PING_ONE_BASE']);
    });

    test('PUT replaces it and keeps createdAt; a later PUT of the environment keeps it', async () => {
      const env = await createEnvironment(h, 'Replace BOM');
      const first = expectStatus(await h.inject('PUT', bom(env), { body: BOM }), 200).body;
      expectSchema('BillOfMaterials', first);
      const second = expectStatus(await h.inject('PUT', bom(env), { body: { products: [{ type: 'PING_FEDERATE' }] } }), 200).body;
      expectSchema('BillOfMaterials', second);
      assert.equal(second.createdAt, first.createdAt);
      assert.equal(second.solutionType, undefined);
      assert.deepEqual(expectStatus(await h.inject('GET', bom(env)), 200).body.products, second.products);
      expectStatus(await h.inject('PUT', `/v1/environments/${env}`, { body: { name: 'Replace BOM', region: 'NA', type: 'SANDBOX' } }), 200);
      assert.deepEqual(expectStatus(await h.inject('GET', bom(env)), 200).body.products, second.products);
    });

    test('bad bodies are 400 INVALID_DATA on the field, and nothing is stored', async () => {
      const env = await createEnvironment(h, 'Bad BOM');
      const before = expectStatus(await h.inject('GET', bom(env)), 200).body;
      expectDetail(await h.inject('PUT', bom(env), { body: {} }), 'REQUIRED_VALUE', 'products');
      expectDetail(await h.inject('PUT', bom(env), { body: { products: {} } }), 'INVALID_VALUE', 'products');
      expectDetail(await h.inject('PUT', bom(env), { body: { products: [{}] } }), 'REQUIRED_VALUE', 'products[0].type');
      expectDetail(await h.inject('PUT', bom(env), { body: { products: [{ type: 'PING_TWO' }] } }), 'INVALID_VALUE', 'products[0].type');
      expectDetail(await h.inject('PUT', bom(env), { body: { products: [{ type: 'PING_ID' }, { type: 'PING_ID' }] } }), 'INVALID_VALUE', 'products[1].type');
      expectDetail(await h.inject('PUT', bom(env), { body: { products: [{ type: 'PING_ID', console: {} }] } }), 'REQUIRED_VALUE', 'products[0].console.href');
      expectDetail(await h.inject('PUT', bom(env), { body: { products: [{ type: 'PING_ID', console: { href: 'javascript:x' } }] } }), 'INVALID_VALUE', 'products[0].console.href');
      const six = Array.from({ length: 6 }, (_, i) => ({ name: `b${i}`, href: 'https://x.example' }));
      expectDetail(await h.inject('PUT', bom(env), { body: { products: [{ type: 'PING_ID', bookmarks: six }] } }), 'SIZE_LIMIT_EXCEEDED', 'products[0].bookmarks');
      const twins = [{ name: 'a', href: 'https://x.example' }, { name: 'a', href: 'https://y.example' }];
      expectDetail(await h.inject('PUT', bom(env), { body: { products: [{ type: 'PING_ID', bookmarks: twins }] } }), 'INVALID_VALUE', 'products[0].bookmarks[1].name');
      expectDetail(await h.inject('PUT', bom(env), { body: { solutionType: 'HOBBY', products: [] } }), 'INVALID_VALUE', 'solutionType');
      expectDetail(
        await h.inject('POST', '/v1/environments', { body: { name: 'Bad create BOM', region: 'NA', type: 'SANDBOX', license: { id: h.licenseId }, billOfMaterials: { products: [{ type: 'NOPE' }] } } }),
        'INVALID_VALUE',
        'billOfMaterials.products[0].type',
      );
      assert.deepEqual(expectStatus(await h.inject('GET', bom(env)), 200).body, before);
    });

    test('roles: Client Application Developer reads but may not replace it', async () => {
      const env = await createEnvironment(h, 'BOM roles');
      const app = await createApp(h, env, 'bom-developer');
      expectStatus(await assignRole(h, env, app.id, ROLES.clientApplicationDeveloper.id, { type: 'ENVIRONMENT', id: env }), 201);
      const token = await tokenFor(h, env, app);
      expectStatus(await h.inject('GET', bom(env), { token }), 200);
      expectForbidden(await h.inject('PUT', bom(env), { token, body: BOM }));
      expectStatus(await h.inject('GET', `/v1/environments/00000000-0000-4000-8000-000000000000/billOfMaterials`), 404);
    });
  });

  describe(`${engine}: PUT /v1/environments/{envId}/type`, () => {
    test('promotes SANDBOX to PRODUCTION (PingOne Environment); PRODUCTION to SANDBOX is 400 INVALID_DATA on type', async () => {
      const env = await createEnvironment(h, 'Promote me');
      const promoted = expectStatus(await h.inject('PUT', `/v1/environments/${env}/type`, { body: { type: 'PRODUCTION' } }), 200);
      expectSchema('Environment', promoted.body);
      assert.equal(promoted.body.type, 'PRODUCTION');
      assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${env}`), 200).body.type, 'PRODUCTION');
      expectStatus(await h.inject('PUT', `/v1/environments/${env}/type`, { body: { type: 'PRODUCTION' } }), 200);
      expectDetail(await h.inject('PUT', `/v1/environments/${env}/type`, { body: { type: 'SANDBOX' } }), 'INVALID_VALUE', 'type');
      assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${env}`), 200).body.type, 'PRODUCTION');
    });

    test('validation: type is required and one of PRODUCTION, SANDBOX', async () => {
      const env = await createEnvironment(h, 'Typeless');
      expectDetail(await h.inject('PUT', `/v1/environments/${env}/type`, { body: {} }), 'REQUIRED_VALUE', 'type');
      expectDetail(await h.inject('PUT', `/v1/environments/${env}/type`, { body: { type: 'STAGING' } }), 'INVALID_VALUE', 'type');
      assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${env}`), 200).body.type, 'SANDBOX');
    });

    test('roles: only Organization Admin promotes (PingOne lists "promote environment" under it); Environment Admin and Identity Data Admin are refused', async () => {
      const environmentAdmin = await createApp(h, h.adminEnvId, 'promoter');
      expectStatus(await assignRole(h, h.adminEnvId, environmentAdmin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: h.adminEnvId }), 201);
      const envAdminToken = await tokenFor(h, h.adminEnvId, environmentAdmin);
      expectForbidden(await h.inject('PUT', `/v1/environments/${h.adminEnvId}/type`, { token: envAdminToken, body: { type: 'PRODUCTION' } }));
      const env = await createEnvironment(h, 'Not promoted');
      const dataAdmin = await createApp(h, env, 'data-admin');
      expectStatus(await assignRole(h, env, dataAdmin.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
      expectForbidden(await h.inject('PUT', `/v1/environments/${env}/type`, { token: await tokenFor(h, env, dataAdmin), body: { type: 'PRODUCTION' } }));
      assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${env}`), 200).body.type, 'SANDBOX');
    });
  });
}

cases('SQLite', () => startInProcess());

if (await postgresAnswers('environment extras on PostgreSQL')) {
  cases(
    'PostgreSQL',
    async () => {
      await adminQuery(`CREATE SCHEMA ${schema}`);
      return startInProcess({ env: { KEYWAY_DATABASE_URL: schemaUrl(schema) } });
    },
    async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  );
}
