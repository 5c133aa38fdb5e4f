/**
 * The testing library's `databaseUrl` (README, "Testing library"): Keyway on PostgreSQL instead
 * of SQLite, and a second run on the same database, which keeps the admin application of the
 * first run and so needs its pinned credentials and master key.
 *
 * Database: KEYWAY_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), a fresh
 * schema of its own. Skipped when the database cannot be reached, except when CI is set.
 */
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { startKeyway } from 'keyway/testing';
import { adminQuery, postgresAnswers, schemaUrl, scratchSchemaName } from '../support/e2e.js';

const schema = scratchSchemaName('keyway_testing');

if (await postgresAnswers('the testing library on PostgreSQL')) {
  before(() => adminQuery(`CREATE SCHEMA ${schema}`));
  after(() => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));

  test('a run on PostgreSQL, then a second run on the same database with the same admin and master key', async () => {
    const databaseUrl = schemaUrl(schema);
    const admin = { environmentId: randomUUID(), clientId: randomUUID(), clientSecret: randomBytes(32).toString('base64url') };
    const masterKey = randomBytes(32);

    const first = await startKeyway({ databaseUrl, admin, masterKey });
    let envId: string;
    try {
      assert.equal(first.admin.environmentId, admin.environmentId);
      envId = (await first.createEnvironment({ name: 'Kept' })).id;
    } finally {
      await first.stop();
    }
    const [row] = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.environments WHERE id = $1`, [envId]);
    assert.equal(row?.n, '1', 'the environment is in the PostgreSQL schema');

    await assert.rejects(startKeyway({ databaseUrl, masterKey }), /already holds a Keyway organization/);

    const second = await startKeyway({ databaseUrl, admin, masterKey });
    try {
      assert.equal((await second.management('GET', `/environments/${envId}`)).name, 'Kept');
    } finally {
      await second.stop();
    }
  });
}
