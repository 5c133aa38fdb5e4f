/**
 * Password policies through the management API (OpenAPI `PasswordPolicy`; developer.pingidentity.com,
 * "Password Policies"): every environment starts with Standard (the default), Passphrase and
 * Basic; exactly one is the default; the default and a policy a population uses cannot be
 * deleted (CONSTRAINT_VIOLATION); the effective policy (the population's, else the default)
 * decides which passwords are accepted and the sign-in lockout.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { verifyUserPassword } from '../../src/management/users/credentials.js';
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

let h: InProcess;
let env: string;
let base: string;
const clock = new Date('2026-03-01T09:00:00.000Z');

before(async () => {
  h = await startInProcess({ now: () => clock });
  env = await createEnvironment(h, 'password-policies-env');
  base = `/v1/environments/${env}/passwordPolicies`;
});
after(() => h.close());

const REQUIRED = { excludesCommonlyUsed: true, excludesProfileData: true, notSimilarToCurrent: false };
const list = async (envId = env) =>
  expectStatus(await h.inject('GET', `/v1/environments/${envId}/passwordPolicies`), 200).body._embedded.passwordPolicies as Array<Record<string, any>>;
const byName = async (name: string) => (await list()).find((p) => p.name === name) as Record<string, any>;

describe('password policies: built-in, create, read, replace, delete', () => {
  test('a new environment has Standard (default), Passphrase and Basic, each a PasswordPolicy', async () => {
    const policies = await list();
    assert.deepEqual(policies.map((p) => p.name).sort(), ['Basic', 'Passphrase', 'Standard']);
    for (const p of policies) expectSchema('PasswordPolicy', p);
    assert.deepEqual(policies.filter((p) => p.default).map((p) => p.name), ['Standard']);
    const standard = await byName('Standard');
    assert.deepEqual(standard.lockout, { failureCount: 5, durationSeconds: 900 });
    assert.deepEqual(standard.length, { min: 8, max: 255 });
    assert.equal(standard.populationCount, 0);
  });

  test('POST creates a policy; GET returns it with its ETag; a second default moves the flag', async () => {
    const body = { name: 'Strict', ...REQUIRED, length: { min: 12, max: 64 }, lockout: { failureCount: 3, durationSeconds: 60 } };
    const res = expectStatus(await h.inject('POST', base, { body }), 201);
    expectSchema('PasswordPolicy', res.body);
    assert.equal(res.headers.etag, '"1"');
    assert.equal(res.body.default, false);
    assert.deepEqual(expectStatus(await h.inject('GET', `${base}/${res.body.id}`), 200).body, res.body);
    const other = expectStatus(await h.inject('POST', base, { body: { name: 'Other', ...REQUIRED, default: true } }), 201);
    assert.deepEqual((await list()).filter((p) => p.default).map((p) => p.id), [other.body.id]);
    const standard = await byName('Standard');
    expectStatus(await h.inject('PUT', `${base}/${standard.id}`, { body: { ...standard, default: true } }), 200);
    assert.deepEqual((await list()).filter((p) => p.default).map((p) => p.name), ['Standard']);
    expectStatus(await h.inject('DELETE', `${base}/${other.body.id}`), 204);
    expectStatus(await h.inject('GET', `${base}/${other.body.id}`), 404);
  });

  test('bad bodies answer INVALID_DATA with a detail per field, and store nothing', async () => {
    const before = (await list()).length;
    expectDetail(await h.inject('POST', base, { body: { name: 'No flags' } }), 'REQUIRED_VALUE', 'excludesCommonlyUsed');
    expectDetail(await h.inject('POST', base, { body: { name: 'Short', ...REQUIRED, length: { min: 4 } } }), 'OUT_OF_RANGE', 'length.min');
    expectDetail(await h.inject('POST', base, { body: { name: 'Odd', ...REQUIRED, minCharacters: { xyz: 1 } } }), 'INVALID_VALUE', 'minCharacters.xyz');
    expectDetail(await h.inject('POST', base, { body: { name: 'Lock', ...REQUIRED, lockout: { failureCount: 0 } } }), 'OUT_OF_RANGE', 'lockout.failureCount');
    expectDetail(await h.inject('POST', base, { body: { name: 'Standard', ...REQUIRED } }), 'UNIQUENESS_VIOLATION', 'name');
    assert.equal((await list()).length, before);
  });

  test('the default cannot be deleted or unset; a policy a population uses cannot be deleted (CONSTRAINT_VIOLATION)', async () => {
    const standard = await byName('Standard');
    expectDetail(await h.inject('DELETE', `${base}/${standard.id}`), 'CONSTRAINT_VIOLATION', 'default');
    expectDetail(await h.inject('PUT', `${base}/${standard.id}`, { body: { ...standard, default: false } }), 'CONSTRAINT_VIOLATION', 'default');
    const basic = await byName('Basic');
    const population = expectStatus(
      await h.inject('POST', `/v1/environments/${env}/populations`, { body: { name: 'Basic users', passwordPolicy: { id: basic.id } } }),
      201,
    );
    assert.deepEqual(population.body.passwordPolicy, { id: basic.id });
    expectSchema('Population', population.body);
    assert.equal((await byName('Basic')).populationCount, 1);
    expectDetail(await h.inject('DELETE', `${base}/${basic.id}`), 'CONSTRAINT_VIOLATION', 'populationCount');
    const missing = { name: 'Nowhere', passwordPolicy: { id: '00000000-0000-4000-8000-000000000000' } };
    expectDetail(await h.inject('POST', `/v1/environments/${env}/populations`, { body: missing }), 'INVALID_VALUE', 'passwordPolicy.id');
  });

  test('policies of another environment are invisible (404)', async () => {
    const other = await createEnvironment(h, 'password-policies-other');
    const [foreign] = await list(other);
    expectStatus(await h.inject('GET', `${base}/${foreign?.id}`), 404);
    expectStatus(await h.inject('DELETE', `${base}/${foreign?.id}`), 404);
  });
});

describe('password policies: the effective policy decides passwords and lockout', () => {
  test('changing the default policy changes which passwords are accepted', async () => {
    const fresh = await createEnvironment(h, 'password-policies-rules');
    const users = `/v1/environments/${fresh}/users`;
    const create = (username: string, value: string) => h.inject('POST', users, { body: { username, email: `${username}@example.com`, password: { value } } });
    // Standard: one of each class; "lowercase-only-1" has no upper-case letter.
    expectDetail(await create('first', 'lowercase-only-1'), 'INVALID_VALUE', 'password.value');
    const [standard] = (await list(fresh)).filter((p) => p.default);
    const relaxed = { ...standard, minCharacters: { abcdefghijklmnopqrstuvwxyz: 1 }, length: { min: 10, max: 255 } };
    expectStatus(await h.inject('PUT', `/v1/environments/${fresh}/passwordPolicies/${standard?.id}`, { body: relaxed }), 200);
    expectStatus(await create('first', 'lowercase-only-1'), 201);
    expectDetail(await create('second', 'short-1'), 'INVALID_VALUE', 'password.value');
  });

  test("a population's own policy governs its users' passwords and lockout", async () => {
    const fresh = await createEnvironment(h, 'password-policies-lockout');
    const strict = { name: 'Two strikes', ...REQUIRED, length: { min: 8, max: 255 }, lockout: { failureCount: 2, durationSeconds: 60 } };
    const policy = expectStatus(await h.inject('POST', `/v1/environments/${fresh}/passwordPolicies`, { body: strict }), 201);
    const population = expectStatus(
      await h.inject('POST', `/v1/environments/${fresh}/populations`, { body: { name: 'Strict', passwordPolicy: { id: policy.body.id } } }),
      201,
    );
    const body = { username: 'strict-user', email: 'strict@example.com', population: { id: population.body.id }, password: { value: 'plainpassword' } };
    expectStatus(await h.inject('POST', `/v1/environments/${fresh}/users`, { body }), 201);
    // The default (Standard) would lock after 5 failures; this population's policy after 2.
    assert.deepEqual(await verifyUserPassword(h.app.store, fresh, 'strict-user', 'wrong-one', clock), { ok: false, reason: 'INVALID_CREDENTIALS' });
    assert.deepEqual(await verifyUserPassword(h.app.store, fresh, 'strict-user', 'wrong-two', clock), { ok: false, reason: 'LOCKED' });
    const later = new Date(clock.getTime() + 61_000);
    assert.equal((await verifyUserPassword(h.app.store, fresh, 'strict-user', 'plainpassword', later)).ok, true);
  });
});

describe('password policies: role checks', () => {
  test('Identity Data Admin reads and writes; Environment Admin reads only; Client Application Developer neither', async () => {
    const roleEnv = h.adminEnvId;
    const url = `/v1/environments/${roleEnv}/passwordPolicies`;
    const tokenWith = async (name: string, roleId: string) => {
      const app = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, app.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, app);
    };
    const admin = await tokenWith('pp-data-admin', ROLES.identityDataAdmin.id);
    const data = await tokenWith('pp-env-admin', ROLES.environmentAdmin.id);
    const developer = await tokenWith('pp-developer', ROLES.clientApplicationDeveloper.id);
    const created = expectStatus(await h.inject('POST', url, { token: admin, body: { name: 'By admin', ...REQUIRED } }), 201);
    expectStatus(await h.inject('GET', url, { token: data }), 200);
    expectStatus(await h.inject('GET', `${url}/${created.body.id}`, { token: data }), 200);
    expectForbidden(await h.inject('POST', url, { token: data, body: { name: 'By data admin', ...REQUIRED } }));
    expectForbidden(await h.inject('DELETE', `${url}/${created.body.id}`, { token: data }));
    expectForbidden(await h.inject('GET', url, { token: developer }));
    expectForbidden(await h.inject('PUT', `${url}/${created.body.id}`, { token: developer, body: { name: 'x', ...REQUIRED } }));
    expectStatus(await h.inject('DELETE', `${url}/${created.body.id}`, { token: admin }), 204);
  });
});
