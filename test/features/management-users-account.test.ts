/**
 * The user's `enabled` and `population` sub-resources (OpenAPI `readUserEnabled`,
 * `updateUserEnabled`, `readUserPopulation`, `updateUserPopulation`; schemas `UserEnabled`,
 * `UserPopulation`) and the account operations (OpenAPI `userAccount`, `POST …/users/{id}` with
 * `application/vnd.pingidentity.account.unlock+json` or `…account.lock+json`, answering `User`),
 * with validation and role checks; every refused request changes nothing.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { verifyUserPassword } from '../../src/management/users/credentials.js';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  createApp,
  createEnvironment,
  createUser,
  expectDetail,
  expectForbidden,
  expectSchema,
  expectStatus,
  startInProcess,
  tokenFor,
  type InProcess,
} from '../support/harness.js';

const UNLOCK = 'application/vnd.pingidentity.account.unlock+json';
const LOCK = 'application/vnd.pingidentity.account.lock+json';
const GOOD = 'Correct-Horse-7';

let clock = new Date('2026-04-01T09:00:00.000Z');
let h: InProcess;
let env: string;
let base: string;

before(async () => {
  h = await startInProcess({ now: () => clock });
  env = await createEnvironment(h, 'account-env');
  base = `/v1/environments/${env}/users`;
});
after(() => h.close());

const newUser = (username: string, extra: Record<string, unknown> = {}): Promise<string> => createUser(h, env, username, extra);
const stored = (id: string) => h.app.store.getUser(env, id);

async function newPopulation(name: string, envId = env): Promise<string> {
  return expectStatus(await h.inject('POST', `/v1/environments/${envId}/populations`, { body: { name } }), 201).body.id as string;
}

describe('PUT/GET …/users/{id}/enabled', () => {
  test('disables and enables a user; the answer is UserEnabled with its links; a disabled user cannot sign in', async () => {
    const id = await newUser('toggle', { password: { value: GOOD } });
    const read = expectStatus(await h.inject('GET', `${base}/${id}/enabled`), 200).body;
    expectSchema('UserEnabled', read);
    assert.deepEqual(read, {
      _links: { self: { href: `${h.publicUrl}${base}/${id}/enabled` }, user: { href: `${h.publicUrl}${base}/${id}` } },
      enabled: true,
    });
    const off = expectStatus(await h.inject('PUT', `${base}/${id}/enabled`, { body: { enabled: false } }), 200).body;
    expectSchema('UserEnabled', off);
    assert.equal(off.enabled, false);
    const user = expectStatus(await h.inject('GET', `${base}/${id}`), 200).body;
    assert.equal(user.enabled, false);
    assert.deepEqual(user.account, { canAuthenticate: false, status: 'OK' });
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'toggle', GOOD, clock), { ok: false, reason: 'DISABLED' });
    expectStatus(await h.inject('PUT', `${base}/${id}/enabled`, { body: { enabled: true } }), 200);
    assert.equal((await verifyUserPassword(h.app.store, env, 'toggle', GOOD, clock)).ok, true);
  });

  for (const [what, body, code] of [
    ['no enabled', {}, 'REQUIRED_VALUE'],
    ['a string', { enabled: 'false' }, 'INVALID_VALUE'],
    ['null', { enabled: null }, 'REQUIRED_VALUE'],
  ] as const) {
    test(`a body with ${what} is 400 ${code} on enabled and changes nothing`, async () => {
      const id = await newUser(`bad-enabled-${what.replace(/\W/g, '')}`);
      const before = await stored(id);
      expectDetail(await h.inject('PUT', `${base}/${id}/enabled`, { body }), code, 'enabled');
      assert.deepEqual(await stored(id), before);
    });
  }
});

describe('PUT/GET …/users/{id}/population', () => {
  test('moves a user to another population of its environment; the answer is UserPopulation', async () => {
    const id = await newUser('mover');
    const target = await newPopulation('Contractors');
    const read = expectStatus(await h.inject('GET', `${base}/${id}/population`), 200).body;
    expectSchema('UserPopulation', read);
    assert.notEqual(read.id, target);
    const moved = expectStatus(await h.inject('PUT', `${base}/${id}/population`, { body: { id: target } }), 200).body;
    expectSchema('UserPopulation', moved);
    assert.deepEqual(moved, {
      _links: {
        self: { href: `${h.publicUrl}${base}/${id}/population` },
        user: { href: `${h.publicUrl}${base}/${id}` },
        population: { href: `${h.publicUrl}/v1/environments/${env}/populations/${target}` },
      },
      id: target,
    });
    assert.deepEqual(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.population, { id: target });
  });

  test('a missing id, an unknown population or one of another environment is 400 on id and changes nothing', async () => {
    const id = await newUser('stayer');
    const other = await createEnvironment(h, 'account-other');
    const foreign = await newPopulation('Elsewhere', other);
    const before = await stored(id);
    expectDetail(await h.inject('PUT', `${base}/${id}/population`, { body: {} }), 'REQUIRED_VALUE', 'id');
    expectDetail(await h.inject('PUT', `${base}/${id}/population`, { body: { id: 'e3c1b8f2-0000-4000-8000-000000000000' } }), 'INVALID_VALUE', 'id');
    expectDetail(await h.inject('PUT', `${base}/${id}/population`, { body: { id: foreign } }), 'INVALID_VALUE', 'id');
    assert.deepEqual(await stored(id), before);
  });
});

describe('POST …/users/{id} account.unlock+json', () => {
  test('ends a lockout: account.status LOCKED becomes OK and the right password signs in again', async () => {
    const id = await newUser('locked-out', { password: { value: GOOD } });
    for (let i = 0; i < 5; i++) await verifyUserPassword(h.app.store, env, 'locked-out', 'Wrong-pass-1', clock);
    assert.equal(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account.status, 'LOCKED');
    const res = expectStatus(await h.inject('POST', `${base}/${id}`, { headers: { 'content-type': UNLOCK } }), 200);
    expectSchema('User', res.body);
    assert.deepEqual(res.body.account, { canAuthenticate: true, status: 'OK' });
    assert.deepEqual((await stored(id))?.signIn, { failedAttempts: 0 });
    assert.equal((await verifyUserPassword(h.app.store, env, 'locked-out', GOOD, clock)).ok, true);
  });

  test('any other media type is a 415 that unlocks nothing', async () => {
    const id = await newUser('still-locked', { password: { value: GOOD } });
    for (let i = 0; i < 5; i++) await verifyUserPassword(h.app.store, env, 'still-locked', 'Wrong-pass-1', clock);
    for (const type of ['application/json', 'application/vnd.pingidentity.password.check+json']) {
      const res = expectStatus(await h.inject('POST', `${base}/${id}`, { body: {}, headers: { 'content-type': type } }), 415);
      assert.equal(res.body.code, 'INVALID_REQUEST');
    }
    assert.equal(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account.status, 'LOCKED');
  });
});

describe('POST …/users/{id} account.lock+json', () => {
  test('locks until unlocked: account LOCKED without unlockAt (OpenAPI UserAccount), every password refused, no failure counted, the lock outlasts any lockout window', async () => {
    const id = await newUser('admin-locked', { password: { value: GOOD } });
    const res = expectStatus(await h.inject('POST', `${base}/${id}`, { headers: { 'content-type': LOCK } }), 200);
    expectSchema('User', res.body);
    assert.deepEqual(res.body.account, { canAuthenticate: false, status: 'LOCKED' });
    assert.equal(res.headers.etag, `"${(await stored(id))?.version}"`);
    assert.deepEqual(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account, { canAuthenticate: false, status: 'LOCKED' });
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'admin-locked', GOOD, clock), { ok: false, reason: 'LOCKED' });
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'admin-locked', 'Wrong-pass-1', clock), { ok: false, reason: 'LOCKED' });
    assert.equal((await stored(id))?.signIn.failedAttempts, 0);
    const password = expectStatus(await h.inject('GET', `${base}/${id}/password`), 200).body;
    assert.equal(password.status, 'PASSWORD_LOCKED_OUT');
    const later = new Date(clock.getTime() + 10 * 365 * 86_400_000);
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'admin-locked', GOOD, later), { ok: false, reason: 'LOCKED' }, 'ten years on');
    const unlocked = expectStatus(await h.inject('POST', `${base}/${id}`, { headers: { 'content-type': UNLOCK } }), 200);
    assert.deepEqual(unlocked.body.account, { canAuthenticate: true, status: 'OK' });
    assert.equal((await verifyUserPassword(h.app.store, env, 'admin-locked', GOOD, clock)).ok, true);
  });

  test('locking a locked-out account turns the lockout into a lock without end; an unknown user is 404', async () => {
    const id = await newUser('lock-after-lockout', { password: { value: GOOD } });
    for (let i = 0; i < 5; i++) await verifyUserPassword(h.app.store, env, 'lock-after-lockout', 'Wrong-pass-1', clock);
    assert.ok(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account.unlockAt);
    const res = expectStatus(await h.inject('POST', `${base}/${id}`, { body: {}, headers: { 'content-type': LOCK } }), 200);
    assert.deepEqual(res.body.account, { canAuthenticate: false, status: 'LOCKED' });
    expectStatus(await h.inject('POST', `${base}/00000000-0000-4000-8000-000000000000`, { headers: { 'content-type': LOCK } }), 404);
  });
});

describe('role checks', () => {
  // On the administrators' environment, where the bootstrap worker holds every role and may give them.
  test('Identity Data Admin reads and writes; Environment Admin (populations:read only) gets 403 for each; other environments 404', async () => {
    const adminBase = `/v1/environments/${h.adminEnvId}/users`;
    const id = expectStatus(await h.inject('POST', adminBase, { body: { username: 'guarded', email: 'guarded@example.com' } }), 201).body.id;
    const target = await newPopulation('Guarded', h.adminEnvId);
    const admin = await createApp(h, h.adminEnvId, 'account-ida');
    expectStatus(await assignRole(h, h.adminEnvId, admin.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: h.adminEnvId }), 201);
    const idaToken = await tokenFor(h, h.adminEnvId, admin);
    const dev = await createApp(h, h.adminEnvId, 'account-envadmin');
    expectStatus(await assignRole(h, h.adminEnvId, dev.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: h.adminEnvId }), 201);
    const devToken = await tokenFor(h, h.adminEnvId, dev);

    expectStatus(await h.inject('GET', `${adminBase}/${id}/enabled`, { token: idaToken }), 200);
    expectStatus(await h.inject('PUT', `${adminBase}/${id}/enabled`, { token: idaToken, body: { enabled: false } }), 200);
    expectStatus(await h.inject('GET', `${adminBase}/${id}/population`, { token: idaToken }), 200);
    expectStatus(await h.inject('PUT', `${adminBase}/${id}/population`, { token: idaToken, body: { id: target } }), 200);
    expectStatus(await h.inject('POST', `${adminBase}/${id}`, { token: idaToken, headers: { 'content-type': LOCK } }), 200);
    expectStatus(await h.inject('POST', `${adminBase}/${id}`, { token: idaToken, headers: { 'content-type': UNLOCK } }), 200);

    const before = await h.app.store.getUser(h.adminEnvId, id);
    expectForbidden(await h.inject('GET', `${adminBase}/${id}/enabled`, { token: devToken }));
    expectForbidden(await h.inject('PUT', `${adminBase}/${id}/enabled`, { token: devToken, body: { enabled: true } }));
    expectForbidden(await h.inject('GET', `${adminBase}/${id}/population`, { token: devToken }));
    expectForbidden(await h.inject('PUT', `${adminBase}/${id}/population`, { token: devToken, body: { id: target } }));
    expectForbidden(await h.inject('POST', `${adminBase}/${id}`, { token: devToken, headers: { 'content-type': UNLOCK } }));
    expectForbidden(await h.inject('POST', `${adminBase}/${id}`, { token: devToken, headers: { 'content-type': LOCK } }));
    assert.deepEqual(await h.app.store.getUser(h.adminEnvId, id), before);
  });

  test('a user of another environment is 404 on each operation', async () => {
    const other = await createEnvironment(h, 'account-ids');
    const target = await newPopulation('Home');
    const foreign = expectStatus(await h.inject('POST', `/v1/environments/${other}/users`, { body: { username: 'f', email: 'f@example.com' } }), 201).body.id;
    expectStatus(await h.inject('GET', `${base}/${foreign}/enabled`), 404);
    expectStatus(await h.inject('PUT', `${base}/${foreign}/enabled`, { body: { enabled: false } }), 404);
    expectStatus(await h.inject('GET', `${base}/${foreign}/population`), 404);
    expectStatus(await h.inject('PUT', `${base}/${foreign}/population`, { body: { id: target } }), 404);
    expectStatus(await h.inject('POST', `${base}/${foreign}`, { headers: { 'content-type': UNLOCK } }), 404);
    expectStatus(await h.inject('POST', `${base}/${foreign}`, { headers: { 'content-type': LOCK } }), 404);
    assert.equal((await h.app.store.getUser(other, foreign))?.enabled, true);
    assert.deepEqual((await h.app.store.getUser(other, foreign))?.signIn, { failedAttempts: 0 });
  });
});
