/**
 * The PostgreSQL change feed in-process, against the real database: who receives what. Feeds on
 * the same schema receive each other's changes but not their own; a feed on another schema of
 * the same database (PostgreSQL channels are per database) receives none; ids that are not ids
 * travel as "drop everything"; an unreadable message on the channel means "drop everything".
 * The message codec is checked on its own first.
 *
 * Skipped when the database cannot be reached, except when CI is set.
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { notifyParams, readChange } from '../../src/store/postgres/notify-message.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { ChangeFeed, ChangeFeedEvents, ConfigChange } from '../../src/store/types.js';

const url = process.env.KEYWAY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';

describe('change message codec', () => {
  const own = { instanceId: 'me', schema: 'tenant_a' };
  const message = (fields: Record<string, unknown>): string => JSON.stringify({ v: 1, s: 'tenant_a', o: 'other', ...fields });

  test('application and environment changes carry ids only', () => {
    const env = randomUUID();
    const app = randomUUID();
    assert.deepEqual(notifyParams('me', { kind: 'application', environmentId: env, applicationId: app }), ['me', 'a', env, app]);
    assert.deepEqual(notifyParams('me', { kind: 'environment', environmentId: env }), ['me', 'e', env, null]);
    assert.deepEqual(readChange(message({ k: 'a', e: env, a: app }), own), { kind: 'application', environmentId: env, applicationId: app });
    assert.deepEqual(readChange(message({ k: 'e', e: env, a: null }), own), { kind: 'environment', environmentId: env });
  });

  test('an id that is not an id, or too long, is published as "drop everything" (bounded size)', () => {
    assert.deepEqual(notifyParams('me', { kind: 'application', environmentId: 'x'.repeat(65), applicationId: 'a' }), ['me', '*', null, null]);
    assert.deepEqual(notifyParams('me', { kind: 'environment', environmentId: "'; DROP TABLE x" }), ['me', '*', null, null]);
  });

  test('own messages and other schemas are ignored; unreadable ones drop everything', () => {
    assert.equal(readChange(JSON.stringify({ v: 1, s: 'tenant_a', o: 'me', k: '*' }), own), undefined);
    assert.equal(readChange(message({ s: 'tenant_b', k: '*' }), own), undefined);
    for (const payload of [undefined, '', 'not json', '42', 'null', message({ v: 2, k: 'a' }), message({ k: 'a', e: 'only-env' }), 'x'.repeat(2_000)]) {
      assert.deepEqual(readChange(payload, own), { kind: 'all' }, String(payload).slice(0, 40));
    }
  });
});

async function unreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error && err.message ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const reason = await unreachable();
if (reason !== undefined) {
  const message = `PostgreSQL not reachable at ${url}: ${reason}`;
  if (inCi) test('PostgreSQL is reachable (CI is set, so it must be)', () => assert.fail(message));
  else test('change feed on PostgreSQL', { skip: `${message}; set KEYWAY_TEST_DATABASE_URL to run it` }, () => {});
} else {
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

    async function feedOn(schema: string): Promise<{ feed: ChangeFeed; received: ConfigChange[] }> {
      const store = await openPostgresStore(url, { schema });
      stores.push(store);
      const received: ConfigChange[] = [];
      const events: ChangeFeedEvents = { changed: (c) => void received.push(c), listening: () => {}, lost: () => {}, publishFailed: () => {} };
      const feed = (store.openChangeFeed as (e: ChangeFeedEvents) => ChangeFeed)(events);
      feeds.push(feed);
      return { feed, received };
    }

    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));

    test('routes changes to the other instances of the same schema only', async () => {
      const [one, two, elsewhere] = [await feedOn(schemas[0]!), await feedOn(schemas[0]!), await feedOn(schemas[1]!)];
      const deadline = Date.now() + 5_000;
      while (![one, two, elsewhere].every((f) => f.feed.listening)) {
        assert.ok(Date.now() < deadline, 'feeds listen within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const env = randomUUID();
      const app = randomUUID();
      await one.feed.publish({ kind: 'application', environmentId: env, applicationId: app });
      await one.feed.publish({ kind: 'environment', environmentId: env });
      await one.feed.publish({ kind: 'application', environmentId: env, applicationId: 'not/an/id' });
      await settle();
      assert.deepEqual(two.received, [
        { kind: 'application', environmentId: env, applicationId: app },
        { kind: 'environment', environmentId: env },
        { kind: 'all' },
      ]);
      assert.deepEqual(one.received, [], 'own messages are not applied twice');
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
