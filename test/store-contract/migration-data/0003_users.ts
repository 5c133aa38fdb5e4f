/**
 * Migration 0003_users: population names unique per environment, at most one default, and users.
 */
import assert from 'node:assert/strict';
import type { UserRecord } from '../../../src/domain/users/user.js';
import { UniqueViolation, type PopulationRecord, type Store } from '../../../src/store/types.js';
import { population } from '../../support/store-fixtures.js';
import { POP_A } from './0001_init.js';
import { FAR, NOW, page, sql, type CaseContext, type MigrationCase } from './harness.js';

/** At version 2: a second population of environment A, not the default. */
const BEFORE_3 = sql`
INSERT INTO populations (environment_id, id, name, description, is_default, version, created_at, updated_at) VALUES
  ('env-a', 'pop-a-staff', 'Staff', 'Employees', '0', 2, '2025-02-01T00:00:00.000Z', '2025-02-03T00:00:00.000Z');
`;

const POP_A_STAFF: PopulationRecord = {
  id: 'pop-a-staff',
  environmentId: 'env-a',
  name: 'Staff',
  description: 'Employees',
  default: false,
  version: 2,
  createdAt: '2025-02-01T00:00:00.000Z',
  updatedAt: '2025-02-03T00:00:00.000Z',
};

async function promises3({ store, db }: CaseContext): Promise<void> {
  assert.deepEqual(await store.getPopulation('env-a', 'pop-a-staff'), POP_A_STAFF);
  assert.deepEqual(await store.listPopulations('env-a', page), { items: [POP_A, POP_A_STAFF], count: 2 });
  assert.deepEqual(await store.getDefaultPopulation('env-a'), POP_A);
  // Names are unique per environment now; the same name in another environment is fine.
  await assert.rejects(store.createPopulation('env-a', population('env-a', { name: 'Staff', default: false })), new UniqueViolation('name'));
  const staffB = population('env-b', { name: 'Staff', default: false });
  await store.createPopulation('env-b', staffB);
  assert.deepEqual(await store.getPopulation('env-b', staffB.id), staffB);
  // At most one default per environment, whoever writes.
  await assert.rejects(
    db.exec(sql`INSERT INTO populations (environment_id, id, name, description, is_default, version, created_at, updated_at)
      VALUES ('env-a', 'pop-a-second', 'Second', NULL, '1', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`),
    /unique/i,
  );
  // Users live in populations written before.
  const user: UserRecord = {
    id: 'user-new',
    environmentId: 'env-a',
    populationId: 'pop-a-staff',
    username: 'New.User',
    email: 'new@example.test',
    enabled: true,
    lifecycleStatus: 'ACCOUNT_OK',
    profile: { name: { given: 'New' } },
    customAttributes: {},
    signIn: { failedAttempts: 0 },
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  };
  await store.createUser('env-a', user);
  assert.deepEqual(await store.getUser('env-a', 'user-new'), user);
  assert.deepEqual(await store.findUserByUsername('env-a', 'new.user'), user);
  await assert.rejects(store.createUser('env-a', { ...user, id: 'user-twin', username: 'NEW.USER' }), new UniqueViolation('username'));
  assert.equal(await store.deletePopulation('env-a', 'pop-a-staff'), 'has_users');
  assert.equal(await store.deletePopulation('env-a', 'pop-a'), 'default');
}

// ---------------------------------------------------------------------------------------------
// Version 3: users, one with a password and failed sign-ins, one locked without a password.

const ROWS_3 = sql`
INSERT INTO users (environment_id, id, population_id, username, username_lower, email, enabled, lifecycle_status, profile, password_hash, password_force_change, password_changed_at, failed_attempts, locked_until, version, created_at, updated_at) VALUES
  ('env-a', 'user-alice', 'pop-a', 'Alice.Smith', 'alice.smith', 'alice@example.test', '1', 'ACCOUNT_OK',
   '{"name":{"given":"Alice","family":"Smith","formatted":"Alice Smith"},"locale":"en-GB","mobilePhone":"+44 20 7946 0000"}',
   'scrypt$16384$8$1$c2FsdA$aGFzaA', '1', '2025-03-01T00:00:00.000Z', 2, NULL, 3, '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'),
  ('env-a', 'user-emile', 'pop-a', 'Émile', 'émile', 'emile@example.test', '0', 'VERIFICATION_REQUIRED',
   '{}', NULL, '0', NULL, 0, '2999-01-01T00:00:00.000Z', 1, '2025-03-03T00:00:00.000Z', '2025-03-03T00:00:00.000Z');
`;

const ALICE: UserRecord = {
  id: 'user-alice',
  environmentId: 'env-a',
  populationId: 'pop-a',
  username: 'Alice.Smith',
  email: 'alice@example.test',
  enabled: true,
  lifecycleStatus: 'ACCOUNT_OK',
  profile: { name: { given: 'Alice', family: 'Smith', formatted: 'Alice Smith' }, locale: 'en-GB', mobilePhone: '+44 20 7946 0000' },
  customAttributes: {},
  password: { hash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', forceChange: true, changedAt: '2025-03-01T00:00:00.000Z' },
  signIn: { failedAttempts: 2 },
  version: 3,
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-02T00:00:00.000Z',
};

const EMILE: UserRecord = {
  id: 'user-emile',
  environmentId: 'env-a',
  populationId: 'pop-a',
  username: '\u00c9mile',
  email: 'emile@example.test',
  enabled: false,
  lifecycleStatus: 'VERIFICATION_REQUIRED',
  profile: {},
  customAttributes: {},
  signIn: { failedAttempts: 0, lockedUntil: FAR },
  version: 1,
  createdAt: '2025-03-03T00:00:00.000Z',
  updatedAt: '2025-03-03T00:00:00.000Z',
};

async function readBack3(store: Store): Promise<void> {
  assert.deepEqual(await store.getUser('env-a', 'user-alice'), ALICE);
  assert.deepEqual(await store.getUser('env-a', 'user-emile'), EMILE);
  assert.deepEqual(await store.findUserByUsername('env-a', 'ALICE.SMITH'), ALICE, 'found whatever the case');
  assert.deepEqual(await store.findUserByUsername('env-a', 'E\u0301MILE'), EMILE, 'and whatever the normalization');
  assert.deepEqual(await store.listUsers('env-a', page, { kind: 'compare', attribute: 'email', operator: 'eq', value: 'alice@example.test' }), { items: [ALICE], count: 1 });
  assert.equal(await store.countUsersInPopulation('env-a', 'pop-a'), 2);
}

export const migrationCase: MigrationCase = { version: 3, name: 'users', rows: ROWS_3, readBack: readBack3, before: BEFORE_3, promises: promises3 };
