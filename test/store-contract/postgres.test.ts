/**
 * Runs the store contract against PostgreSQL, then checks what only the PostgreSQL store has: its
 * migration list, several instances migrating one schema at once, the `search_path` isolation,
 * and the mapping of driver failures to StoreUnavailable / UniqueViolation.
 *
 * Schemas: the contract cases share one schema of the test database, migrated once; before each
 * case every table but schema_migrations is emptied (EmptiedSchema), so each case starts from an
 * empty, migrated store as it would on a new schema, without the half second that migrating a
 * schema costs. The cases about migrating itself (freshDatabase, the migration fixtures, the
 * specifics below) get a fresh random schema each. All are dropped at the end.
 *
 * Database: KEYWAY_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test. When it
 * cannot be reached the PostgreSQL cases are skipped with the reason, except when CI is set
 * (.ci/run starts the server), where that is a failure.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresMigrations, sqliteMigrations } from '../../src/store/migrations/index.js';
import { mapPostgresError } from '../../src/store/postgres/errors.js';
import { ensureSchema, migratePostgres } from '../../src/store/postgres/migrate.js';
import { numberPlaceholders, PgDatabase, poolConfig } from '../../src/store/postgres/pool.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { changes, row, type Q } from '../../src/store/sql/statement.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreUnavailable, UniqueViolation, type Store } from '../../src/store/types.js';
import { postgresAnswers, TEST_DATABASE_URL } from '../support/e2e.js';
import { environmentBundle, organization } from '../support/store-fixtures.js';
import { runStoreContract } from './contract.js';
import { ROWS_1 } from './migration-data/0001_init.js';
import { migrationDataCases } from './migration-data/index.js';
import { clientAuthMigrationCases } from './migration-fixtures.js';
import { unstorableTextCases } from './unstorable-text.js';

const url = TEST_DATABASE_URL;

const schemas: string[] = [];

/** A new schema name, dropped with everything in it once the file's tests are done. */
function freshSchema(): string {
  const schema = `keyway_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

/** Runs `sql` on a plain client outside any store (inspection and clean-up). */
async function admin<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Stores on one schema migrated once (on first use), emptied before each store is opened: every
 * table but schema_migrations loses its rows, and every sequence restarts. DELETE in foreign-key
 * order, in one transaction, rather than TRUNCATE: TRUNCATE gives each of the ~20 tables new
 * files and costs about as much as migrating afresh, while deleting a few rows takes
 * milliseconds. Tables, keys and sequences are read from the catalogue once migrated, so those
 * added by later migrations are included.
 */
class EmptiedSchema {
  private readonly schema = freshSchema();
  private client?: pg.Client;
  private emptying = '';

  async open(): Promise<Store> {
    if (!this.client) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      // A store left holding a lock would otherwise make the emptying wait for ever.
      await client.query(`SET lock_timeout = '10s'`);
      this.client = client;
      await (await openPostgresStore(url, { schema: this.schema })).close();
      this.emptying = await emptyingSql(client, this.schema);
    } else {
      await this.client.query(this.emptying);
    }
    return openPostgresStore(url, { schema: this.schema });
  }

  async close(): Promise<void> {
    await this.client?.end();
    this.client = undefined;
  }
}

/**
 * One statement list that empties `schema` but for schema_migrations: a DELETE per table, tables
 * referencing others before those they reference (TRUNCATE ... CASCADE when the references form
 * a cycle), then every sequence set back to its start.
 */
async function emptyingSql(client: pg.Client, schema: string): Promise<string> {
  const qualified = `quote_ident(n.nspname) || '.' || quote_ident(c.relname)`;
  const tables = (
    await client.query<{ name: string }>(
      `SELECT ${qualified} AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations' ORDER BY c.relname`,
      [schema],
    )
  ).rows.map((r) => r.name);
  assert.ok(tables.length > 0, 'the migrated schema has tables');
  const references = (
    await client.query<{ child: string; parent: string }>(
      `SELECT ${qualified} AS child, quote_ident(pn.nspname) || '.' || quote_ident(p.relname) AS parent
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
       WHERE k.contype = 'f' AND n.nspname = $1 AND k.conrelid <> k.confrelid`,
      [schema],
    )
  ).rows;
  const sequences = (
    await client.query<{ name: string }>(
      `SELECT quote_literal(quote_ident(schemaname) || '.' || quote_ident(sequencename)) || ', ' || start_value AS name
       FROM pg_sequences WHERE schemaname = $1`,
      [schema],
    )
  ).rows.map((r) => `SELECT setval(${r.name}, false)`);
  const order: string[] = [];
  let left = tables;
  while (left.length > 0) {
    const referenced = new Set(references.filter((r) => left.includes(r.child)).map((r) => r.parent));
    const leaves = left.filter((t) => !referenced.has(t));
    if (leaves.length === 0) return `TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`;
    order.push(...leaves);
    left = left.filter((t) => referenced.has(t));
  }
  // Several statements in one simple query run as one transaction, rolled back whole on an error.
  return [...order.map((t) => `DELETE FROM ${t}`), ...sequences].join('; ');
}

const versionsAndNames = (list: readonly { version: number; name: string }[]) => list.map(({ version, name }) => ({ version, name }));

describe('postgres store: offline checks', () => {
  it('numbers ? placeholders in order', () => {
    assert.equal(numberPlaceholders('a = ? AND b IN (?, ?)'), 'a = $1 AND b IN ($2, $3)');
  });

  it('sets search_path through the connection options, keeping options the URL already has', () => {
    assert.equal(poolConfig('postgres://h/db', 'keyway_x').options, '-c search_path=keyway_x');
    const merged = poolConfig('postgres://h/db?options=-c%20work_mem%3D8MB&sslmode=disable', 'keyway_x');
    assert.equal(merged.options, '-c work_mem=8MB -c search_path=keyway_x');
    assert.ok(!String(merged.connectionString).includes('options='));
    assert.equal(poolConfig('postgres://h/db').options, undefined);
    assert.throws(() => poolConfig('postgres://h/db', 'Bad; DROP'), TypeError);
  });

  it('maps unique violations to the fields SQLite reports, and connection failures to StoreUnavailable', () => {
    const dbError = (code: string, extra: Partial<pg.DatabaseError> = {}) =>
      Object.assign(new pg.DatabaseError('failed', 0, 'error'), { code, ...extra });
    const name = mapPostgresError(
      dbError('23505', { constraint: 'resources_environment_name', detail: 'Key (environment_id, name)=(e, n) already exists.' }),
    );
    assert.ok(name instanceof UniqueViolation && name.field === 'name');
    const id = mapPostgresError(
      dbError('23505', { constraint: 'application_secrets_pkey', detail: 'Key (environment_id, application_id)=(e, a) already exists.' }),
    );
    assert.ok(id instanceof UniqueViolation && id.field === 'id');
    for (const code of ['57P01', '57P03', '08006', '53300', '57014', '3D000']) {
      assert.ok(mapPostgresError(dbError(code)) instanceof StoreUnavailable, code);
    }
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.ok(mapPostgresError(refused) instanceof StoreUnavailable);
    assert.ok(mapPostgresError(new AggregateError([refused], '')) instanceof StoreUnavailable);
    assert.ok(mapPostgresError(new Error('timeout exceeded when trying to connect')) instanceof StoreUnavailable);
    const foreignKey = dbError('23503');
    assert.equal(mapPostgresError(foreignKey), foreignKey);
  });

  it('has one migration per SQLite migration, same numbers and names, listed as in the folder', () => {
    const dir = fileURLToPath(new URL('../../src/store/migrations/', import.meta.url));
    const onDisk = readdirSync(dir)
      .filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(f))
      .sort()
      .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -3) }));
    assert.deepEqual(versionsAndNames(postgresMigrations), onDisk);
    assert.deepEqual(versionsAndNames(postgresMigrations), versionsAndNames(sqliteMigrations));
  });

  it('fails with StoreUnavailable when nothing listens on the port', async () => {
    await assert.rejects(openPostgresStore('postgres://postgres@127.0.0.1:1/test'), StoreUnavailable);
    const lazy = await openPostgresStore('postgres://postgres@127.0.0.1:1/test', { migrate: false });
    await assert.rejects(lazy.ping(), StoreUnavailable);
    await lazy.close();
  });
});

unstorableTextCases('sqlite', () => openSqliteStore(':memory:'));

if (await postgresAnswers('store contract: postgres', url)) {
  const shared = new EmptiedSchema();
  after(async () => {
    await shared.close();
    for (const schema of schemas) await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  runStoreContract('postgres', () => shared.open(), {
    async freshDatabase() {
      const schema = freshSchema();
      return { open: () => openPostgresStore(url, { schema, migrate: false }) };
    },
  });

  unstorableTextCases('postgres', () => shared.open());

  clientAuthMigrationCases('postgres', async () => {
    const schema = freshSchema();
    const db = new PgDatabase(url, schema);
    try {
      await ensureSchema(db, schema);
      await migratePostgres(db, undefined, postgresMigrations.slice(0, 1));
      await db.transaction((tx) => tx.exec(ROWS_1));
    } finally {
      await db.close();
    }
    return openPostgresStore(url, { schema, migrate: false });
  });

  migrationDataCases({ engine: 'postgres', url });

  describe('postgres store specifics', () => {
    it('records the jtis of concurrent requests in one statement; a repeat within it is a replay, a record that fails fails alone, and an unavailable database fails the batch at once', async () => {
      const store = await openPostgresStore(url, { schema: freshSchema() });
      const statements: string[] = [];
      const pg = (store as unknown as { pg: { query: (sql: string, params?: unknown[]) => Promise<unknown> } }).pg;
      const query = pg.query.bind(pg);
      pg.query = (sql, params) => {
        statements.push(sql);
        return query(sql, params);
      };
      try {
        const org = organization();
        const env = environmentBundle(org.id);
        await store.createOrganization(org);
        await store.createEnvironment(env);
        const envId = env.environment.id;
        const later = new Date(Date.now() + 60_000).toISOString();
        const now = new Date().toISOString();
        statements.length = 0;
        const results = await Promise.all([
          ...Array.from({ length: 10 }, (_, i) => store.recordAssertionJti(envId, 'client', `jti-${i}`, later, now)),
          store.recordAssertionJti(envId, 'client', 'jti-3', later, now),
          store.recordAssertionJti(envId, 'client', 'jti-3', later, now),
        ]);
        assert.deepEqual(results, [...Array.from({ length: 10 }, () => true), false, false]);
        assert.equal(statements.length, 1, 'one statement for the twelve records');
        assert.equal(await store.recordAssertionJti(envId, 'client', 'jti-3', later, now), false, 'and they are recorded');

        statements.length = 0;
        const unknownEnvironment = '00000000-0000-4000-8000-000000000000';
        const mixed = await Promise.allSettled([
          store.recordAssertionJti(envId, 'client', 'jti-a', later, now),
          store.recordAssertionJti(unknownEnvironment, 'client', 'jti-b', later, now),
          store.recordAssertionJti(envId, 'client', 'jti-1', later, now),
        ]);
        assert.deepEqual(mixed[0], { status: 'fulfilled', value: true });
        assert.equal(mixed[1]?.status, 'rejected', 'no such environment (a foreign key)');
        assert.deepEqual(mixed[2], { status: 'fulfilled', value: false }, 'a replay stays a replay');
        assert.equal(statements.length, 4, 'the batch, then each record on its own');

        // The database unavailable: every record of the batch fails with that, and none is tried again.
        statements.length = 0;
        pg.query = (sql) => {
          statements.push(sql);
          return Promise.reject(new StoreUnavailable('the database does not answer'));
        };
        const down = await Promise.allSettled([store.recordAssertionJti(envId, 'client', 'jti-x', later, now), store.recordAssertionJti(envId, 'client', 'jti-y', later, now)]);
        for (const outcome of down) assert.ok(outcome.status === 'rejected' && outcome.reason instanceof StoreUnavailable, JSON.stringify(outcome));
        assert.equal(statements.length, 1, 'one statement, no second wait');
        pg.query = query;
      } finally {
        await store.close();
      }
    });

    it('broadcasts a message to the other instances on the schema: not to its sender, not to another schema', async () => {
      const [schema, other] = [freshSchema(), freshSchema()];
      const [a, b, c] = await Promise.all([openPostgresStore(url, { schema }), openPostgresStore(url, { schema }), openPostgresStore(url, { schema: other })]);
      const heard = { a: [] as string[], b: [] as string[], c: [] as string[] };
      const channels = [a.openBroadcast((m) => heard.a.push(m)), b.openBroadcast((m) => heard.b.push(m)), c.openBroadcast((m) => heard.c.push(m))];
      try {
        // Each listener announces itself in pg_stat_activity once it listens (keyway-broadcast:{schema}).
        const names = [`keyway-broadcast:${schema}`, `keyway-broadcast:${other}`];
        const listening = async (): Promise<number> =>
          (await admin<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ANY($1)', [names]))[0]?.n ?? 0;
        for (let i = 0; i < 100 && (await listening()) < 3; i++) await new Promise((r) => setTimeout(r, 50));
        assert.equal(await listening(), 3, 'three listening connections');
        const [fromA, , fromC] = channels;
        fromA!.send('from a');
        fromC!.send('from c');
        for (let i = 0; i < 100 && heard.b.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        // A later message from a reaches b after the first one: anything a or c heard meanwhile would be there too.
        fromA!.send('again from a');
        for (let i = 0; i < 100 && heard.b.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(heard.b, ['from a', 'again from a']);
        assert.deepEqual(heard.a, [], 'an instance does not hear itself');
        assert.deepEqual(heard.c, [], 'another schema is another deployment');
      } finally {
        await Promise.all(channels.map((ch) => ch.close()));
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });

    it('starts an atomic unit of work again when PostgreSQL aborts it as a deadlock victim, at most three times', async () => {
      const store = await openPostgresStore(url, { schema: freshSchema() });
      const run = (store as unknown as { run<T>(start: () => Q<T>, atomic: boolean): Promise<T> }).run.bind(store);
      const deadlock = "DO $$ BEGIN RAISE EXCEPTION 'chosen as the victim' USING ERRCODE = 'deadlock_detected'; END $$";
      try {
        let starts = 0;
        const once = await run(function* () {
          starts++;
          if (starts === 1) yield* changes(deadlock);
          return (yield* row<{ n: number }>('SELECT 41 + 1 AS n'))?.n;
        }, true);
        assert.equal(once, 42);
        assert.equal(starts, 2, 'aborted once, then run again');

        starts = 0;
        await assert.rejects(
          run(function* () {
            starts++;
            yield* changes(deadlock);
          }, true),
          StoreUnavailable,
        );
        assert.equal(starts, 3, 'bounded: three tries, then the outage error');

        starts = 0;
        await assert.rejects(
          run(function* () {
            starts++;
            yield* changes(deadlock);
          }, false),
          StoreUnavailable,
        );
        assert.equal(starts, 1, 'statements outside a transaction are never repeated');
      } finally {
        await store.close();
      }
    });

    it('records each applied migration once in schema_migrations', async () => {
      const schema = freshSchema();
      const store = await openPostgresStore(url, { schema });
      try {
        await store.migrate();
        const status = await store.migrationStatus();
        assert.deepEqual(status.pending, []);
        assert.deepEqual(versionsAndNames(status.applied), versionsAndNames(postgresMigrations));
      } finally {
        await store.close();
      }
      const rows = await admin<{ n: number }>(`SELECT count(*)::integer AS n FROM ${schema}.schema_migrations`);
      assert.equal(rows[0]?.n, postgresMigrations.length);
    });

    it('stores JSON documents as text, not jsonb, and ids with byte-order collation', async () => {
      const schema = freshSchema();
      await (await openPostgresStore(url, { schema })).close();
      const columns = await admin<{ table_name: string; column_name: string; data_type: string; collation_name: string | null }>(
        `SELECT table_name, column_name, data_type, collation_name FROM information_schema.columns WHERE table_schema = $1`,
        [schema],
      );
      assert.ok(!columns.some((c) => c.data_type === 'jsonb'));
      const config = columns.find((c) => c.table_name === 'applications' && c.column_name === 'config');
      assert.equal(config?.data_type, 'text');
      for (const c of columns.filter((col) => col.column_name === 'id')) assert.equal(c.collation_name, 'C', c.table_name);
    });

    it('lets four instances open and migrate one new schema at once', async () => {
      const schema = freshSchema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url, { schema })));
      try {
        const org = organization();
        await stores[0]!.createOrganization(org);
        for (const store of stores) assert.deepEqual(await store.getOrganization(), org);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
      const rows = await admin<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
      assert.deepEqual(rows.map((r) => r.version), postgresMigrations.map((m) => m.version));
    });

    it('keeps schemas apart: a store sees only the schema it was opened on', async () => {
      const one = await openPostgresStore(url, { schema: freshSchema() });
      const two = await openPostgresStore(url, { schema: freshSchema() });
      try {
        await one.createOrganization(organization());
        assert.equal(await two.getOrganization(), undefined);
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });

    it('refuses a schema migrated by a newer build', async () => {
      const schema = freshSchema();
      await (await openPostgresStore(url, { schema })).close();
      await admin(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')`);
      await assert.rejects(openPostgresStore(url, { schema }), /newer than this build/);
    });
  });
}
