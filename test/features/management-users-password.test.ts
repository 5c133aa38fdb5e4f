/**
 * User passwords through the management API (docs/pingone-reference.md §5.3): set on create or
 * with `PUT …/users/{id}/password` (`application/vnd.pingidentity.password.set+json` only),
 * checked against the password policy, stored as scrypt, never returned; `GET …/password` tells
 * the state. Lockout (5 failures, 15 minutes) through `verifyUserPassword` on a movable clock.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { verifyUserPassword } from '../../src/management/users/credentials.js';
import { createEnvironment, createUser, expectDetail, expectSchema, expectStatus, startInProcess, type InProcess, type Reply } from '../support/harness.js';

const PASSWORD_SET = 'application/vnd.pingidentity.password.set+json';
const GOOD = 'Correct-Horse-7';

let clock = new Date('2026-03-01T09:00:00.000Z');
let h: InProcess;
let env: string;
let base: string;

before(async () => {
  h = await startInProcess({ now: () => clock });
  env = await createEnvironment(h, 'passwords-env');
  base = `/v1/environments/${env}/users`;
});
after(() => h.close());

const newUser = (username: string, extra: Record<string, unknown> = {}): Promise<string> => createUser(h, env, username, extra);

const setPassword = (id: string, body: unknown, contentType = PASSWORD_SET) =>
  h.inject('PUT', `${base}/${id}/password`, { body, headers: { 'content-type': contentType } });
const state = async (id: string) => expectStatus(await h.inject('GET', `${base}/${id}/password`), 200).body as Record<string, unknown>;
const storedUser = (id: string) => h.app.store.getUser(env, id);

/** No response may carry the password or its hash. */
function assertNoSecret(reply: Reply, password: string): void {
  const text = JSON.stringify(reply.body);
  assert.ok(!text.includes(password), 'the password is never returned');
  assert.ok(!text.includes('scrypt$'), 'the hash is never returned');
  assert.equal(reply.body?.password, undefined);
}

describe('setting passwords', () => {
  test('a password given on create is stored as scrypt and never returned', async () => {
    const res = expectStatus(await h.inject('POST', base, { body: { username: 'with-pw', email: 'w@example.com', password: { value: GOOD } } }), 201);
    expectSchema('User', res.body);
    assertNoSecret(res, GOOD);
    assertNoSecret(expectStatus(await h.inject('GET', `${base}/${res.body.id}`), 200), GOOD);
    assertNoSecret(expectStatus(await h.inject('GET', base), 200), GOOD);
    const hash = (await storedUser(res.body.id))?.password?.hash ?? '';
    assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await state(res.body.id), {
      _links: {
        self: { href: `${h.publicUrl}${base}/${res.body.id}/password` },
        user: { href: `${h.publicUrl}${base}/${res.body.id}` },
        environment: { href: `${h.publicUrl}/v1/environments/${env}` },
      },
      environment: { id: env },
      user: { id: res.body.id },
      status: 'OK',
      lastChangedAt: clock.toISOString(),
    });
  });

  test('a user created without a password has none; forceChange shows as MUST_CHANGE_PASSWORD', async () => {
    const id = await newUser('no-pw');
    assert.equal((await state(id)).status, 'NO_PASSWORD');
    assert.equal((await state(id)).lastChangedAt, undefined);
    const forced = expectStatus(await h.inject('POST', base, { body: { username: 'forced', email: 'f@example.com', password: { value: GOOD, forceChange: true } } }), 201);
    assert.equal((await state(forced.body.id)).status, 'MUST_CHANGE_PASSWORD');
  });

  test('PUT …/password with the vendor media type sets it; the answer is the state, without the password', async () => {
    const id = await newUser('set-later');
    const res = expectStatus(await setPassword(id, { value: GOOD, forceChange: false }), 200);
    assertNoSecret(res, GOOD);
    assert.equal(res.body.status, 'OK');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.deepEqual(await state(id), res.body);
    assert.equal((await verifyUserPassword(h.app.store, env, 'SET-LATER', GOOD, clock)).ok, true, 'usernames match in any case');
  });

  for (const type of ['application/json', 'text/plain', 'application/vnd.pingidentity.password.recover+json']) {
    test(`PUT …/password as ${type} is a 415 that changes nothing`, async () => {
      const id = await newUser(`type-${type.replace(/[^a-z]/g, '')}`);
      const res = expectStatus(await setPassword(id, type === 'text/plain' ? GOOD : { value: GOOD }, type), 415);
      assert.equal(res.body.code, 'INVALID_REQUEST');
      assert.equal((await state(id)).status, 'NO_PASSWORD');
    });
  }
});

describe('password policy (each refused request changes nothing)', () => {
  const refused: Array<[string, unknown, string, string]> = [
    ['no value', { forceChange: true }, 'REQUIRED_VALUE', 'value'],
    ['7 characters', { value: 'Abcde1!' }, 'INVALID_VALUE', 'value'],
    ['256 characters', { value: `Aa1${'x'.repeat(253)}` }, 'INVALID_VALUE', 'value'],
    ['no upper-case letter or special character', { value: 'abcdefgh12345' }, 'INVALID_VALUE', 'value'],
    ['a character 3 times in a row', { value: 'Abc-1111xyz' }, 'INVALID_VALUE', 'value'],
    ['fewer than 5 different characters', { value: 'Aa1-Aa1-' }, 'INVALID_VALUE', 'value'],
    ['the username in another case', { value: 'Policy.User-1' }, 'INVALID_VALUE', 'value'],
    ['a control character', { value: 'Abc-123\n456' }, 'INVALID_VALUE', 'value'],
    ['U+0000', { value: 'Abc-123\u0000456' }, 'INVALID_VALUE', 'value'],
    ['a pre-encoded value', { value: '{SSHA512}Abc123xyzQQ' }, 'INVALID_VALUE', 'value'],
    ['a non-boolean forceChange', { value: GOOD, forceChange: 'no' }, 'INVALID_VALUE', 'forceChange'],
  ];
  let id: string;
  before(async () => {
    id = await newUser('policy.user-1');
    expectStatus(await setPassword(id, { value: GOOD }), 200);
  });
  for (const [what, body, code, target] of refused) {
    test(`a password with ${what}: ${code} on ${target}`, async () => {
      const before = await storedUser(id);
      const res = expectDetail(await setPassword(id, body), code, target);
      assert.ok(typeof res.message === 'string' && res.message.length > 0);
      assert.deepEqual(await storedUser(id), before);
    });
  }

  test("255 characters meeting the default policy (Standard) are accepted", async () => {
    expectStatus(await setPassword(id, { value: `Aa1-${'xy'.repeat(125)}z` }), 200);
  });

  test('a weak password on create refuses the whole user', async () => {
    const res = await h.inject('POST', base, { body: { username: 'weak', email: 'weak@example.com', password: { value: 'weak' } } });
    expectDetail(res, 'INVALID_VALUE', 'password.value');
    expectDetail(await h.inject('POST', base, { body: { username: 'weak', email: 'weak@example.com', password: 'Str0ng-but-flat' } }), 'INVALID_VALUE', 'password');
    const found = expectStatus(await h.inject('GET', `${base}?filter=${encodeURIComponent('username eq "weak"')}`), 200);
    assert.equal(found.body.count, 0);
  });
});

describe('lockout: 5 consecutive failures lock the account for 15 minutes', () => {
  test('locks on the 5th failure, refuses even the right password while locked, unlocks after the window', async () => {
    const id = await newUser('lockable', { password: { value: GOOD } });
    for (let i = 1; i <= 4; i++) assert.deepEqual(await verifyUserPassword(h.app.store, env, 'lockable', 'Wrong-pass-1', clock), { ok: false, reason: 'INVALID_CREDENTIALS' });
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'lockable', 'Wrong-pass-1', clock), { ok: false, reason: 'LOCKED' });
    const locked = expectStatus(await h.inject('GET', `${base}/${id}`), 200).body;
    expectSchema('User', locked);
    const unlockAt = new Date(clock.getTime() + 15 * 60_000).toISOString();
    assert.deepEqual(locked.account, { canAuthenticate: false, status: 'LOCKED', unlockAt, secondsUntilUnlock: 900 });
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'lockable', GOOD, clock), { ok: false, reason: 'LOCKED' });

    clock = new Date(clock.getTime() + 15 * 60_000);
    assert.deepEqual(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account, { canAuthenticate: true, status: 'OK' });
    const ok = await verifyUserPassword(h.app.store, env, 'lockable', GOOD, clock);
    assert.ok(ok.ok && ok.user.id === id);
    assert.deepEqual((await storedUser(id))?.signIn, { failedAttempts: 0 }, 'success resets the count');
  });

  test('a success in between resets the count', async () => {
    await newUser('resettable', { password: { value: GOOD } });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) await verifyUserPassword(h.app.store, env, 'resettable', 'Wrong-pass-1', clock);
      assert.equal((await verifyUserPassword(h.app.store, env, 'resettable', GOOD, clock)).ok, true);
    }
  });

  test('an unknown username is never reported differently from a wrong password, and never locks', async () => {
    for (let i = 0; i < 7; i++) {
      assert.deepEqual(await verifyUserPassword(h.app.store, env, 'nobody-here', GOOD, clock), { ok: false, reason: 'INVALID_CREDENTIALS' });
    }
  });

  test('setting the password as an administrator unlocks the account', async () => {
    const id = await newUser('admin-unlocked', { password: { value: GOOD } });
    for (let i = 0; i < 5; i++) await verifyUserPassword(h.app.store, env, 'admin-unlocked', 'Wrong-pass-1', clock);
    assert.equal(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account.status, 'LOCKED');
    expectStatus(await setPassword(id, { value: 'Another-Pass-8' }), 200);
    assert.equal(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account.status, 'OK');
    assert.equal((await verifyUserPassword(h.app.store, env, 'admin-unlocked', 'Another-Pass-8', clock)).ok, true);
  });

  test('without a password: NO_PASSWORD; disabled: DISABLED only with the right password', async () => {
    await newUser('passwordless');
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'passwordless', GOOD, clock), { ok: false, reason: 'NO_PASSWORD' });
    await newUser('disabled-user', { enabled: false, password: { value: GOOD } });
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'disabled-user', 'Wrong-pass-1', clock), { ok: false, reason: 'INVALID_CREDENTIALS' });
    assert.deepEqual(await verifyUserPassword(h.app.store, env, 'disabled-user', GOOD, clock), { ok: false, reason: 'DISABLED' });
  });
});
