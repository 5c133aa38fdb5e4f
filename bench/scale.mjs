// `npm run bench -- --scale` (or BENCH_SCALE=1 npm run bench): the scale-data mode (issue 5 item 5).
// For Keyway on SQLite and, when its database answers, Keyway ×2 on PostgreSQL:
//
//   1. start the target and configure the benchmark client as the default mode does, then create
//      9 more applications through the management API: the environment holds 10 applications;
//   2. measure: the token endpoint (the default mode's load: pre-signed private_key_jwt
//      assertions, same concurrency and window) and single-application reads
//      (GET /v1/environments/{env}/applications/{id} with the admin token, one at a time, after as
//      many unmeasured ones) of the benchmark's own application and of random applications of the
//      environment; then all of it once more, as a control of the machine's run-to-run noise;
//   3. insert BENCH_SCALE_APPLICATIONS (default 100,000) applications into the same environment
//      directly into the store, from this process, while the server runs (see insertApplications);
//   4. users: BENCH_SCALE_USERS (default 1,000,000) the same way when the built store has
//      `createUser` (insertUsers); otherwise "users: not measured (no users store yet)";
//   5. settle the load (checkpoint; VACUUM ANALYZE on PostgreSQL), measure again, and print the
//      figure sets and the ratios (goal, issue 5: within 20%).
//
// Settings: those of the default mode (BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONCURRENCY,
// BENCH_CRYPTO_SECONDS, BENCH_TARGETS: keyway and/or keyway-postgres), plus
// BENCH_SCALE_APPLICATIONS (default 100000), BENCH_SCALE_USERS (default 1000000), BENCH_SCALE_READS
// (default 500), BENCH_SCALE_CONTROL (1; 0 skips the control), BENCH_SCALE_POSTGRES_USERS (1: insert
// the users on PostgreSQL even when that takes long). With --smoke: 2,000 applications, 10,000
// users, 100 reads and the smoke window.
// Writes bench/results/scale-latest.json.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Pool } from 'undici';
import { benchApplicationBody } from './keyway-target.mjs';
import { onCleanup } from './processes.mjs';
import { fixed, row } from './report.mjs';
import { TARGETS, assertionsFor, chooseTargets, clientKey, cryptoBound, machine, measureToken, settingsFrom, stopTarget, writeResults } from './run.mjs';

const RESULTS = fileURLToPath(new URL('./results/scale-latest.json', import.meta.url));
const DIST = new URL('../dist/', import.meta.url);
/** Issue 5 item 5: "stay within 20% of an environment with ten applications". */
const TOLERANCE = 0.2;
const BASE_APPLICATIONS = 10;

function scaleSettings(env, smoke) {
  const integer = (name, fallback, min, max) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
    return value;
  };
  return {
    applications: integer('BENCH_SCALE_APPLICATIONS', smoke ? 2_000 : 100_000, 0, 1_000_000),
    users: integer('BENCH_SCALE_USERS', smoke ? 10_000 : 1_000_000, 0, 10_000_000),
    reads: integer('BENCH_SCALE_READS', smoke ? 100 : 500, 10, 100_000),
    // A second measurement of the 10-application environment, before the inserts: how far two
    // identical runs differ on this machine right now, to read the ratios against.
    control: integer('BENCH_SCALE_CONTROL', 1, 0, 1) === 1,
  };
}

const log = (text) => process.stderr.write(`bench: ${text}\n`);

/** The body of the i-th filler application: WEB_APPs (authorization code) and SERVICEs (client secret), alternately. */
function fillerBody(i) {
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

/**
 * Opens the target's store in this process, next to the running server(s):
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
    // What autovacuum and the checkpointer do soon after a bulk load, done now: the second
    // measurement sees the steady state, not the load's aftermath (dirty buffers written back
    // while it runs). CHECKPOINT needs a superuser or pg_checkpoint; without, it is skipped.
    const settle = async (tables) => {
      const client = new pg.Client({ connectionString: target.databaseUrl() });
      client.on('error', () => {});
      await client.connect();
      try {
        for (const table of tables) await client.query(`VACUUM ANALYZE ${table}`);
        const checkpoint = await client.query('CHECKPOINT').then(
          () => 'CHECKPOINT',
          (err) => `no CHECKPOINT (${err.message})`,
        );
        return `VACUUM ANALYZE ${tables.join(', ')}; ${checkpoint}`;
      } finally {
        await client.end();
      }
    };
    // Eight transactions in flight on the store's pool (10 connections).
    const batch = async (calls) => Promise.all(calls.map((call) => call()));
    return { store, sealer: createSealer(decodeMasterKey(target.masterKey)), batchSize: 8, batch, fsync: 'synchronous_commit = off', settle };
  }
  const { openSqliteStore } = await import(new URL('store/sqlite/sqlite-store.js', DIST).href);
  const { SQLITE_FILE } = await import(new URL('store/open.js', DIST).href);
  const store = await openSqliteStore(join(target.dataDir, SQLITE_FILE), { migrate: false });
  // The store keeps its connection private; the pragma is per connection (this one only).
  const db = store.conn?.db;
  db?.pragma('synchronous = OFF');
  // Moves the loaded pages into the database file and onto the disk now (a checkpoint with
  // synchronous = FULL fsyncs the file), so that neither the server's next commits nor the
  // kernel's write-back of the load's dirty pages fall into the second measurement.
  const settle = async () => {
    if (!db) return 'no checkpoint';
    db.pragma('synchronous = FULL');
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)');
    return `wal_checkpoint(TRUNCATE) with synchronous = FULL${r?.busy ? ' (busy)' : ''}`;
  };
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
  return { store, sealer: createSealer(loadMasterKey(target.dataDir)), batchSize: 500, batch, fsync: db ? 'synchronous = OFF, 500 per commit' : 'synchronous = FULL', settle };
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
 * Inserts `count` applications into the environment the way the management API's create does
 * (src/management/applications/service.ts): the body validated by parseApplicationBody, a new
 * id, version 1, timestamps, and a generated client secret sealed with the master key, written
 * with the store's createApplication (batched: SQLite 500 per commit, PostgreSQL 8 transactions in
 * flight; see openTargetStore). Then the users
 * (insertUsers), then the settle step of openTargetStore.
 * @returns {Promise<{count, seconds, perSecond, ids: string[], fsync, users, settled}>}
 */
async function insertApplications(name, target, count, userCount) {
  const { parseApplicationBody } = await import(new URL('management/applications/validate.js', DIST).href);
  const { generateClientSecret, newSecretRecord } = await import(new URL('management/applications/secret.js', DIST).href);
  const loader = await openTargetStore(name, target);
  const { store, sealer, fsync, settle } = loader;
  const ids = new Array(count);
  const start = performance.now();
  try {
    await inBatches(loader, count, `${TARGETS[name].label}: applications`, (i) => {
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
    const users = await insertUsers(name, target, loader, userCount, count / seconds);
    const settleStart = performance.now();
    const settled = await settle(TARGETS[name].postgres ? ['applications', 'application_secrets', ...(users.measured ? ['users'] : [])] : []);
    log(`${TARGETS[name].label}: ${settled} in ${((performance.now() - settleStart) / 1000).toFixed(1)} s`);
    return { count, seconds, perSecond: count / seconds, ids, fsync, users, settled };
  } finally {
    await store.close();
  }
}

/**
 * BENCH_SCALE_USERS users (default 1,000,000) in the environment's default population, with the
 * store's createUser (batched like the applications), when the built store has one.
 * The password hash is a cheap fake: a string of the stored format (`scrypt$N$r$p$salt$hash`)
 * with random salt and hash bytes, as long as a real one, that verifies no password; hashing a
 * million passwords with scrypt would take hours. On PostgreSQL only when that takes at most a
 * minute at the rate of the application inserts, or with BENCH_SCALE_POSTGRES_USERS=1: a million
 * single-row transactions take a quarter of an hour or more on a small machine.
 */
async function insertUsers(name, target, { store, ...loader }, count, applicationRate) {
  if (typeof store.createUser !== 'function') return { measured: false, why: 'no users store yet' };
  if (count === 0) return { measured: false, why: 'BENCH_SCALE_USERS=0' };
  const estimate = count / applicationRate;
  if (TARGETS[name].postgres && estimate > 60 && process.env.BENCH_SCALE_POSTGRES_USERS !== '1') {
    return {
      measured: false,
      why: `not inserted on PostgreSQL by default: ${count.toLocaleString('en-US')} would take about ${fixed(estimate / 60)} min at this run's insert rate; BENCH_SCALE_POSTGRES_USERS=1 inserts them`,
    };
  }
  try {
    const population = await store.getDefaultPopulation(target.envId);
    if (!population) return { measured: false, why: 'the environment has no default population' };
    const start = performance.now();
    await inBatches({ store, ...loader }, count, `${TARGETS[name].label}: users`, (i) => {
      const at = new Date().toISOString();
      const username = `scale-user-${String(i).padStart(7, '0')}`;
      const user = {
        id: randomUUID(),
        environmentId: target.envId,
        populationId: population.id,
        username,
        email: `${username}@scale.example`,
        enabled: true,
        lifecycleStatus: 'ACCOUNT_OK',
        profile: { name: { given: 'Scale', family: `User ${i}` } },
        // The stored format with random bytes: as long as a real hash, verifies no password.
        password: { hash: `scrypt$32768$8$1$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`, forceChange: false, changedAt: at },
        signIn: { failedAttempts: 0 },
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      return () => store.createUser(target.envId, user);
    });
    const seconds = (performance.now() - start) / 1000;
    const stored = await store.countUsersInPopulation(target.envId, population.id);
    if (stored < count) throw new Error(`the store counts ${stored} users in the population, ${count} were inserted`);
    return { measured: true, count, stored, seconds, perSecond: count / seconds, passwordHash: 'fake: scrypt format with random salt and key, not a hash of any password' };
  } catch (err) {
    return { measured: false, why: `inserting users failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** `reads` sequential GETs of `pick()`'s application through one keep-alive connection, after as many unmeasured ones. */
async function measureReads(baseUrl, token, envId, pick, reads) {
  const pool = new Pool(baseUrl, { connections: 1, pipelining: 1 });
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const once = async () => {
    const id = pick();
    const start = performance.now();
    const res = await pool.request({ path: `/v1/environments/${envId}/applications/${id}`, method: 'GET', headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
    const text = await res.body.text();
    const ms = performance.now() - start;
    if (res.statusCode !== 200) throw new Error(`GET application ${id}: ${res.statusCode} ${text.slice(0, 300)}`);
    return ms;
  };
  try {
    // As many unmeasured reads first: the read path is warm in both phases alike.
    for (let i = 0; i < Math.max(100, reads); i += 1) await once();
    const latencies = new Float64Array(reads);
    for (let i = 0; i < reads; i += 1) latencies[i] = await once();
    latencies.sort();
    const pct = (q) => latencies[Math.min(reads - 1, Math.ceil(q * reads) - 1)];
    return { reads, latencyMs: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: pct(1), mean: latencies.reduce((a, b) => a + b, 0) / reads } };
  } finally {
    await pool.close();
  }
}

/** Token load and both read kinds against the environment as it is now. */
async function measurePhase(name, target, settings, scale, key, crypto, workDir, maxSeconds, ids, label) {
  const tag = `${TARGETS[name].label}, ${label}`;
  const token = await measureToken(`${name}-${ids.length}`, tag, target, settings, key, assertionsFor(settings, crypto, TARGETS[name].instances), workDir, maxSeconds);
  if (token.error) throw new Error(token.error);
  log(`${tag}: ${scale.reads} sequential application reads (same application, then random ones)`);
  const same = await measureReads(target.baseUrl, target.token, target.envId, () => target.clientId, scale.reads);
  const random = await measureReads(target.baseUrl, target.token, target.envId, () => ids[Math.floor(Math.random() * ids.length)], scale.reads);
  return { applications: ids.length, token, readSame: same, readRandom: random };
}

async function scaleTarget(name, settings, scale, key, crypto, workDir) {
  const { label, start, instances } = TARGETS[name];
  const runSeconds = settings.warmupSeconds + settings.seconds;
  // Three measured phases and the inserts; the child guard stops a server past this.
  const maxSeconds = 900 + 6 * runSeconds + Math.ceil(scale.applications / 100) + Math.ceil(scale.users / 500) + 30 * instances;
  log(`${label}: starting and configuring, then ${BASE_APPLICATIONS - 1} more applications through the management API`);
  let target;
  try {
    target = await start({ workDir, jwks: key.jwks, maxSeconds });
    const ids = [target.clientId];
    for (let i = 1; i < BASE_APPLICATIONS; i += 1) {
      const body = i % 2 === 0 ? fillerBody(1_000_000 + i) : benchApplicationBody(`bench-service-${i}`, key.jwks);
      ids.push((await target.api('POST', `/v1/environments/${target.envId}/applications`, body)).id);
    }
    const base = await measurePhase(name, target, settings, scale, key, crypto, workDir, maxSeconds, ids, `${ids.length} applications`);
    const control = scale.control ? await measurePhase(name, target, settings, scale, key, crypto, workDir, maxSeconds, ids, `${ids.length} applications, control`) : null;

    log(`${label}: inserting ${scale.applications.toLocaleString('en-US')} applications directly into the store`);
    const inserted = await insertApplications(name, target, scale.applications, scale.users);
    log(`${label}: inserted ${inserted.count.toLocaleString('en-US')} applications in ${inserted.seconds.toFixed(1)} s (${fixed(inserted.perSecond)}/s, ${inserted.fsync})`);
    const all = ids.concat(inserted.ids);
    const scaled = await measurePhase(name, target, settings, scale, key, crypto, workDir, maxSeconds, all, `${all.length} applications`);
    const { ids: _ids, ...insert } = inserted;
    return { label, base, control, scaled, insert, users: inserted.users };
  } catch (err) {
    return { label, error: `${label}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (target) await stopTarget(target);
  }
}

function printScale(report) {
  const widths = [24, 10, 10, 32, 8, 7, 8];
  const ratioCell = (scaled, base) => (scaled && base ? `${(scaled / base).toFixed(2)}x` : 'n/a');
  const lines = ['', `Keyway scale-data benchmark (issue 5 item 5): ${report.scenario}`];
  lines.push(
    `node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel}), load average ${report.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at the start; concurrency ${report.settings.concurrency}, warm-up ${report.settings.warmupSeconds} s, measured ${report.settings.seconds} s; ${report.scale.reads} reads per kind`,
  );
  for (const result of Object.values(report.results)) {
    lines.push('');
    if (result.error) {
      lines.push(`${result.label}: FAILED`, result.error);
      continue;
    }
    const { base, control, scaled } = result;
    lines.push(`${result.label}`);
    const scaledHeader = `${scaled.applications.toLocaleString('en-US')} apps${result.users.measured ? ` + ${result.users.count.toLocaleString('en-US')} users` : ''}`;
    lines.push(row(['', `${base.applications} apps`, 'again', scaledHeader, 'ratio', 'in 20%', 'control'], widths));
    lines.push(row(widths.map((w) => '-'.repeat(w)), widths));
    const within = (r, higherIsBetter) => (higherIsBetter ? r >= 1 - TOLERANCE : r <= 1 + TOLERANCE);
    let noisy = false;
    const line = (what, get, digits, higherIsBetter = false) => {
      const x = get(base);
      const y = get(scaled);
      const c = control ? get(control) : null;
      // The baseline: the mean of the 10-application measurements.
      const baseline = x && c ? (x + c) / 2 : x;
      const r = baseline && y ? y / baseline : null;
      const noise = x && c ? c / x : null;
      // Two identical runs that differ by more than the tolerance themselves cannot tell.
      const tooNoisy = noise !== null && !(noise >= 1 - TOLERANCE && noise <= 1 + TOLERANCE);
      let ok = r === null ? 'n/a' : within(r, higherIsBetter) ? 'yes' : 'NO';
      if (ok === 'NO' && tooNoisy) {
        ok = 'NO*';
        noisy = true;
      }
      lines.push(row([what, fixed(x, digits), fixed(c, digits), fixed(y, digits), ratioCell(y, baseline), ok, ratioCell(c, x)], widths));
    };
    line('token req/s', (p) => p.token.requestsPerSecond, 0, true);
    line('token p50 ms', (p) => p.token.latencyMs.p50, 1);
    line('token p99 ms', (p) => p.token.latencyMs.p99, 1);
    line('read same app p50 ms', (p) => p.readSame.latencyMs.p50, 2);
    line('read same app p99 ms', (p) => p.readSame.latencyMs.p99, 2);
    line('read random app p50 ms', (p) => p.readRandom.latencyMs.p50, 2);
    line('read random app p99 ms', (p) => p.readRandom.latencyMs.p99, 2);
    if (noisy) lines.push('* the two 10-application runs differed by more than 20% themselves ("control"): this machine is too noisy to tell.');
    const non200 = (p) => Object.entries(p.token.non200).map(([st, n]) => `${n}x${st}`).join(' ') || '0';
    const phases = [base, control, scaled].filter(Boolean);
    lines.push(`token non-200: ${phases.map(non200).join(' / ')}; request errors: ${phases.map((p) => p.token.errors).join(' / ')}`);
    for (const p of phases) if (p.token.exhausted) lines.push(`token (${p.applications} apps) used up its ${p.token.presigned} pre-signed assertions; measured over ${p.token.windowSeconds.toFixed(1)} s`);
    lines.push(
      `applications: ${result.insert.count.toLocaleString('en-US')} inserted directly into the store in ${result.insert.seconds.toFixed(1)} s (${fixed(result.insert.perSecond)}/s; loader connection ${result.insert.fsync}; then ${result.insert.settled})`,
    );
    lines.push(
      result.users.measured
        ? `users: ${result.users.count.toLocaleString('en-US')} inserted with the store's createUser in ${result.users.seconds.toFixed(1)} s (${fixed(result.users.perSecond)}/s; the store counts ${result.users.stored.toLocaleString('en-US')} in the population), fake password hashes (no scrypt)`
        : `users: not measured (${result.users.why})`,
    );
  }
  lines.push(
    '',
    'ratio = with the inserted data / with 10 applications (the mean of both 10-application runs); "in 20%": latency ratio <= 1.20,',
    'req/s ratio >= 0.80. "again": the 10-application environment measured a second time before the inserts (BENCH_SCALE_CONTROL=0',
    'skips it); "control" = again / first: how much two identical runs differ on this machine now. Read the ratios against it.',
    `JSON: ${report.resultsFile}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}

export async function runScale({ smoke }) {
  const settings = settingsFrom(process.env, smoke);
  const scale = scaleSettings(process.env, smoke);
  const { targets, skipped } = await chooseTargets(process.env, ['keyway', 'keyway-postgres']);
  const bad = targets.filter((t) => t !== 'keyway' && t !== 'keyway-postgres');
  if (bad.length > 0) throw new Error(`the scale mode measures keyway and keyway-postgres, not ${bad.join(', ')}`);
  settings.targets = targets;
  for (const [name, why] of Object.entries(skipped)) log(`${TARGETS[name].label}: skipped (${why})`);
  const workDir = mkdtempSync(join(tmpdir(), 'keyway-bench-scale-'));
  // Removed at the end, and by the interrupt handler on Ctrl-C.
  const forget = onCleanup(async () => rmSync(workDir, { recursive: true, force: true }));
  try {
    const host = machine();
    log(`crypto bound (${settings.cryptoSeconds} s, one core)`);
    const crypto = await cryptoBound(settings.cryptoSeconds);
    const key = await clientKey();
    const results = {};
    for (const name of targets) results[name] = await scaleTarget(name, settings, scale, key, crypto, workDir);
    const report = {
      date: new Date().toISOString(),
      machine: host,
      scenario: `token endpoint (client_credentials, private_key_jwt RS256) and single-application reads, ${BASE_APPLICATIONS} vs ${(BASE_APPLICATIONS + scale.applications).toLocaleString('en-US')} applications in one environment`,
      settings,
      scale,
      cryptoBound: crypto,
      results,
      skipped,
      resultsFile: RESULTS,
      tolerance: TOLERANCE,
    };
    writeResults(RESULTS, report);
    printScale(report);
    return Object.values(results).some((r) => r.error) ? 1 : 0;
  } finally {
    forget();
    rmSync(workDir, { recursive: true, force: true });
  }
}
