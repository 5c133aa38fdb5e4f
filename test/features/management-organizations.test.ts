/**
 * The organization and its license (`GET /v1/organizations[/{orgId}]`,
 * `GET .../licenses[/{licenseId}]`), checked against PingOne's `Organization` and `License`
 * schemas, with their role checks; and `POST /v1/environments` requiring `license.id`, as
 * PingOne's `Environment` schema does.
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

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const schema = scratchSchemaName('keyway_orgs');

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

  describe(`${engine}: organizations and licenses`, () => {
    test('GET /v1/organizations lists the one organization; GET by id reads it (PingOne Organization)', async () => {
      const list = expectStatus(await h.inject('GET', '/v1/organizations'), 200).body;
      assert.equal(list.count, 1);
      assert.equal(list.size, 1);
      const [listed] = list._embedded.organizations;
      expectSchema('Organization', listed);
      assert.equal(listed.id, h.organizationId);
      const one = expectStatus(await h.inject('GET', `/v1/organizations/${h.organizationId}`), 200).body;
      expectSchema('Organization', one);
      assert.deepEqual(one, listed);
      assert.equal(one._links.self.href, `${h.publicUrl}/v1/organizations/${h.organizationId}`);
      assert.equal(one.name, 'Keyway');
      assert.equal(one.type, 'INTERNAL');
    });

    test('the license lists and reads by id (PingOne License), counting the environments that hold it', async () => {
      await createEnvironment(h, 'Licensed');
      const list = expectStatus(await h.inject('GET', `/v1/organizations/${h.organizationId}/licenses`), 200).body;
      assert.equal(list.count, 1);
      const [listed] = list._embedded.licenses;
      expectSchema('License', listed);
      assert.equal(listed.id, h.licenseId);
      const one = expectStatus(await h.inject('GET', `/v1/organizations/${h.organizationId}/licenses/${h.licenseId}`), 200).body;
      expectSchema('License', one);
      assert.equal(one.organization.id, h.organizationId);
      assert.equal(one.status, 'ACTIVE');
      const environments = expectStatus(await h.inject('GET', '/v1/environments'), 200).body.count as number;
      assert.equal(one.assignedEnvironmentsCount, environments);
      assert.ok(environments >= 2);
    });

    test("an environment's organization and license links resolve", async () => {
      const env = expectStatus(await h.inject('GET', `/v1/environments/${h.adminEnvId}`), 200).body;
      for (const link of ['organization', 'license']) {
        const href = env._links[link].href as string;
        expectStatus(await h.inject('GET', href.slice(h.publicUrl.length)), 200);
      }
      assert.equal(env.license.id, h.licenseId);
    });

    test('unknown organization and license ids are 404 NOT_FOUND', async () => {
      for (const path of [
        `/v1/organizations/${UNKNOWN}`,
        `/v1/organizations/${UNKNOWN}/licenses`,
        `/v1/organizations/${UNKNOWN}/licenses/${h.licenseId}`,
        `/v1/organizations/${h.organizationId}/licenses/${UNKNOWN}`,
        `/v1/organizations/not-a-uuid`,
      ]) {
        assert.equal(expectStatus(await h.inject('GET', path), 404).body.code, 'NOT_FOUND', path);
      }
    });

    test('roles: Environment Admin reads both; Client Application Developer and Identity Data Admin are refused', async () => {
      const environmentAdmin = await createApp(h, h.adminEnvId, 'org-reader');
      expectStatus(await assignRole(h, h.adminEnvId, environmentAdmin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: h.adminEnvId }), 201);
      const allowed = await tokenFor(h, h.adminEnvId, environmentAdmin);
      const env = await createEnvironment(h, 'Org roles');
      const others = [];
      for (const role of [ROLES.clientApplicationDeveloper, ROLES.identityDataAdmin]) {
        const app = await createApp(h, env, `org-${role.name}`);
        expectStatus(await assignRole(h, env, app.id, role.id, { type: 'ENVIRONMENT', id: env }), 201);
        others.push(await tokenFor(h, env, app));
      }
      const paths = [
        '/v1/organizations',
        `/v1/organizations/${h.organizationId}`,
        `/v1/organizations/${h.organizationId}/licenses`,
        `/v1/organizations/${h.organizationId}/licenses/${h.licenseId}`,
      ];
      for (const path of paths) {
        expectStatus(await h.inject('GET', path, { token: allowed }), 200);
        for (const token of others) expectForbidden(await h.inject('GET', path, { token }));
      }
    });
  });

  describe(`${engine}: POST /v1/environments requires license.id (PingOne Environment schema: required license)`, () => {
    test('without license it is 400 REQUIRED_VALUE on license.id and nothing is stored', async () => {
      expectDetail(await h.inject('POST', '/v1/environments', { body: { name: 'No license', region: 'NA', type: 'SANDBOX' } }), 'REQUIRED_VALUE', 'license.id');
      expectDetail(
        await h.inject('POST', '/v1/environments', { body: { name: 'No license', region: 'NA', type: 'SANDBOX', license: {} } }),
        'INVALID_VALUE',
        'license.id',
      );
      expectDetail(
        await h.inject('POST', '/v1/environments', { body: { name: 'No license', region: 'NA', type: 'SANDBOX', license: { id: UNKNOWN } } }),
        'INVALID_VALUE',
        'license.id',
      );
      const names = (expectStatus(await h.inject('GET', '/v1/environments'), 200).body._embedded.environments as Array<{ name: string }>).map((e) => e.name);
      assert.equal(names.includes('No license'), false);
    });

    test("with the organization's license it is created and names it", async () => {
      const res = expectStatus(
        await h.inject('POST', '/v1/environments', { body: { name: 'With license', region: 'NA', type: 'SANDBOX', license: { id: h.licenseId } } }),
        201,
      );
      expectSchema('Environment', res.body);
      assert.equal(res.body.license.id, h.licenseId);
    });
  });
}

cases('SQLite', () => startInProcess());

if (await postgresAnswers('organizations and licenses on PostgreSQL')) {
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
