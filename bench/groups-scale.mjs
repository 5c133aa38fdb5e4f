// `npm run build && node bench/groups-scale.mjs`: the groups area at PingOne's scale, on both
// engines. One environment gets 10,000 groups (9,999 of them nested: groups 1–99 in group 0,
// every other group in one of groups 0–99), 10,000 users and 100,000 direct memberships (each
// user in 10 groups), written by bulk SQL straight into a migrated store (not through the API,
// which would take minutes). Then each store operation a directory client uses is timed through
// the store (median and max of BENCH_GROUPS_RUNS runs, default 20): every one is a keyset page or
// an indexed lookup, so none loads the collection. PostgreSQL runs in a fresh schema of
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), dropped at the end; it is
// skipped with the reason when the database does not answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openSqliteStore } from '../dist/store/sqlite/sqlite-store.js';
import { openPostgresStore } from '../dist/store/postgres/postgres-store.js';
import { databaseUrl, unreachable } from './postgres.mjs';

const GROUPS = 10_000;
const USERS = 10_000;
const PER_USER = 10;
const RUNS = Number(process.env.BENCH_GROUPS_RUNS ?? 20);
const ENV = 'env-scale';
const AT = '2026-01-01T00:00:00.000Z';

const id = (prefix, i) => `${prefix}-${String(i).padStart(6, '0')}`;

/** Seed SQL for one engine: `series(n)` is a SELECT of i = 0 … n−1 as `i`; `pad(x)` a 6-digit text. */
function seedSql({ series, pad, truthy }) {
  return [
    `INSERT INTO organization (id, name, license_id, created_at) VALUES ('org-scale', 'Scale', 'lic', '${AT}')`,
    `INSERT INTO environments (id, organization_id, name, description, region, type, license_id, status, extras, settings, version, created_at, updated_at)
       VALUES ('${ENV}', 'org-scale', 'Scale', NULL, 'NA', 'SANDBOX', 'lic', 'ACTIVE', '{}', '{}', 1, '${AT}', '${AT}')`,
    `INSERT INTO populations (environment_id, id, name, description, is_default, version, created_at, updated_at)
       VALUES ('${ENV}', 'pop-scale', 'Default', NULL, ${truthy}, 1, '${AT}', '${AT}')`,
    `INSERT INTO groups (environment_id, id, name, scope_key, population_id, description, user_filter, external_id, custom_data, version, created_at, updated_at)
       SELECT '${ENV}', 'g-' || ${pad('i')}, 'Group ' || ${pad('i')}, '', NULL, NULL, NULL, 'ext-' || ${pad('i')}, NULL, 1, '${AT}', '${AT}' FROM (${series(GROUPS)}) AS s`,
    `INSERT INTO group_nestings (environment_id, group_id, parent_id, created_at)
       SELECT '${ENV}', 'g-' || ${pad('i')}, 'g-' || ${pad('CASE WHEN i < 100 THEN 0 ELSE i % 100 END')}, '${AT}' FROM (${series(GROUPS)}) AS s WHERE i > 0`,
    `INSERT INTO users (environment_id, id, population_id, username, username_lower, email, enabled, lifecycle_status, profile, password_hash, password_force_change, password_changed_at, failed_attempts, locked_until, version, created_at, updated_at)
       SELECT '${ENV}', 'u-' || ${pad('i')}, 'pop-scale', 'user-' || ${pad('i')}, 'user-' || ${pad('i')}, 'u' || ${pad('i')} || '@example.test', ${truthy}, 'ACCOUNT_OK', '{}', NULL, NOT ${truthy}, NULL, 0, NULL, 1, '${AT}', '${AT}' FROM (${series(USERS)}) AS s`,
    `INSERT INTO user_groups (environment_id, user_id, group_id, created_at)
       SELECT '${ENV}', 'u-' || ${pad('u.i')}, 'g-' || ${pad(`(u.i * 7 + k.i * ${GROUPS / PER_USER}) % ${GROUPS}`)}, '${AT}' FROM (${series(USERS)}) AS u CROSS JOIN (${series(PER_USER)}) AS k`,
  ];
}

const SQLITE_SQL = {
  series: (n) => `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${n - 1}) SELECT i FROM n`,
  pad: (x) => `printf('%06d', ${x})`,
  truthy: '1',
};
const POSTGRES_SQL = {
  series: (n) => `SELECT generate_series(0, ${n - 1}) AS i`,
  pad: (x) => `lpad((${x})::text, 6, '0')`,
  truthy: 'true',
};

const page = { limit: 100 };
const eq = (attribute, value) => ({ kind: 'compare', attribute, operator: 'eq', value });

/** The operations measured, each a store call a directory client makes. */
const OPERATIONS = [
  ['list groups, first page (100)', (s) => s.listGroups(ENV, page)],
  ['list groups, page after g-005000', (s) => s.listGroups(ENV, { ...page, after: id('g', 5000) })],
  ['groups filter name eq', (s) => s.listGroups(ENV, page, eq('name', 'Group 004242'))],
  ['groups filter name sw (10 hits)', (s) => s.listGroups(ENV, page, { kind: 'compare', attribute: 'name', operator: 'sw', value: 'Group 00424' })],
  ['groups filter externalId eq or name eq', (s) => s.listGroups(ENV, page, { kind: 'or', left: eq('externalId', 'ext-000001'), right: eq('name', 'Group 009999') })],
  ['users filter memberOfGroups[id eq] (10 members)', (s) => s.listUsers(ENV, page, { kind: 'member', attribute: 'memberOfGroups', filter: eq('id', id('g', 4242)) })],
  ["a group's parents (memberOfGroups)", (s) => s.listGroupParents(ENV, id('g', 4242), page)],
  ["a user's memberships, direct + indirect", (s) => s.listUserGroups(ENV, id('u', 4242), page)],
  ["a user's memberOfGroupIDs/Names", (s) => s.userGroupAttributes(ENV, id('u', 4242))],
  ['member counts of a leaf group', (s) => s.countGroupMembers(ENV, id('g', 4242))],
  ['member counts of group 0 (all 100,000 memberships)', (s) => s.countGroupMembers(ENV, id('g', 0))],
];

async function measure(store) {
  const rows = [];
  for (const [name, op] of OPERATIONS) {
    await op(store);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      await op(store);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    rows.push({ name, median: times[Math.floor(times.length / 2)], max: times[times.length - 1] });
  }
  return rows;
}

async function sqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-groups-scale-'));
  try {
    const path = join(dir, 'store.db');
    await (await openSqliteStore(path)).close();
    const started = Date.now();
    const db = new Database(path);
    db.transaction(() => seedSql(SQLITE_SQL).forEach((sql) => db.exec(sql)))();
    db.exec('ANALYZE');
    db.close();
    const seeded = Date.now() - started;
    const store = await openSqliteStore(path, { migrate: false });
    try {
      return { seeded, rows: await measure(store) };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(url) {
  const schema = `keyway_groups_scale_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const store = await openPostgresStore(url, { schema });
    try {
      const started = Date.now();
      await admin.query(`SET search_path TO ${schema}`);
      await admin.query('BEGIN');
      for (const sql of seedSql(POSTGRES_SQL)) await admin.query(sql);
      await admin.query('COMMIT');
      await admin.query('ANALYZE');
      return { seeded: Date.now() - started, rows: await measure(store) };
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
  }
}

function print(engine, result) {
  console.log(`\n${engine}: seeded ${GROUPS} groups, ${USERS} users, ${USERS * PER_USER} memberships in ${result.seeded} ms; ${RUNS} runs each`);
  for (const row of result.rows) console.log(`  ${row.name.padEnd(52)} median ${row.median.toFixed(2).padStart(8)} ms   max ${row.max.toFixed(2).padStart(8)} ms`);
}

print('SQLite', await sqlite());
const url = databaseUrl();
const why = await unreachable(url);
if (why) console.log(`\nPostgreSQL: skipped (${why})`);
else print('PostgreSQL', await postgres(url));
