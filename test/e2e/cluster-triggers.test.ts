/**
 * What each cached table announces on `keyway_changes` (migration 0005): every write committed
 * through the store, or behind its back in plain SQL, is heard by a listener on another
 * connection, with no publish call anywhere; a write that rolls back, or changes no row, is not.
 *
 * Each case is bracketed by a marker message sent after it from another session: PostgreSQL
 * delivers messages in commit order, so what arrives before the marker is exactly what the
 * case's write announced, with no sleeping. The listener is a plain LISTEN connection that keeps
 * only this file's schema, so other test files sharing the database cannot interfere.
 *
 * Skipped when the database cannot be reached, except when CI is set.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { postgresMigrations } from '../../src/store/migrations/index.js';
import { CHANGE_ID_PATTERN, CHANGES_CHANNEL, readChange } from '../../src/store/postgres/notify-message.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { UniqueViolation, type ConfigChange } from '../../src/store/types.js';
import { postgresAnswers, TEST_DATABASE_URL, waitFor } from '../support/e2e.js';
import {
  CREATED_AT,
  applicationBundle,
  clientCertificate,
  environmentBundle,
  grant,
  organization,
  resource,
  roleAssignment,
  scope,
  secret,
} from '../support/store-fixtures.js';

const url = TEST_DATABASE_URL;

/** The schema a payload names, if it is a JSON object naming one. */
function schemaOf(payload: string | undefined): unknown {
  try {
    const parsed: unknown = JSON.parse(payload ?? '');
    return typeof parsed === 'object' && parsed !== null ? (parsed as { s?: unknown }).s : undefined;
  } catch {
    return undefined;
  }
}

/** Changes in a fixed order: one statement announces its rows in no particular order. */
function sorted(changes: readonly ConfigChange[]): ConfigChange[] {
  return [...changes].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('migration 0005 agrees with the message reader', () => {
  test('same channel and id pattern as store/postgres/notify-message.ts', () => {
    const migration = postgresMigrations.find((m) => m.name === 'change_notifications');
    assert.ok(migration);
    assert.ok(migration.sql.includes(`pg_notify('${CHANGES_CHANNEL}'`));
    assert.ok(migration.sql.includes(`'${CHANGE_ID_PATTERN}'`));
  });
});

if (await postgresAnswers('change announcements on PostgreSQL', url)) {
  describe('change announcements on PostgreSQL', () => {
    const schema = `keyway_triggers_${process.pid}_${randomBytes(4).toString('hex')}`;
    let store: PostgresStore;
    let listener: pg.Client;
    let sql: pg.Client;
    const heard: ConfigChange[] = [];
    const markers = new Set<string>();
    // The seed every case may use: environment A with its OpenID resource, application X.
    const org = organization();
    const envA = environmentBundle(org.id);
    const A = envA.environment.id;
    const openid = envA.resources[0]!;
    const x = applicationBundle(A);
    const X = x.application.id;
    // Created by the cases.
    const envN = environmentBundle(org.id);
    const appN = applicationBundle(A);
    const orders = resource(A, { name: 'orders' });

    before(async () => {
      store = await openPostgresStore(url, { schema });
      listener = new pg.Client({ connectionString: url });
      await listener.connect();
      listener.on('notification', (n) => {
        // Only this schema's messages: the reader would turn anyone's unreadable payload into "all".
        if (schemaOf(n.payload) !== schema) return;
        const change = readChange(n.payload, { schema });
        if (change?.kind === 'environment' && markers.has(change.environmentId)) markers.delete(change.environmentId);
        else if (change) heard.push(change);
      });
      await listener.query(`LISTEN ${CHANGES_CHANNEL}`);
      sql = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await sql.connect();
      await store.createOrganization(org);
      await store.createEnvironment(envA);
      await store.createApplication(A, x);
      await announced(async () => {}); // the seed's own messages are not a case's
    });

    after(async () => {
      await store?.close();
      await listener?.end();
      await sql?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await sql?.end();
    });

    /** What `write` announced: everything heard before a marker sent once it returned. */
    async function announced(write: () => Promise<unknown>): Promise<ConfigChange[]> {
      await waitFor('earlier markers', async () => markers.size === 0, 5_000);
      heard.length = 0;
      await write();
      const marker = randomUUID();
      markers.add(marker);
      await sql.query(`SELECT pg_notify($1, json_build_object('v', 1, 's', $2::text, 'k', 'e', 'e', $3::text)::text)`, [
        CHANGES_CHANNEL,
        schema,
        marker,
      ]);
      await waitFor('the marker', async () => !markers.has(marker), 5_000);
      return sorted(heard);
    }

    const appAttribute = (environmentId: string, applicationId: string) => ({
      id: randomUUID(), environmentId, applicationId, name: 'groups', version: 1, createdAt: CREATED_AT, updatedAt: CREATED_AT,
      settings: { value: '${user.memberOfGroupNames}', required: false, mappingType: 'CUSTOM' as const, idToken: true, userInfo: true },
    });
    const resourceAttribute = (environmentId: string, resourceId: string) => ({
      id: randomUUID(), environmentId, resourceId, name: 'tenant', version: 1, createdAt: CREATED_AT, updatedAt: CREATED_AT,
      settings: { value: 'acme', type: 'CUSTOM' as const },
    });
    const env = (environmentId: string): ConfigChange => ({ kind: 'environment', environmentId });
    const app = (environmentId: string, applicationId: string): ConfigChange => ({ kind: 'application', environmentId, applicationId });
    const all: ConfigChange = { kind: 'all' };

    const cases: Array<{ name: string; write: () => Promise<unknown>; expected: ConfigChange[] }> = [
      { name: 'environments: a new environment (with its key, resource and scopes) is one message', write: () => store.createEnvironment(envN), expected: [env(envN.environment.id)] },
      { name: 'environments: settings (audience policy) updated', write: () => updateSettings(), expected: [env(A)] },
      { name: 'signing_keys: updated in plain SQL, behind the store', write: () => sql.query('UPDATE signing_keys SET status = status WHERE environment_id = $1', [A]), expected: [env(A)] },
      { name: 'resources: created', write: () => store.createResource(A, orders), expected: [env(A)] },
      { name: 'scopes: created', write: () => store.createScope(A, scope(A, openid.id, { name: `s-${randomUUID()}` })), expected: [env(A)] },
      { name: 'applications: created, with its secret', write: () => store.createApplication(A, appN), expected: [app(A, appN.application.id)] },
      { name: 'applications: replaced', write: () => replaceX(), expected: [app(A, X)] },
      { name: 'application_secrets: rotated', write: () => store.putApplicationSecret(A, secret(A, X)), expected: [app(A, X)] },
      { name: 'client_certificates: added', write: () => store.createClientCertificate(A, clientCertificate(A, X, { id: 'cert-1' })), expected: [app(A, X)] },
      { name: 'client_certificates: removed', write: () => store.deleteClientCertificate(A, X, 'cert-1'), expected: [app(A, X)] },
      { name: 'grants: created', write: () => store.createGrant(A, grant(A, X, orders.id, [])), expected: [app(A, X)] },
      { name: 'application_attributes: created', write: () => store.createApplicationAttribute(A, appAttribute(A, X)), expected: [app(A, X)] },
      { name: 'resource_attributes: created', write: () => store.createResourceAttribute(A, resourceAttribute(A, orders.id)), expected: [env(A)] },
      { name: 'resources: deleted, with the grants on them', write: () => store.deleteResource(A, orders.id), expected: [env(A), app(A, X)] },
      { name: 'role_assignments: created', write: () => store.createRoleAssignment(A, roleAssignment(A, X, 'ENVIRONMENT', A)), expected: [app(A, X)] },
      { name: 'applications: deleted with everything they hold', write: () => store.deleteApplication(A, appN.application.id), expected: [app(A, appN.application.id)] },
      { name: 'a versioned update that loses (conflict) changes no row and announces nothing', write: () => replaceX(999), expected: [] },
      { name: 'TRUNCATE announces "drop everything"', write: () => sql.query('TRUNCATE client_certificates'), expected: [all] },
      { name: 'an id that is not an id is announced as "drop everything"', write: () => insertEnvironments(['not/an/id']), expected: [all] },
    ];

    for (const { name, write, expected } of cases) {
      test(name, async () => assert.deepEqual(await announced(write), sorted(expected)));
    }

    test('a statement over more than 16 applications announces their environment; over more than 16 environments, everything', async () => {
      const bulk = environmentBundle(org.id);
      const E = bulk.environment.id;
      // Every write goes through announced(), so no message of it is left in flight for the next.
      const seeded = await announced(async () => {
        await store.createEnvironment(bulk);
        for (let i = 0; i < 17; i++) await store.createApplication(E, applicationBundle(E));
      });
      assert.equal(seeded.length, 18, 'one message per transaction');
      assert.deepEqual(await announced(() => sql.query('UPDATE applications SET version = version WHERE environment_id = $1', [E])), [env(E)]);
      assert.deepEqual(await announced(() => store.deleteEnvironment(E)), [env(E)], 'deleting a large environment is one message');
      const many = Array.from({ length: 17 }, () => randomUUID());
      assert.deepEqual(await announced(() => insertEnvironments(many)), [all]);
      const few = [randomUUID(), randomUUID()];
      assert.deepEqual(await announced(() => insertEnvironments(few)), sorted(few.map(env)));
    });

    test('a store write whose transaction rolls back announces nothing', async () => {
      // The application and its secret are written, then the twin role assignment fails the transaction.
      const bundle = applicationBundle(A);
      const held = roleAssignment(A, bundle.application.id, 'ENVIRONMENT', A);
      const twin = { ...held, id: randomUUID() };
      const changes = await announced(async () => {
        await assert.rejects(store.createApplication(A, { ...bundle, roleAssignments: [held, twin] }), UniqueViolation);
      });
      assert.deepEqual(changes, []);
      assert.equal(await store.getApplication(A, bundle.application.id), undefined);
    });

    test('a plain SQL transaction that rolls back announces nothing; the same one committed does', async () => {
      const change = async (end: 'ROLLBACK' | 'COMMIT'): Promise<void> => {
        await sql.query('BEGIN');
        await sql.query('UPDATE applications SET version = version + 1 WHERE environment_id = $1 AND id = $2', [A, X]);
        await sql.query(end);
      };
      assert.deepEqual(await announced(() => change('ROLLBACK')), []);
      assert.deepEqual(await announced(() => change('COMMIT')), [app(A, X)]);
    });

    // Helpers of the cases above.
    async function updateSettings(): Promise<void> {
      const current = await store.getEnvironment(A);
      assert.ok(current);
      const next = { ...current, settings: { ...current.settings, clientAssertionAudiencePolicy: 'ISSUER_ONLY' as const } };
      assert.equal((await store.updateEnvironment(A, next, current.version)).status, 'updated');
    }

    async function replaceX(expectedVersion?: number): Promise<void> {
      const current = await store.getApplication(A, X);
      assert.ok(current);
      const next = { ...current, config: { ...current.config, enabled: !current.config.enabled } };
      const result = await store.replaceApplication(A, next, expectedVersion ?? current.version);
      assert.equal(result.status, expectedVersion === undefined ? 'updated' : 'conflict');
    }

    /** Environment rows in one statement, as a bulk loader would write them. */
    async function insertEnvironments(ids: readonly string[]): Promise<void> {
      await sql.query(
        `INSERT INTO environments (id, organization_id, name, region, type, license_id, status, extras, settings, version, created_at, updated_at)
         SELECT id, $2, 'bulk ' || id, 'EU', 'SANDBOX', 'license', 'ACTIVE', '{}', '{}', 1, 'x', 'x' FROM unnest($1::text[]) AS id`,
        [ids, org.id],
      );
    }
  });
}
