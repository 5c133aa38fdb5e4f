/**
 * The PostgreSQL change feed in-process, against the real database: who receives what. A write
 * committed through one store (nothing is published by hand) reaches every feed of the same
 * schema, the writer's own included; a feed on another schema of the same database (PostgreSQL
 * channels are per database) receives none; an unreadable message on the channel means "drop
 * everything". The message reader is checked on its own first. What each table announces is
 * checked in cluster-triggers.test.ts.
 *
 * Skipped when the database cannot be reached, except when CI is set.
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { readChange } from '../../src/store/postgres/notify-message.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { ChangeFeed, ChangeFeedEvents, ConfigChange } from '../../src/store/types.js';
import { postgresAnswers, TEST_DATABASE_URL } from '../support/e2e.js';
import { applicationBundle, environmentBundle, organization } from '../support/store-fixtures.js';

const url = TEST_DATABASE_URL;

describe('change message reader', () => {
  const own = { schema: 'tenant_a' };
  const message = (fields: Record<string, unknown>): string => JSON.stringify({ v: 1, s: 'tenant_a', ...fields });

  test('application and environment changes carry ids only', () => {
    const env = randomUUID();
    const app = randomUUID();
    assert.deepEqual(readChange(message({ k: 'a', e: env, a: app }), own), { kind: 'application', environmentId: env, applicationId: app });
    assert.deepEqual(readChange(message({ k: 'e', e: env, a: null }), own), { kind: 'environment', environmentId: env });
    assert.deepEqual(readChange(message({ k: '*', e: null, a: null }), own), { kind: 'all' });
  });

  test('the publishing instance of older builds ("o") is ignored: an instance applies its own changes too', () => {
    const env = randomUUID();
    assert.deepEqual(readChange(message({ o: 'me', k: 'e', e: env }), own), { kind: 'environment', environmentId: env });
  });

  test('other schemas are ignored; unreadable messages and ids that are not ids drop everything', () => {
    assert.equal(readChange(message({ s: 'tenant_b', k: '*' }), own), undefined);
    const unreadable = [undefined, '', 'not json', '42', 'null', message({ v: 2, k: 'a' }), message({ k: 'a', e: 'only-env' }), 'x'.repeat(2_000)];
    for (const payload of [...unreadable, message({ k: 'e', e: 'x'.repeat(65) }), message({ k: 'a', e: 'env', a: 'not/an/id' })]) {
      assert.deepEqual(readChange(payload, own), { kind: 'all' }, String(payload).slice(0, 40));
    }
  });
});

if (await postgresAnswers('change feed on PostgreSQL', url)) {
  describe('change feed on PostgreSQL', () => {
    const schemas = [0, 1].map(() => `keyway_feed_${process.pid}_${randomBytes(4).toString('hex')}`);
    const stores: PostgresStore[] = [];
    const feeds: ChangeFeed[] = [];

    after(async () => {
      for (const feed of feeds) await feed.close();
      for (const store of stores) await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    async function feedOn(schema: string): Promise<{ store: PostgresStore; feed: ChangeFeed; received: ConfigChange[] }> {
      const store = await openPostgresStore(url, { schema });
      stores.push(store);
      const received: ConfigChange[] = [];
      const events: ChangeFeedEvents = { changed: (c) => void received.push(c), listening: () => {}, lost: () => {} };
      const feed = (store.openChangeFeed as (e: ChangeFeedEvents) => ChangeFeed)(events);
      feeds.push(feed);
      return { store, feed, received };
    }

    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));

    test('announces a committed write to every feed of its schema, the writer\'s own included, and to no other schema', async () => {
      const [one, two, elsewhere] = [await feedOn(schemas[0]!), await feedOn(schemas[0]!), await feedOn(schemas[1]!)];
      const deadline = Date.now() + 5_000;
      while (![one, two, elsewhere].every((f) => f.feed.listening)) {
        assert.ok(Date.now() < deadline, 'feeds listen within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const org = organization();
      await one.store.createOrganization(org);
      const env = environmentBundle(org.id);
      await one.store.createEnvironment(env);
      const envId = env.environment.id;
      const app = applicationBundle(envId);
      await one.store.createApplication(envId, app);
      await settle();
      const expected: ConfigChange[] = [
        { kind: 'environment', environmentId: envId },
        { kind: 'application', environmentId: envId, applicationId: app.application.id },
      ];
      assert.deepEqual(two.received, expected, 'one message per change: the rows of one transaction announce it once');
      assert.deepEqual(one.received, expected, 'the writer hears its own changes');
      assert.deepEqual(elsewhere.received, [], 'another schema on the same database hears nothing');

      // Something else talking on the channel: not understood, so everything is dropped.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`SELECT pg_notify('keyway_changes', 'hello')`);
      await client.end();
      await settle();
      assert.deepEqual(two.received.at(-1), { kind: 'all' });
      assert.deepEqual(elsewhere.received, [{ kind: 'all' }]);
    });
  });
}
