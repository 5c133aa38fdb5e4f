/**
 * Environments through the management API, in-process: creation with its seed, validation,
 * uniqueness, replacement, and deletion making everything in the environment unreachable.
 */
import { before, after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  createApp,
  createEnvironment,
  expectDetail,
  expectSchema,
  expectStatus,
  jwtPayload,
  startInProcess,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
before(async () => {
  h = await startInProcess();
});
after(() => h.close());

describe('environments', () => {
  test('a new environment has PingOne fields, a signing key, the openid and PingOne API resources', async () => {
    const res = expectStatus(
      await h.inject('POST', '/v1/environments', { body: { name: 'Seeded', description: 'd', region: 'EU', type: 'SANDBOX', license: { id: h.licenseId } } }),
      201,
    );
    const env = res.body;
    expectSchema('Environment', env);
    assert.equal(env.name, 'Seeded');
    assert.equal(env.region, 'EU');
    assert.equal(env.type, 'SANDBOX');
    assert.equal(env.status, 'ACTIVE');
    assert.deepEqual(env.organization, { id: h.organizationId });
    assert.equal(env._links.self.href, `${h.publicUrl}/v1/environments/${env.id}`);

    const resources = expectStatus(await h.inject('GET', `/v1/environments/${env.id}/resources`), 200).body._embedded.resources as Array<{
      id: string;
      name: string;
      type: string;
    }>;
    const byType = new Map(resources.map((r) => [r.type, r]));
    assert.ok(byType.has('PINGONE_API'));
    const openid = byType.get('OPENID_CONNECT');
    assert.ok(openid);
    const scopes = expectStatus(await h.inject('GET', `/v1/environments/${env.id}/resources/${openid.id}/scopes`), 200).body._embedded
      .scopes as Array<{ name: string }>;
    assert.deepEqual(scopes.map((s) => s.name).sort(), ['address', 'email', 'offline_access', 'openid', 'phone', 'profile']);

    const jwks = (await h.app.server.inject({ method: 'GET', url: `/${env.id}/as/jwks` })).json() as { keys: Array<Record<string, unknown>> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.kty, 'RSA');
    assert.equal(jwks.keys[0]?.alg, 'RS256');
    assert.equal('d' in (jwks.keys[0] ?? {}), false, 'no private member is published');
    assert.equal(Buffer.from(jwks.keys[0]?.n as string, 'base64url').length * 8, 2048);
  });

  test('validation: required fields, enums, unknown license, duplicate names', async () => {
    expectDetail(await h.inject('POST', '/v1/environments', { body: { region: 'NA', type: 'SANDBOX' } }), 'REQUIRED_VALUE', 'name');
    expectDetail(await h.inject('POST', '/v1/environments', { body: { name: 'x', region: 'MARS', type: 'SANDBOX' } }), 'INVALID_VALUE', 'region');
    expectDetail(await h.inject('POST', '/v1/environments', { body: { name: 'x', region: 'NA', type: 'DEV' } }), 'INVALID_VALUE', 'type');
    expectDetail(
      await h.inject('POST', '/v1/environments', {
        body: { name: 'x', region: 'NA', type: 'SANDBOX', license: { id: '00000000-0000-4000-8000-000000000000' } },
      }),
      'INVALID_VALUE',
      'license.id',
    );
    await createEnvironment(h, 'Unique');
    expectDetail(
      await h.inject('POST', '/v1/environments', { body: { name: 'Unique', region: 'NA', type: 'SANDBOX', license: { id: h.licenseId } } }),
      'UNIQUENESS_VIOLATION',
      'name',
    );
    const names = (expectStatus(await h.inject('GET', '/v1/environments'), 200).body._embedded.environments as Array<{ name: string }>).map((e) => e.name);
    assert.equal(names.filter((n) => n === 'Unique').length, 1);
    assert.equal(names.includes('x'), false, 'failed creations stored nothing');
  });

  test('PUT replaces; a PRODUCTION environment cannot become a SANDBOX', async () => {
    const id = await createEnvironment(h, 'Replace me');
    const res = expectStatus(await h.inject('PUT', `/v1/environments/${id}`, { body: { name: 'Replaced', region: 'CA', type: 'PRODUCTION' } }), 200);
    assert.equal(res.body.name, 'Replaced');
    assert.equal(res.body.type, 'PRODUCTION');
    expectDetail(await h.inject('PUT', `/v1/environments/${id}`, { body: { name: 'Replaced', region: 'CA', type: 'SANDBOX' } }), 'INVALID_VALUE', 'type');
  });

  test('deleting an environment makes everything in it unreachable', async () => {
    const id = await createEnvironment(h, 'Doomed');
    const worker = await createApp(h, id, 'doomed-worker');
    const grantTarget = expectStatus(
      await h.inject('POST', `/v1/environments/${id}/resources`, { body: { name: 'api', audience: 'https://api.doomed.example' } }),
      201,
    ).body.id as string;
    const scope = expectStatus(await h.inject('POST', `/v1/environments/${id}/resources/${grantTarget}/scopes`, { body: { name: 'read' } }), 201)
      .body.id as string;
    expectStatus(
      await h.inject('POST', `/v1/environments/${id}/applications/${worker.id}/grants`, {
        body: { resource: { id: grantTarget }, scopes: [{ id: scope }] },
      }),
      201,
    );
    const issued = expectStatus(await h.clientCredentials(id, worker.id, worker.secret), 200);
    assert.deepEqual(jwtPayload(issued.body.access_token as string).aud, ['https://api.doomed.example']);

    expectStatus(await h.inject('DELETE', `/v1/environments/${id}`), 204);
    expectStatus(await h.inject('GET', `/v1/environments/${id}`), 404);
    expectStatus(await h.inject('GET', `/v1/environments/${id}/applications/${worker.id}`), 404);
    expectStatus(await h.inject('GET', `/v1/environments/${id}/resources`), 404);
    assert.equal((await h.clientCredentials(id, worker.id, worker.secret)).status, 404);
    assert.equal((await h.app.server.inject({ method: 'GET', url: `/${id}/as/jwks` })).statusCode, 404);
  });

  test('the environment holding the caller cannot be deleted by it', async () => {
    const res = await h.inject('DELETE', `/v1/environments/${h.adminEnvId}`);
    expectDetail(res, 'CONSTRAINT_VIOLATION', 'id');
    expectStatus(await h.inject('GET', `/v1/environments/${h.adminEnvId}`), 200);
  });
});
