/**
 * PingOne's password operations by media type on `…/users/{id}/password` (PingOne "User
 * Passwords": Update Password (Admin), Update Password (Self), Password Check, Update Password
 * (Set) with a pre-encoded value) and user import (`POST …/users` as
 * `application/vnd.pingidentity.user.import+json`) with a pre-encoded password (every scheme
 * of PingOne's "Password encoding" page: salted SHA, `{BCRYPT}`, `{PBKDF2}` in PingOne's layout
 * and in LDAP form, `{MSKCC_PBKDF2}`, `{SCRYPT}`, `{SCRYPT_RFC7914}`, `{ARGON2}`): stored as given,
 * verified at sign-in through the flow API, then replaced with Keyway's scrypt hash.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { argon2id } from 'hash-wasm';
import { ROLES } from '../../src/management/roles.js';
import { verifyUserPassword } from '../../src/management/users/credentials.js';
import {
  assignRole,
  createApp,
  createClient,
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

const SET = 'application/vnd.pingidentity.password.set+json';
const RESET = 'application/vnd.pingidentity.password.reset+json';
const CHECK = 'application/vnd.pingidentity.password.check+json';
const IMPORT = 'application/vnd.pingidentity.user.import+json';
const RECOVER = 'application/vnd.pingidentity.password.recover+json';
const GOOD = 'Correct-Horse-7';
const NEWER = 'Battery-Staple-8';
const SCRYPT = /^scrypt\$32768\$8\$1\$/;

let clock = new Date('2026-05-01T09:00:00.000Z');
let h: InProcess;
let env: string;
let base: string;

before(async () => {
  h = await startInProcess({ now: () => clock });
  env = await createEnvironment(h, 'password-ops-env');
  base = `/v1/environments/${env}/users`;
});
after(() => h.close());

const newUser = (username: string, extra: Record<string, unknown> = {}): Promise<string> => createUser(h, env, username, extra);
const put = (id: string, type: string, body: unknown, token?: string) =>
  h.inject('PUT', `${base}/${id}/password`, { body, headers: { 'content-type': type }, ...(token === undefined ? {} : { token }) });
const post = (id: string, type: string, body: unknown, token?: string) =>
  h.inject('POST', `${base}/${id}/password`, { body, headers: { 'content-type': type }, ...(token === undefined ? {} : { token }) });
const stored = (id: string) => h.app.store.getUser(env, id);
const state = async (id: string) => expectStatus(await h.inject('GET', `${base}/${id}/password`), 200).body as Record<string, unknown>;

/** `{SSHA…}` in the LDAP userPassword syntax PingOne takes: base64(digest(password ‖ salt) ‖ salt). */
/** OpenLDAP's adapted base64: `.` for `+`, no padding. */
const ab64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');

/** PBKDF2 (RFC 8018 §5.2) in the LDAP form `{PBKDF2-SHA256}<iterations>$<salt>$<derived key>`. */
function ldapPbkdf2(scheme: string, digest: string, bytes: number, password: string, iterations = 1000, salt = randomBytes(16)): string {
  return `{${scheme}}${iterations}$${ab64(salt)}$${ab64(pbkdf2Sync(password, salt, iterations, bytes, digest))}`;
}

/** PingOne's `{PBKDF2}` block: version 1 ‖ salt length ‖ salt ‖ iterations (4 bytes BE) ‖ HMAC-SHA-256 key. */
function pingOnePbkdf2(password: string, iterations = 1000, salt = randomBytes(16)): string {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(iterations);
  return `{PBKDF2}${Buffer.concat([Buffer.from([1, salt.length]), salt, count, pbkdf2Sync(password, salt, iterations, 32, 'sha256')]).toString('base64')}`;
}

/** ASP.NET Core Identity's version 3 layout with PRF 2 (HMAC-SHA-512), as .NET 7 and later write it. */
function aspNetIdentityV3(password: string, iterations = 1000, salt = randomBytes(16)): string {
  const header = Buffer.alloc(13);
  header.writeUInt8(1, 0);
  header.writeUInt32BE(2, 1);
  header.writeUInt32BE(iterations, 5);
  header.writeUInt32BE(salt.length, 9);
  return `{MSKCC_PBKDF2}${Buffer.concat([header, salt, pbkdf2Sync(password, salt, iterations, 32, 'sha512')]).toString('base64')}`;
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

function scryptPhc(password: string, salt = randomBytes(16)): string {
  return `{SCRYPT_RFC7914}$scrypt$ln=14,r=8,p=1$${b64(salt)}$${b64(scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 }))}`;
}

function scryptLambdaworks(password: string, salt = randomBytes(16)): string {
  const params = ((14 << 16) | (8 << 8) | 1).toString(16);
  return `{SCRYPT}$s0$${params}$${salt.toString('base64')}$${scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 }).toString('base64')}`;
}

async function argon2(password: string): Promise<string> {
  return `{ARGON2}${await argon2id({ password, salt: randomBytes(16), iterations: 2, memorySize: 19 * 1024, parallelism: 1, hashLength: 32, outputType: 'encoded' })}`;
}

function ssha(scheme: 'SSHA' | 'SSHA256' | 'SSHA384' | 'SSHA512', password: string, salt = randomBytes(8)): string {
  const algorithm = { SSHA: 'sha1', SSHA256: 'sha256', SSHA384: 'sha384', SSHA512: 'sha512' }[scheme];
  const digest = createHash(algorithm).update(password, 'utf8').update(salt).digest();
  return `{${scheme}}${Buffer.concat([digest, salt]).toString('base64')}`;
}

describe('password.reset+json', () => {
  test('without currentPassword: an administrator reset to a temporary password, which must change (not held to the policy, as PingOne)', async () => {
    const id = await newUser('reset-admin', { password: { value: GOOD } });
    const res = expectStatus(await put(id, RESET, { newPassword: 'temp1234' }), 200);
    assert.equal(res.body.status, 'MUST_CHANGE_PASSWORD');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.ok(!JSON.stringify(res.body).includes('temp1234'));
    assert.equal((await verifyUserPassword(h.app.store, env, 'reset-admin', 'temp1234', clock)).ok, true);
  });

  test('a temporary password with a control character, or pre-encoded, is 400 on newPassword and changes nothing', async () => {
    const id = await newUser('reset-bad', { password: { value: GOOD } });
    const before = await stored(id);
    expectDetail(await put(id, RESET, { newPassword: 'temp\u00001234' }), 'INVALID_VALUE', 'newPassword');
    expectDetail(await put(id, RESET, { newPassword: ssha('SSHA256', 'temp1234') }), 'INVALID_VALUE', 'newPassword');
    expectDetail(await put(id, RESET, {}), 'REQUIRED_VALUE', 'newPassword');
    assert.deepEqual(await stored(id), before);
  });

  test('with currentPassword: the self-service change; the new password meets the policy and the status becomes OK', async () => {
    const id = await newUser('reset-self', { password: { value: GOOD, forceChange: true } });
    const res = expectStatus(await put(id, RESET, { currentPassword: GOOD, newPassword: NEWER }), 200);
    assert.equal(res.body.status, 'OK');
    assert.equal((await verifyUserPassword(h.app.store, env, 'reset-self', NEWER, clock)).ok, true);
    assert.equal((await verifyUserPassword(h.app.store, env, 'reset-self', GOOD, clock)).ok, false);
  });

  test('a wrong currentPassword is 400 on currentPassword, counts as a failed attempt and changes no password', async () => {
    const id = await newUser('reset-wrong', { password: { value: GOOD } });
    const hash = (await stored(id))?.password?.hash;
    expectDetail(await put(id, RESET, { currentPassword: 'Wrong-pass-1', newPassword: NEWER }), 'INVALID_VALUE', 'currentPassword');
    assert.equal((await stored(id))?.password?.hash, hash);
    assert.equal((await stored(id))?.signIn.failedAttempts, 1);
  });

  test('a self change to a password that breaks the policy is 400 on newPassword and changes nothing', async () => {
    const id = await newUser('reset-weak', { password: { value: GOOD } });
    const before = await stored(id);
    expectDetail(await put(id, RESET, { currentPassword: GOOD, newPassword: 'weak' }), 'INVALID_VALUE', 'newPassword');
    assert.deepEqual(await stored(id), before);
  });

  for (const type of ['application/json', 'application/vnd.pingidentity.password.recover+json', 'application/vnd.pingidentity.password.change+json']) {
    test(`PUT …/password as ${type} is a 415 naming set+json and reset+json`, async () => {
      const id = await newUser(`put-${type.replace(/[^a-z]/g, '').slice(-20)}`);
      const res = expectStatus(await put(id, type, { newPassword: GOOD, value: GOOD }), 415);
      assert.equal(res.body.code, 'INVALID_REQUEST');
      assert.match(res.body.message, /password\.set\+json.*password\.reset\+json/);
      assert.equal((await state(id)).status, 'NO_PASSWORD');
    });
  }
});

describe('password.check+json (POST …/password)', () => {
  test('the right password answers 200 with the state; a wrong one 400 on password, counted by the lockout rule', async () => {
    const id = await newUser('checked', { password: { value: GOOD } });
    const ok = expectStatus(await post(id, CHECK, { password: GOOD }), 200);
    assert.equal(ok.body.status, 'OK');
    assert.equal(ok.body.user.id, id);
    expectDetail(await post(id, CHECK, { password: 'Wrong-pass-1' }), 'INVALID_VALUE', 'password');
    assert.equal((await stored(id))?.signIn.failedAttempts, 1);
    expectDetail(await post(id, CHECK, {}), 'REQUIRED_VALUE', 'password');
  });

  test('NO_PASSWORD and a locked-out password are 400; the state shows PASSWORD_LOCKED_OUT while the lock lasts', async () => {
    const none = await newUser('check-none');
    const res = expectDetail(await post(none, CHECK, { password: GOOD }), 'INVALID_VALUE', 'password');
    assert.match(JSON.stringify(res), /NO_PASSWORD/);
    const id = await newUser('check-locked', { password: { value: GOOD } });
    for (let i = 0; i < 5; i++) await post(id, CHECK, { password: 'Wrong-pass-1' });
    const locked = expectDetail(await post(id, CHECK, { password: GOOD }), 'INVALID_VALUE', 'password');
    assert.match(JSON.stringify(locked), /PASSWORD_LOCKED_OUT/);
    assert.equal((await state(id)).status, 'PASSWORD_LOCKED_OUT');
    assert.equal(expectStatus(await h.inject('GET', `${base}/${id}`), 200).body.account.status, 'LOCKED');
  });

  test('POST …/password as another media type is a 415', async () => {
    const id = await newUser('check-type', { password: { value: GOOD } });
    expectStatus(await post(id, 'application/json', { password: GOOD }), 415);
    expectStatus(await post(id, 'application/vnd.pingidentity.password.reset+json', { newPassword: GOOD }), 415);
  });
});

describe('password recovery (password.recover+json, password.sendRecoveryCode): not served, Keyway sends no e-mail', () => {
  for (const [type, body] of [
    [RECOVER, { recoveryCode: '123456', newPassword: NEWER }],
    ['application/vnd.pingidentity.password.sendRecoveryCode', undefined],
  ] as const) {
    test(`${type} is 501 NOT_IMPLEMENTED saying why; the password is unchanged`, async () => {
      const id = await newUser(`recover-${type.length}`, { password: { value: GOOD } });
      const before = await stored(id);
      const res = expectStatus(await post(id, type, body), 501);
      expectSchema('P1Error', res.body);
      assert.equal(res.body.code, 'NOT_IMPLEMENTED');
      assert.match(res.body.message, /sends no e-mail/);
      assert.deepEqual(await stored(id), before);
      expectStatus(await post('00000000-0000-4000-8000-000000000000', type, body), 404);
    });
  }
});

describe('pre-encoded passwords (PingOne "Password encoding": salted SHA in LDAP userPassword syntax)', () => {
  for (const scheme of ['SSHA', 'SSHA256', 'SSHA384', 'SSHA512'] as const) {
    test(`password.set+json takes {${scheme}}: stored as given, verified, then replaced with scrypt at the first sign-in`, async () => {
      const username = `set-${scheme.toLowerCase()}`;
      const id = await newUser(username);
      const encoded = ssha(scheme, 'plain old password');
      const res = expectStatus(await put(id, SET, { value: encoded, forceChange: false }), 200);
      assert.equal(res.body.status, 'OK');
      assert.ok(!JSON.stringify(res.body).includes(encoded));
      assert.equal((await stored(id))?.password?.hash, encoded, 'kept as given');
      const changedAt = (await stored(id))?.password?.changedAt;
      assert.deepEqual(await verifyUserPassword(h.app.store, env, username, 'plain old passwore', clock), { ok: false, reason: 'INVALID_CREDENTIALS' });
      assert.equal((await stored(id))?.password?.hash, encoded, 'a failure does not upgrade');
      assert.equal((await verifyUserPassword(h.app.store, env, username, 'plain old password', clock)).ok, true);
      const upgraded = await stored(id);
      assert.match(upgraded?.password?.hash ?? '', SCRYPT);
      assert.equal(upgraded?.password?.changedAt, changedAt, 'the password itself did not change');
      assert.equal((await verifyUserPassword(h.app.store, env, username, 'plain old password', clock)).ok, true);
    });
  }

  const refused: Array<[string, string, RegExp]> = [
    ['{BCRYPT} over cost 12', '{BCRYPT}$2b$13$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', /cost from 4 to 12/],
    ['{PBKDF2} as one base64 block of another version', '{PBKDF2}AAAAAQAAABAAAAAAAAAAAAAAAAAAAAAA', /PingOne's layout must have version 0x01/],
    ['{PBKDF2-SHA256} over 600000 iterations', `{PBKDF2-SHA256}600001$c2FsdA$${ab64(Buffer.alloc(32))}`, /at most 600000 iterations/],
    ['an unknown scheme', '{MD5}X03MO1qnZdYdgyfeuILPmQ==', /SSHA.*BCRYPT.*PBKDF2.*MSKCC_PBKDF2.*SCRYPT.*SCRYPT_RFC7914.*ARGON2/],
    ['a digest without salt', `{SSHA256}${createHash('sha256').update('x').digest('base64')}`, /SSHA256/],
    ['a body that is not base64', '{SSHA512}not base64!', /SSHA512/],
  ];
  for (const [what, value, reason] of refused) {
    test(`${what} is 400 INVALID_VALUE on value, saying what is accepted, and changes nothing`, async () => {
      const id = await newUser(`refused-${what.replace(/[^a-z0-9]/gi, '').toLowerCase()}`);
      const res = expectDetail(await put(id, SET, { value, forceChange: false }), 'INVALID_VALUE', 'value');
      assert.match(JSON.stringify(res), reason);
      assert.equal((await state(id)).status, 'NO_PASSWORD');
    });
  }
});

describe('imports of every other scheme (PingOne "Password encoding": {BCRYPT}, {PBKDF2}, {MSKCC_PBKDF2}, {SCRYPT}, {SCRYPT_RFC7914}, {ARGON2})', () => {
  const imports: Array<[string, (password: string) => string | Promise<string>]> = [
    ['{BCRYPT} $2b$', (password) => `{BCRYPT}${bcrypt.hashSync(password, 4)}`],
    ['{BCRYPT} $2y$', (password) => `{BCRYPT}${bcrypt.hashSync(password, 4).replace(/^\$2b\$/, '$2y$')}`],
    ['{PBKDF2}', (password) => ldapPbkdf2('PBKDF2', 'sha1', 20, password)],
    ['{PBKDF2-SHA256}', (password) => ldapPbkdf2('PBKDF2-SHA256', 'sha256', 32, password)],
    ['{PBKDF2-SHA512}', (password) => ldapPbkdf2('PBKDF2-SHA512', 'sha512', 64, password)],
    ["{PBKDF2} in PingOne's layout", (password) => pingOnePbkdf2(password)],
    ['{MSKCC_PBKDF2}', (password) => aspNetIdentityV3(password)],
    ['{SCRYPT}', (password) => scryptLambdaworks(password)],
    ['{SCRYPT_RFC7914}', (password) => scryptPhc(password)],
    ['{ARGON2}', (password) => argon2(password)],
  ];
  for (const [what, encode] of imports) {
    test(`user import takes ${what}: stored as given, a wrong password fails without upgrading, the right one signs in and becomes scrypt`, async () => {
      const username = `import-${what.replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
      const encoded = await encode('Imported-secret-1');
      const res = expectStatus(
        await h.inject('POST', base, {
          body: { username, email: `${username}@example.com`, password: { value: encoded, forceChange: false } },
          headers: { 'content-type': IMPORT },
        }),
        201,
      );
      expectSchema('User', res.body);
      assert.ok(!JSON.stringify(res.body).includes(encoded));
      const id = res.body.id as string;
      assert.equal((await stored(id))?.password?.hash, encoded, 'kept as given');
      assert.deepEqual(await verifyUserPassword(h.app.store, env, username, 'Imported-secret-2', clock), { ok: false, reason: 'INVALID_CREDENTIALS' });
      assert.equal((await stored(id))?.password?.hash, encoded, 'a failure does not upgrade');
      assert.equal((await verifyUserPassword(h.app.store, env, username, 'Imported-secret-1', clock)).ok, true);
      assert.match((await stored(id))?.password?.hash ?? '', SCRYPT);
      assert.equal((await verifyUserPassword(h.app.store, env, username, 'Imported-secret-1', clock)).ok, true);
    });
  }

  const beyond: Array<[string, string]> = [
    ['{BCRYPT} of cost 13', `{BCRYPT}${bcrypt.hashSync('x', 4).replace(/^\$2b\$04\$/, '$2b$13$')}`],
    ['{PBKDF2} over 1300000 iterations', `{PBKDF2}1300001$c2FsdA$${ab64(Buffer.alloc(20))}`],
    ['{PBKDF2-SHA512} over 210000 iterations', `{PBKDF2-SHA512}210001$c2FsdA$${ab64(Buffer.alloc(64))}`],
    ["{PBKDF2} in PingOne's layout over 600000 iterations", pingOnePbkdf2('x', 600_001)],
    ['{MSKCC_PBKDF2} over 210000 iterations of HMAC-SHA-512', aspNetIdentityV3('x', 210_001)],
    ['{SCRYPT_RFC7914} of 128 MiB (N = 2^17, r = 8)', `{SCRYPT_RFC7914}$scrypt$ln=17,r=8,p=1$c29tZXNhbHQ$${b64(Buffer.alloc(32))}`],
    ['{SCRYPT} with N·r·p over 2^20', `{SCRYPT}$s0$100804$c29tZXNhbHQ=$${Buffer.alloc(32).toString('base64')}`],
    ['{ARGON2} of 128 MiB', `{ARGON2}$argon2id$v=19$m=131072,t=1,p=1$c29tZXNhbHQ$${b64(Buffer.alloc(32))}`],
    ['{ARGON2} of 64 MiB with 4 passes', `{ARGON2}$argon2id$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$${b64(Buffer.alloc(32))}`],
  ];
  for (const [what, value] of beyond) {
    test(`import of ${what} (work beyond the bound) is 400 INVALID_VALUE on password.value and creates nothing`, async () => {
      const username = `beyond-${what.replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
      const res = await h.inject('POST', base, { body: { username, email: `${username}@example.com`, password: { value } }, headers: { 'content-type': IMPORT } });
      expectDetail(res, 'INVALID_VALUE', 'password.value');
      const found = expectStatus(await h.inject('GET', `${base}?filter=${encodeURIComponent(`username eq "${username}"`)}`), 200);
      assert.equal(found.body.count, 0);
    });
  }
});

describe('user import (POST …/users as user.import+json)', () => {
  test('a pre-encoded password is stored as given with forceChange; the user reads as any other', async () => {
    const encoded = ssha('SSHA512', 'Imported-secret-1');
    const res = expectStatus(
      await h.inject('POST', base, {
        body: { username: 'imported', email: 'imported@example.com', password: { value: encoded, forceChange: true } },
        headers: { 'content-type': IMPORT },
      }),
      201,
    );
    expectSchema('User', res.body);
    assert.ok(!JSON.stringify(res.body).includes(encoded));
    assert.equal((await stored(res.body.id))?.password?.hash, encoded);
    assert.equal((await state(res.body.id)).status, 'MUST_CHANGE_PASSWORD');
  });

  test('a cleartext password on import is held to the policy and hashed with scrypt', async () => {
    const res = expectStatus(
      await h.inject('POST', base, { body: { username: 'imported-clear', email: 'ic@example.com', password: { value: GOOD } }, headers: { 'content-type': IMPORT } }),
      201,
    );
    assert.match((await stored(res.body.id))?.password?.hash ?? '', SCRYPT);
    const weak = await h.inject('POST', base, { body: { username: 'imported-weak', email: 'iw@example.com', password: { value: 'weak' } }, headers: { 'content-type': IMPORT } });
    expectDetail(weak, 'INVALID_VALUE', 'password.value');
  });

  test('a pre-encoded password on a plain application/json create is refused; other media types are 415; nothing is created', async () => {
    const body = { username: 'not-imported', email: 'ni@example.com', password: { value: ssha('SSHA256', 'Whatever-1') } };
    const plain = expectDetail(await h.inject('POST', base, { body }), 'INVALID_VALUE', 'password.value');
    assert.match(JSON.stringify(plain), /user\.import\+json/);
    expectDetail(await h.inject('POST', base, { body: { ...body, password: { value: '{BCRYPT}$2b$10$abc' } }, headers: { 'content-type': IMPORT } }), 'INVALID_VALUE', 'password.value');
    expectStatus(await h.inject('POST', base, { body, headers: { 'content-type': 'application/vnd.pingidentity.password.set+json' } }), 415);
    const found = expectStatus(await h.inject('GET', `${base}?filter=${encodeURIComponent('username eq "not-imported"')}`), 200);
    assert.equal(found.body.count, 0);
  });

  const flowImports: Array<[string, (password: string) => string | Promise<string>]> = [
    ['{SSHA256}', (password) => ssha('SSHA256', password)],
    ['{ARGON2}', (password) => argon2(password)],
    ['{SCRYPT_RFC7914}', (password) => scryptPhc(password)],
  ];
  for (const [scheme, encode] of flowImports) {
  test(`sign-in through the flow API (pi.flow, usernamePassword.check) with an imported ${scheme} hash succeeds and upgrades it to scrypt`, async () => {
    const username = `flow-imported-${scheme.replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
    const encoded = await encode('Flow-imported-1');
    const created = await h.inject('POST', base, {
      body: { username, email: `${username}@example.com`, password: { value: encoded, forceChange: false } },
      headers: { 'content-type': IMPORT },
    });
    const userId = expectStatus(created, 201).body.id;
    const clientId = await createClient(h, env, {
      type: 'WEB_APP',
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      redirectUris: ['https://app.example.com/callback'],
      tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    });
    const form = new URLSearchParams({
      client_id: clientId,
      redirect_uri: 'https://app.example.com/callback',
      response_type: 'code',
      scope: 'openid',
      response_mode: 'pi.flow',
    });
    const started = await h.app.server.inject({
      method: 'POST',
      url: `/${env}/as/authorize`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    assert.equal(started.statusCode, 200, started.body);
    const flow = started.json() as { id: string; status: string };
    assert.equal(flow.status, 'USERNAME_PASSWORD_REQUIRED');
    const check = (password: string) =>
      h.app.server.inject({
        method: 'POST',
        url: `/${env}/flows/${flow.id}`,
        headers: { 'content-type': 'application/vnd.pingidentity.usernamePassword.check+json' },
        payload: JSON.stringify({ username, password }),
      });
    const wrong = await check('Flow-imported-2');
    assert.equal(wrong.statusCode, 400, wrong.body);
    assert.equal((await stored(userId))?.password?.hash, encoded);
    const done = await check('Flow-imported-1');
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().status, 'COMPLETED');
    assert.match((await stored(userId))?.password?.hash ?? '', SCRYPT);
  });
  }
});

describe('role checks', () => {
  // On the administrators' environment, where the bootstrap worker holds every role and may give them.
  test('Identity Data Admin resets, changes and checks passwords and imports; Environment Admin gets 403 for each and changes nothing', async () => {
    const adminBase = `/v1/environments/${h.adminEnvId}/users`;
    const create = (body: unknown, token?: string) =>
      h.inject('POST', adminBase, { body, headers: { 'content-type': IMPORT }, ...(token === undefined ? {} : { token }) });
    const id = expectStatus(await create({ username: 'pw-guarded', email: 'pg@example.com', password: { value: GOOD } }), 201).body.id;
    const ida = await createApp(h, h.adminEnvId, 'pw-ida');
    expectStatus(await assignRole(h, h.adminEnvId, ida.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: h.adminEnvId }), 201);
    const idaToken = await tokenFor(h, h.adminEnvId, ida);
    const envAdmin = await createApp(h, h.adminEnvId, 'pw-envadmin');
    expectStatus(await assignRole(h, h.adminEnvId, envAdmin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: h.adminEnvId }), 201);
    const envToken = await tokenFor(h, h.adminEnvId, envAdmin);
    const at = (path: string, type: string, body: unknown, token: string, method: 'PUT' | 'POST' = 'PUT') =>
      h.inject(method, `${adminBase}/${id}/password${path}`, { body, token, headers: { 'content-type': type } });

    const before = await h.app.store.getUser(h.adminEnvId, id);
    expectForbidden(await at('', RESET, { newPassword: 'temp1234' }, envToken));
    expectForbidden(await at('', RESET, { currentPassword: GOOD, newPassword: NEWER }, envToken));
    expectForbidden(await at('', CHECK, { password: GOOD }, envToken, 'POST'));
    expectForbidden(await at('', SET, { value: ssha('SSHA', 'x-Y-1234') }, envToken));
    expectForbidden(await create({ username: 'pw-refused', email: 'pr@example.com' }, envToken));
    expectForbidden(await at('', RECOVER, { recoveryCode: '1', newPassword: NEWER }, envToken, 'POST'));
    assert.deepEqual(await h.app.store.getUser(h.adminEnvId, id), before);
    // Past the role check the answer is the 501 of an operation Keyway does not serve.
    expectStatus(await at('', RECOVER, { recoveryCode: '1', newPassword: NEWER }, idaToken, 'POST'), 501);

    expectStatus(await at('', CHECK, { password: GOOD }, idaToken, 'POST'), 200);
    expectStatus(await at('', RESET, { currentPassword: GOOD, newPassword: NEWER }, idaToken), 200);
    expectStatus(await at('', RESET, { newPassword: 'temp1234' }, idaToken), 200);
    expectStatus(await at('', SET, { value: ssha('SSHA', 'x-Y-1234') }, idaToken), 200);
    expectStatus(await create({ username: 'pw-allowed', email: 'pa@example.com', password: { value: ssha('SSHA384', 'x-Y-1234') } }, idaToken), 201);
  });
});
