/**
 * verifyUserPassword (src/management/users/credentials.ts) over a real SQLite store: outcomes,
 * lockout arithmetic, and the constant-cost path that keeps unknown usernames from standing out.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { UserRecord } from '../../../src/domain/users/user.js';
import { LOCKOUT_SECONDS, MAX_FAILED_SIGN_INS, verifyUserPassword } from '../../../src/management/users/credentials.js';
import { hashPassword } from '../../../src/management/users/password-hash.js';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { CREATED_AT, environmentBundle, organization } from '../../support/store-fixtures.js';

const PASSWORD = 'Correct-Horse-7';
const T0 = new Date('2026-05-01T12:00:00.000Z');
const plus = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let store: SqliteStore;
let env: string;
let population: string;
let hash: string;

before(async () => {
  store = await openSqliteStore(':memory:');
  const org = organization();
  await store.createOrganization(org);
  const bundle = environmentBundle(org.id);
  await store.createEnvironment(bundle);
  env = bundle.environment.id;
  population = bundle.population.id;
  hash = await hashPassword(PASSWORD);
});
after(() => store.close());

async function addUser(username: string, overrides: Partial<UserRecord> = {}): Promise<UserRecord> {
  const user: UserRecord = {
    id: randomUUID(),
    environmentId: env,
    populationId: population,
    username,
    email: `${randomUUID()}@example.test`,
    enabled: true,
    lifecycleStatus: 'ACCOUNT_OK',
    profile: {},
    customAttributes: {},
    password: { hash, forceChange: false, changedAt: CREATED_AT },
    signIn: { failedAttempts: 0 },
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
  await store.createUser(env, user);
  return user;
}

describe('verifyUserPassword', () => {
  test('the rule is 5 failures, 15 minutes', () => {
    assert.equal(MAX_FAILED_SIGN_INS, 5);
    assert.equal(LOCKOUT_SECONDS, 900);
  });

  test('succeeds with the right password, whatever the username case, and returns the user', async () => {
    const user = await addUser('Mixed.Case');
    const result = await verifyUserPassword(store, env, 'mixed.CASE', PASSWORD, T0);
    assert.ok(result.ok);
    assert.equal(result.user.id, user.id);
  });

  test('the 5th failure locks until now + 15 minutes; the lock ends exactly then', async () => {
    const user = await addUser('counted');
    for (let i = 1; i < MAX_FAILED_SIGN_INS; i++) {
      assert.deepEqual(await verifyUserPassword(store, env, 'counted', 'nope', plus(i)), { ok: false, reason: 'INVALID_CREDENTIALS' });
      assert.equal((await store.getUser(env, user.id))?.signIn.failedAttempts, i);
    }
    assert.deepEqual(await verifyUserPassword(store, env, 'counted', 'nope', plus(5)), { ok: false, reason: 'LOCKED' });
    assert.deepEqual((await store.getUser(env, user.id))?.signIn, { failedAttempts: 0, lockedUntil: plus(5 + 900).toISOString() });
    assert.deepEqual(await verifyUserPassword(store, env, 'counted', PASSWORD, plus(904)), { ok: false, reason: 'LOCKED' });
    assert.ok((await verifyUserPassword(store, env, 'counted', PASSWORD, plus(905))).ok);
    assert.deepEqual((await store.getUser(env, user.id))?.signIn, { failedAttempts: 0 });
  });

  test('a password longer than 1024 characters never matches, and counts as a failure', async () => {
    const user = await addUser('long-input');
    assert.deepEqual(await verifyUserPassword(store, env, 'long-input', PASSWORD + 'x'.repeat(2000), T0), { ok: false, reason: 'INVALID_CREDENTIALS' });
    assert.equal((await store.getUser(env, user.id))?.signIn.failedAttempts, 1);
  });

  test('an unknown username costs one scrypt run, like a wrong password', async () => {
    await addUser('timed');
    // CPU time of the whole process (scrypt runs on the thread pool, which process.cpuUsage
    // counts), not wall time: a busy machine stretches wall time, not the work done.
    const cpuMs = async (username: string) => {
      const start = process.cpuUsage();
      await verifyUserPassword(store, env, username, 'Wrong-pass-1', T0);
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    await cpuMs('warm-up');
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 3; i++) {
      unknown.push(await cpuMs(`nobody-${i}`));
      known.push(await cpuMs('timed'));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    assert.ok(median(unknown) > 0.6 * median(known), `unknown ${unknown.join(', ')} ms vs known ${known.join(', ')} ms of CPU`);
    assert.ok(median(known) > 0.6 * median(unknown), `known ${known.join(', ')} ms vs unknown ${unknown.join(', ')} ms of CPU`);
  });

  test('a wrong password against an imported {SSHA256} hash costs one scrypt run too, so imported users do not stand out', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const digest = createHash('sha256').update(PASSWORD).update(salt).digest();
    await addUser('imported-timed', { password: { hash: `{SSHA256}${Buffer.concat([digest, salt]).toString('base64')}`, forceChange: false, changedAt: CREATED_AT } });
    await addUser('scrypt-timed');
    const cpuMs = async (username: string) => {
      const start = process.cpuUsage();
      await verifyUserPassword(store, env, username, 'Wrong-pass-1', T0);
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    const imported: number[] = [];
    const native: number[] = [];
    for (let i = 0; i < 3; i++) {
      imported.push(await cpuMs('imported-timed'));
      native.push(await cpuMs('scrypt-timed'));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    assert.ok(median(imported) > 0.6 * median(native), `imported ${imported.join(', ')} ms vs scrypt ${native.join(', ')} ms of CPU`);
  });
});
