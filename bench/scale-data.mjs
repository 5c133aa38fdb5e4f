// The data of the scale-data mode (scale.mjs): 100,000 applications and 1,000,000 users written
// into one environment of a running deployment, directly into its store, from the benchmark
// process; then the load is settled. Applications (both engines) and users on SQLite go through
// the built store's own create methods; users on PostgreSQL are inserted with set-based SQL and
// then proved to be what createUser writes (bulkUsersPostgres, verifyBulkUsers).
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { TARGETS } from './run.mjs';
import { fixed } from './report.mjs';

const DIST = new URL('../dist/', import.meta.url);
/** Rows per INSERT … SELECT … generate_series statement (one statement, one commit). */
const USER_CHUNK = 100_000;
/** Users of the set-based load read back through the store and compared field by field. */
const USER_SAMPLES = 20;

const log = (text) => process.stderr.write(`bench: ${text}\n`);

/** The body of the i-th filler application: WEB_APPs (authorization code) and SERVICEs (client secret), alternately. */
export function fillerBody(i) {
  const name = `scale-app-${String(i).padStart(7, '0')}`;
  if (i % 2 === 0) {
    return {
      name,
      enabled: true,
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
      responseTypes: ['CODE'],
      redirectUris: [`https://app-${i}.scale.example/callback`],
      tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    };
  }
  return { name, enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', grantTypes: ['CLIENT_CREDENTIALS'], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' };
}

const username = (i) => `scale-user-${String(i).padStart(7, '0')}`;

/**
 * A fake password hash of the stored format (`scrypt$N$r$p$<16-byte salt>$<32-byte key>`,
 * base64url, as long as a real one) with random bytes: it verifies no password. Hashing a
 * million passwords with scrypt would take hours.
 */
const fakePasswordHash = () => `scrypt$32768$8$1$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;

/** The record of the i-th user, as the benchmark hands it to createUser. */
function scaleUser(i, { id, environmentId, populationId, at, hash }) {
  const name = username(i);
  return {
    id,
    environmentId,
    populationId,
    username: name,
    email: `${name}@scale.example`,
    enabled: true,
    lifecycleStatus: 'ACCOUNT_OK',
    profile: { name: { given: 'Scale', family: `User ${i}` } },
    customAttributes: {},
    password: { hash, forceChange: false, changedAt: at },
    signIn: { failedAttempts: 0 },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Opens the deployment's store in this process, next to its running server(s):
 * - SQLite: the same database file (WAL: the server keeps reading while this process writes).
 *   This connection commits with `synchronous = OFF` (the server's stay FULL): the rows and
 *   indexes written are the same, only the fsync per commit is skipped, for a load in minutes.
 * - PostgreSQL: the same schema, with `synchronous_commit = off` for this connection only.
 * The sealer encrypts the client secrets with the server's master key, as the management API does.
 */
async function openTargetStore(name, target) {
  const { createSealer, decodeMasterKey, loadMasterKey } = await import(new URL('keys/master-key.js', DIST).href);
  if (TARGETS[name].postgres) {
    const { openPostgresStore } = await import(new URL('store/postgres/postgres-store.js', DIST).href);
    const store = await openPostgresStore(target.databaseUrl('-c synchronous_commit=off'), { migrate: false });
    // Eight transactions in flight on the store's pool (10 connections).
    const batch = async (calls) => Promise.all(calls.map((call) => call()));
    return { store, sealer: createSealer(decodeMasterKey(target.masterKey)), batchSize: 8, batch, fsync: 'synchronous_commit = off, 8 transactions in flight' };
  }
  const { openSqliteStore } = await import(new URL('store/sqlite/sqlite-store.js', DIST).href);
  const { SQLITE_FILE } = await import(new URL('store/open.js', DIST).href);
  const store = await openSqliteStore(join(target.dataDir, SQLITE_FILE), { migrate: false });
  // The store keeps its connection private; the pragma is per connection (this one only).
  const db = store.conn?.db;
  db?.pragma('synchronous = OFF');
  // A batch of store calls inside one outer transaction of this connection: the store's own
  // transaction of each call (its work runs synchronously, as better-sqlite3 does) becomes a
  // savepoint in it, so a batch commits once. The rows are those of single calls; a failing call
  // rolls back its savepoint and rejects its promise. Without the connection, calls commit alone.
  const batch = async (calls) => {
    const pending = [];
    if (db) db.transaction(() => void pending.push(...calls.map((call) => call())))();
    else pending.push(...calls.map((call) => call()));
    return Promise.all(pending);
  };
  return { store, db, sealer: createSealer(loadMasterKey(target.dataDir)), batchSize: 500, batch, fsync: db ? 'synchronous = OFF, 500 per commit' : 'synchronous = FULL' };
}

/**
 * Settles a deployment after a load, so that its aftermath (write-back of dirty pages,
 * autovacuum) does not fall into a measurement: SQLite, a WAL checkpoint with synchronous = FULL
 * (which fsyncs the database file); PostgreSQL, VACUUM ANALYZE of `tables` and a CHECKPOINT
 * (which needs a superuser or pg_checkpoint; skipped without). Done to both deployments alike.
 */
export async function settleDeployment(name, target, tables) {
  const start = performance.now();
  let what;
  if (TARGETS[name].postgres) {
    const client = new pg.Client({ connectionString: target.databaseUrl() });
    client.on('error', () => {});
    await client.connect();
    try {
      for (const table of tables) await client.query(`VACUUM ANALYZE ${table}`);
      const checkpoint = await client.query('CHECKPOINT').then(
        () => 'CHECKPOINT',
        (err) => `no CHECKPOINT (${err.message})`,
      );
      what = `VACUUM ANALYZE ${tables.join(', ')}; ${checkpoint}`;
    } finally {
      await client.end();
    }
  } else {
    const { store, db } = await openTargetStore(name, target);
    try {
      if (!db) what = 'no checkpoint (no connection)';
      else {
        db.pragma('synchronous = FULL');
        const [r] = db.pragma('wal_checkpoint(TRUNCATE)');
        what = `wal_checkpoint(TRUNCATE) with synchronous = FULL${r?.busy ? ' (busy)' : ''}`;
      }
    } finally {
      await store.close();
    }
  }
  return { what, seconds: (performance.now() - start) / 1000 };
}

/** Runs `count` store calls made by `make(i)`, `batchSize` at a time through `batch`, printing progress every 10%. */
async function inBatches({ batch, batchSize }, count, what, make) {
  const start = performance.now();
  let nextReport = 0.1;
  for (let from = 0; from < count; from += batchSize) {
    const calls = [];
    for (let i = from; i < Math.min(count, from + batchSize); i += 1) calls.push(make(i));
    await batch(calls);
    const done = Math.min(count, from + batchSize);
    if (done / count >= nextReport - 1e-9) {
      const s = (performance.now() - start) / 1000;
      log(`${what}: ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} inserted (${s.toFixed(1)} s, ${fixed(done / s)}/s)`);
      while (nextReport <= done / count + 1e-9) nextReport += 0.1;
    }
  }
}

/**
 * Loads deployment B: `applications` applications, then `users` users, into its environment,
 * then settles it (settleDeployment).
 * @returns {Promise<{applications: {count, seconds, perSecond, fsync}, ids: string[], users: object, settled: {what, seconds}}>}
 */
export async function loadScaleData(name, target, { applications, users }) {
  const loader = await openTargetStore(name, target);
  try {
    const apps = await insertApplications(name, target, loader, applications);
    const userResult = await insertUsers(name, target, loader, users);
    const tables = ['applications', 'application_secrets', ...(userResult.measured ? ['users'] : [])];
    const settled = await settleDeployment(name, target, tables);
    log(`${TARGETS[name].label}, B: ${settled.what} in ${settled.seconds.toFixed(1)} s`);
    return { applications: apps.summary, ids: apps.ids, users: userResult, settled, tables };
  } finally {
    await loader.store.close();
  }
}

/**
 * Inserts `count` applications into the environment the way the management API's create does
 * (src/management/applications/service.ts): the body validated by parseApplicationBody, a new
 * id, version 1, timestamps, and a generated client secret sealed with the master key, written
 * with the store's createApplication (batched: SQLite 500 per commit, PostgreSQL 8 transactions in
 * flight; see openTargetStore).
 */
async function insertApplications(name, target, loader, count) {
  const { parseApplicationBody } = await import(new URL('management/applications/validate.js', DIST).href);
  const { generateClientSecret, newSecretRecord } = await import(new URL('management/applications/secret.js', DIST).href);
  const { store, sealer, fsync } = loader;
  const ids = new Array(count);
  const start = performance.now();
  await inBatches(loader, count, `${TARGETS[name].label}, B: applications`, (i) => {
    const config = parseApplicationBody(fillerBody(i), { kind: 'create' });
    const now = new Date();
    const at = now.toISOString();
    const id = randomUUID();
    ids[i] = id;
    const bundle = {
      application: { id, environmentId: target.envId, config, version: 1, createdAt: at, updatedAt: at },
      secret: newSecretRecord(target.envId, id, generateClientSecret(), sealer, now),
      roleAssignments: [],
    };
    return () => store.createApplication(target.envId, bundle);
  });
  const seconds = (performance.now() - start) / 1000;
  log(`${TARGETS[name].label}, B: inserted ${count.toLocaleString('en-US')} applications in ${seconds.toFixed(1)} s (${fixed(count / seconds)}/s, ${fsync})`);
  return { ids, summary: { count, seconds, perSecond: count / seconds, fsync } };
}

/**
 * `count` users in the environment's default population, when the built store has createUser.
 * SQLite: every one with the store's createUser, batched like the applications. PostgreSQL: user
 * 0 with createUser, the others with set-based SQL (bulkUsersPostgres), then proved to be what
 * createUser writes (verifyBulkUsers); a difference fails the run.
 */
async function insertUsers(name, target, loader, count) {
  const { store } = loader;
  const label = `${TARGETS[name].label}, B`;
  if (typeof store.createUser !== 'function') return { measured: false, why: 'no users store yet' };
  if (count === 0) return { measured: false, why: 'BENCH_SCALE_USERS=0' };
  const population = await store.getDefaultPopulation(target.envId);
  if (!population) throw new Error('the environment has no default population');
  const environmentId = target.envId;
  const populationId = population.id;
  const start = performance.now();
  let method;
  let verified;
  if (TARGETS[name].postgres) {
    const at = new Date().toISOString();
    const reference = scaleUser(0, { id: randomUUID(), environmentId, populationId, at, hash: fakePasswordHash() });
    await store.createUser(environmentId, reference);
    await bulkUsersPostgres(target, label, environmentId, populationId, count);
    const seconds = (performance.now() - start) / 1000;
    log(`${label}: inserted ${count.toLocaleString('en-US')} users in ${seconds.toFixed(1)} s; verifying ${USER_SAMPLES} of them through the store`);
    verified = await verifyBulkUsers(target, store, reference, count);
    log(`${label}: users verified: ${verified.summary}`);
    method = `user 0 with the store's createUser, the other ${(count - 1).toLocaleString('en-US')} with INSERT … SELECT … FROM generate_series, ${Math.ceil((count - 1) / USER_CHUNK)} statement(s) of up to ${USER_CHUNK.toLocaleString('en-US')} rows, synchronous_commit = off`;
  } else {
    await inBatches(loader, count, `${label}: users`, (i) => {
      const at = new Date().toISOString();
      const user = scaleUser(i, { id: randomUUID(), environmentId, populationId, at, hash: fakePasswordHash() });
      return () => store.createUser(environmentId, user);
    });
    method = `the store's createUser (${loader.fsync})`;
  }
  const seconds = (performance.now() - start) / 1000;
  const stored = await store.countUsersInPopulation(environmentId, populationId);
  if (stored !== count) throw new Error(`the store counts ${stored} users in the population, ${count} were inserted`);
  log(`${label}: ${count.toLocaleString('en-US')} users in ${seconds.toFixed(1)} s (${fixed(count / seconds)}/s; ${method})`);
  return {
    measured: true,
    count,
    stored,
    seconds,
    perSecond: count / seconds,
    method,
    verified,
    passwordHash: 'fake: scrypt format with random salt and key bytes, not a hash of any password',
  };
}

/**
 * Users 1 … count-1 on PostgreSQL, USER_CHUNK rows per statement, each the row createUser writes
 * for scaleUser(i) (src/store/postgres/users.ts: userInsertColumns + userFlags of
 * src/store/shared/user-rows.ts, table of migration 0003_users):
 * - id: gen_random_uuid() (core since PostgreSQL 13) as text, lower-case like randomUUID();
 * - username `scale-user-<i, 7 digits>`; username_lower the same (ASCII lower case already, which
 *   is what usernameKey's NFC + toLowerCase gives); email `<username>@scale.example`;
 * - profile the JSON text JSON.stringify writes, key order and all (never json_build_object, whose
 *   text has spaces);
 * - password_hash `scrypt$32768$8$1$<salt>$<key>`: 16 and 32 bytes of gen_random_uuid() output
 *   (uuid_send), base64url without padding, as Buffer#toString('base64url') writes; no pgcrypto;
 * - the statement's ISO timestamp (JavaScript's toISOString) in password_changed_at, created_at
 *   and updated_at; enabled true, ACCOUNT_OK, no forced change, 0 failures, no lock, version 1.
 * The loader's own connection commits with synchronous_commit = off (the servers' keep theirs).
 * The users table has no change-notification trigger (migration 0005): nothing is announced,
 * as with createUser.
 */
async function bulkUsersPostgres(target, label, environmentId, populationId, count) {
  const b64url = (bytes) => `rtrim(translate(encode(${bytes}, 'base64'), '+/', '-_'), '=')`;
  const uuidBytes = 'uuid_send(gen_random_uuid())';
  const sql = `
    INSERT INTO users (environment_id, id, population_id, username, username_lower, email, enabled, lifecycle_status, profile,
                       password_hash, password_force_change, password_changed_at, failed_attempts, locked_until, version, created_at, updated_at)
    SELECT $1::text, gen_random_uuid()::text, $2::text, u.name, u.name, u.name || '@scale.example', true, 'ACCOUNT_OK',
           '{"name":{"given":"Scale","family":"User ' || g || '"}}',
           'scrypt$32768$8$1$' || ${b64url(uuidBytes)} || '$' || ${b64url(`${uuidBytes} || ${uuidBytes}`)},
           false, $3::text, 0, NULL, 1, $3::text, $3::text
    FROM generate_series($4::integer, $5::integer) AS g,
         LATERAL (SELECT 'scale-user-' || lpad(g::text, 7, '0') AS name) AS u`;
  const client = new pg.Client({ connectionString: target.databaseUrl('-c synchronous_commit=off') });
  client.on('error', () => {});
  await client.connect();
  const start = performance.now();
  try {
    for (let from = 1; from < count; from += USER_CHUNK) {
      const to = Math.min(count - 1, from + USER_CHUNK - 1);
      const { rowCount } = await client.query(sql, [environmentId, populationId, new Date().toISOString(), from, to]);
      if (rowCount !== to - from + 1) throw new Error(`users ${from}–${to}: ${rowCount} rows inserted, ${to - from + 1} expected`);
      const s = (performance.now() - start) / 1000;
      log(`${label}: users: ${(to + 1).toLocaleString('en-US')} / ${count.toLocaleString('en-US')} inserted (${s.toFixed(1)} s, ${fixed(to / s)}/s)`);
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** The shape of a value: its keys (sorted) and the types of its leaves, recursively. */
function shape(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape(value[k])]));
  return typeof value;
}

/** The differing fields of two flat or nested objects, for the error message. */
function differences(actual, expected, path = '') {
  if (isDeepStrictEqual(actual, expected)) return [];
  const bothObjects = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!bothObjects(actual) || !bothObjects(expected)) return [`${path || '(value)'}: ${JSON.stringify(actual)} ≠ expected ${JSON.stringify(expected)}`];
  const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])];
  return keys.flatMap((k) => differences(actual[k], expected[k], path ? `${path}.${k}` : k));
}

/**
 * Proves that the set-based users are what createUser writes, through the built store:
 * - the reference user 0 (written by createUser): getUser returns the record given, and its raw
 *   row equals the columns the store's own mapping (userInsertColumns + userFlags) makes of it,
 *   types included (so the comparison below means what it says);
 * - USER_SAMPLES users of the SQL range (the first, the last and random ones), found with
 *   findUserByUsername under an upper-cased name (the username_lower key) and with getUser:
 *   the record equals scaleUser(i) with the row's own id, timestamp and hash, field by field;
 *   its raw row equals the store's mapping of that record, column by column; its shape (keys and
 *   types) equals the reference's; the id is a lower-case UUID, the timestamp an ISO instant, the
 *   hash one parseHash reads as N = 32768, r = 8, p = 1, 16-byte salt, 32-byte key, like the
 *   reference's;
 * - listUsers: the count is `count`, a page of 20 has the reference's shape, the username filter
 *   (case-insensitive) and the email filter find exactly the sample;
 * - countUsersInPopulation is `count`;
 * - createUser with a sample's username in upper case fails with a username clash (the unique
 *   index on username_lower holds the SQL rows).
 * Throws with every difference found.
 */
async function verifyBulkUsers(target, store, reference, count) {
  const { userInsertColumns, userFlags } = await import(new URL('store/shared/user-rows.js', DIST).href);
  const { parseHash } = await import(new URL('management/users/password-hash.js', DIST).href);
  const environmentId = target.envId;
  const client = new pg.Client({ connectionString: target.databaseUrl() });
  client.on('error', () => {});
  await client.connect();
  const problems = [];
  const expectedRow = (user) => ({ ...userInsertColumns(user), ...userFlags(user), environment_id: environmentId });
  const rawRow = async (id) => (await client.query('SELECT * FROM users WHERE environment_id = $1 AND id = $2', [environmentId, id])).rows[0];
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const hashFacts = (hash) => {
    const parsed = parseHash(hash);
    return parsed && { N: parsed.N, r: parsed.r, p: parsed.p, saltBytes: parsed.salt.length, keyBytes: parsed.key.length, length: hash.length };
  };
  try {
    // The reference: what createUser writes and what the store returns for it.
    const ref = await store.getUser(environmentId, reference.id);
    problems.push(...differences(ref, reference).map((d) => `reference user (createUser) read back: ${d}`));
    const refRow = await rawRow(reference.id);
    problems.push(...differences(refRow, expectedRow(reference)).map((d) => `reference user row: ${d}`));
    const refShape = shape(ref);
    const refHash = hashFacts(reference.password.hash);

    // The samples: the first and last of the SQL range and random ones between.
    const picks = new Set([1, count - 1].filter((i) => i >= 1 && i < count));
    let last;
    while (picks.size < Math.min(USER_SAMPLES, count - 1)) picks.add(1 + Math.floor(Math.random() * (count - 1)));
    for (const i of picks) {
      const what = `user ${i}`;
      const found = await store.findUserByUsername(environmentId, username(i).toUpperCase());
      if (!found) {
        problems.push(`${what}: findUserByUsername(${username(i).toUpperCase()}) found nothing`);
        continue;
      }
      const got = await store.getUser(environmentId, found.id);
      problems.push(...differences(got, found).map((d) => `${what}: getUser vs findUserByUsername: ${d}`));
      const expected = scaleUser(i, { id: found.id, environmentId, populationId: reference.populationId, at: found.createdAt, hash: found.password?.hash });
      problems.push(...differences(got, expected).map((d) => `${what}: ${d}`));
      problems.push(...differences(await rawRow(found.id), expectedRow(expected)).map((d) => `${what} row: ${d}`));
      problems.push(...differences(shape(got), refShape).map((d) => `${what} shape vs reference: ${d}`));
      if (!UUID.test(found.id)) problems.push(`${what}: id ${found.id} is not a lower-case UUID`);
      if (!ISO.test(found.createdAt) || !ISO.test(found.password?.changedAt ?? '')) problems.push(`${what}: timestamp ${found.createdAt} is not an ISO instant`);
      problems.push(...differences(hashFacts(found.password?.hash ?? ''), refHash).map((d) => `${what} password hash vs reference: ${d}`));
      last = { i, got };
    }
    if (last) {
      // The list filters find exactly the last sample.
      const { i, got } = last;
      const byName = await store.listUsers(environmentId, { limit: 10 }, { attribute: 'username', value: username(i).toUpperCase() });
      if (byName.count !== 1 || !isDeepStrictEqual(byName.items[0], got)) problems.push(`user ${i}: listUsers username filter gave ${byName.count} users`);
      const byEmail = await store.listUsers(environmentId, { limit: 10 }, { attribute: 'email', value: got.email });
      if (byEmail.count !== 1 || !isDeepStrictEqual(byEmail.items[0], got)) problems.push(`user ${i}: listUsers email filter gave ${byEmail.count} users`);
    }
    const page = await store.listUsers(environmentId, { limit: 20 });
    if (page.count !== count) problems.push(`listUsers counts ${page.count} users, ${count} expected`);
    if (page.items.length !== Math.min(20, count)) problems.push(`listUsers gave ${page.items.length} users on a page of 20`);
    for (const item of page.items) problems.push(...differences(shape(item), refShape).map((d) => `listUsers item ${item.username} shape: ${d}`));
    const counted = await store.countUsersInPopulation(environmentId, reference.populationId);
    if (counted !== count) problems.push(`countUsersInPopulation: ${counted}, ${count} expected`);

    // The unique index on username_lower holds the SQL rows.
    const clashing = scaleUser(count > 1 ? 1 : 0, { id: randomUUID(), environmentId, populationId: reference.populationId, at: new Date().toISOString(), hash: fakePasswordHash() });
    clashing.username = clashing.username.toUpperCase();
    clashing.email = `clash-${clashing.email}`;
    const clash = await store.createUser(environmentId, clashing).then(
      () => 'accepted',
      (err) => (err?.field === 'username' ? 'username clash' : `failed otherwise: ${err?.message ?? err}`),
    );
    if (clash !== 'username clash') problems.push(`createUser with the existing username ${clashing.username}: ${clash}, a username clash expected`);
    if (clash === 'accepted') await store.deleteUser(environmentId, clashing.id).catch(() => {});
    if (problems.length > 0) {
      throw new Error(`the users inserted with SQL differ from what createUser writes (${problems.length} differences):\n  ${problems.slice(0, 40).join('\n  ')}`);
    }
    return {
      samples: picks.size,
      summary: `${picks.size} sampled users equal, field by field and column by column, the records and rows createUser writes (reference user 0 made by createUser); list/count/username filter/email filter/unique username agree`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}
