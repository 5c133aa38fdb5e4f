/**
 * Key rotation with two real Keyway processes (A and B) on one PostgreSQL database: a rotation
 * asked of both at once happens once (the `rotated_at` guard, src/store/areas/key-rotation-policies.ts),
 * and both serve the same JWKS within 1 s of each change (README.md, "Several instances"), so
 * a relying party load-balanced between them never sees two different key sets for long.
 *
 * Database: KEYWAY_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; a fresh
 * schema. Skipped when the database cannot be reached, except when CI is set.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { call, postgresAnswers, TEST_DATABASE_URL, waitFor } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';

const url = TEST_DATABASE_URL;
const PUBLIC_URL = 'http://keyway.rotation.test';
const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '5d0c1b7a-5e2f-4a6b-9c8d-0e1f2a3b4c5d',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '6e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'rotation-e2e-bootstrap-secret-0123456789abcdef',
};
const BOUND_MS = 1_000;
const schema = `keyway_rotation_${process.pid}_${randomBytes(4).toString('hex')}`;
const feedName = `keyway-changes:${schema}`.slice(0, 63);
const ENV = PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID;

async function admin<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function schemaUrl(): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

if (await postgresAnswers('two Keyway instances rotating keys on one PostgreSQL database', url)) {
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  let token = '';
  const [A, B] = [() => servers[0] as RunningServer, () => servers[1] as RunningServer];
  const jwksOf = async (server: RunningServer): Promise<string[]> =>
    ((await call(server, 'GET', `/${ENV}/as/jwks`)).body.keys as Array<{ kid: string }>).map((k) => k.kid).sort();

  before(async () => {
    await admin(`CREATE SCHEMA ${schema}`);
    const masterKey = randomBytes(32).toString('base64');
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'keyway-rotation-'));
      dirs.push(dir);
      servers.push(await startProcess({ KEYWAY_DATA_DIR: dir, KEYWAY_DATABASE_URL: schemaUrl(), KEYWAY_MASTER_KEY: masterKey, KEYWAY_PUBLIC_URL: PUBLIC_URL, ...PINS }));
    }
    const listening = async () =>
      ((await admin<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [feedName]))[0]?.n ?? 0) === 2;
    await waitFor('both instances to listen for changes', listening, 10_000);
    const issued = await call(A(), 'POST', `/${ENV}/as/token`, {
      basic: `${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`,
      form: { grant_type: 'client_credentials' },
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    token = issued.body.access_token as string;
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('key rotation across two instances', () => {
    test('a policy made on A is published by B within 1 s; a rotation asked of A and B at once happens once, and both agree on the JWKS within 1 s', async () => {
      // Both instances have served (and cached) the JWKS before anything changes.
      assert.deepEqual(await jwksOf(A()), await jwksOf(B()));
      const created = await call(A(), 'POST', `/v1/environments/${ENV}/keyRotationPolicies`, {
        token,
        json: { name: 'Rotating', algorithm: 'RSA', keyLength: 2048, signatureAlgorithm: 'SHA256withRSA', dn: 'CN=Rotating', usageType: 'SIGNING' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const policy = created.body;
      const published = await waitFor('B to publish the new keys', async () => (await jwksOf(B())).includes(policy.nextKeyId), BOUND_MS);
      console.log(`# B published the policy's keys ${published.toFixed(0)} ms after A created them`);

      const path = `/v1/environments/${ENV}/keyRotationPolicies/${policy.id}/rotate`;
      const [onA, onB] = await Promise.all([call(A(), 'POST', path, { token }), call(B(), 'POST', path, { token })]);
      assert.equal(onA.status, 200, JSON.stringify(onA.body));
      assert.equal(onB.status, 200, JSON.stringify(onB.body));
      const keys = await admin<{ id: string; rotation_state: string }>(`SELECT id, rotation_state FROM ${schema}.signing_keys WHERE rotation_policy_id = $1`, [policy.id]);
      assert.deepEqual(keys.map((k) => k.rotation_state).sort(), ['CURRENT', 'NEXT', 'PREVIOUS'], 'rotated exactly once');
      const [row] = await admin<{ version: number }>(`SELECT version FROM ${schema}.key_rotation_policies WHERE id = $1`, [policy.id]);
      assert.equal(row?.version, 2);
      const current = keys.find((k) => k.rotation_state === 'CURRENT')?.id;
      assert.equal(current, policy.nextKeyId);

      const expected = await jwksOf(A());
      assert.equal(expected.length, 4, "the default key and the policy's PREVIOUS, CURRENT and NEXT keys");
      const agreed = await waitFor('A and B to serve the same JWKS', async () => JSON.stringify(await jwksOf(B())) === JSON.stringify(expected), BOUND_MS);
      console.log(`# A and B agreed on the JWKS ${agreed.toFixed(0)} ms after the rotation`);
    });
  });
}
