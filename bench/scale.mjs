// `npm run bench -- --scale` (or BENCH_SCALE=1 npm run bench): the scale-data mode. Its goal: with
// 100,000 applications and 1,000,000 users in one environment, token-endpoint latency and a
// single-application read stay within 20% of an environment with ten applications.
// Per engine (Keyway on SQLite; Keyway ×2 on PostgreSQL when its database answers), two
// deployments side by side, each what the default mode's target start gives (SQLite: its own
// process and data directory; PostgreSQL: its own schema and two processes):
//
//   A  the benchmark's application and 9 more (management API): 10 applications;
//   B  the same, then BENCH_SCALE_APPLICATIONS (100,000) applications and BENCH_SCALE_USERS
//      (1,000,000) users inserted into that environment directly into its store (scale-data.mjs),
//      then settled; A is settled the same way.
//
// Both keep running; one is measured at a time (the other sits idle): an unmeasured warm-up pass
// of each, then BENCH_SCALE_ROUNDS (4) rounds in the order AB BA BA AB … (Thue–Morse: a drift of
// the machine's load hits both alike). A measurement: the token endpoint (the default mode's
// load: assertions pre-signed before the window, BENCH_WARMUP_SECONDS (1) + BENCH_SECONDS (5) by
// default here) and BENCH_SCALE_READS (2,000) sequential single-application reads, of the
// benchmark's application and of random applications of the deployment. The report
// (scale-report.mjs) compares the medians: B/A, the per-round range, A's own spread.
//
// Settings: those of the default mode (BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONCURRENCY,
// BENCH_CRYPTO_SECONDS, BENCH_TARGETS: keyway and/or keyway-postgres, BENCH_DATABASE_URL), plus
// BENCH_SCALE_APPLICATIONS, BENCH_SCALE_USERS, BENCH_SCALE_READS, BENCH_SCALE_ROUNDS. With --smoke:
// 2,000 applications, 10,000 users, 100 reads, 2 rounds and the smoke window (1 s + 2 s).
// Writes bench/results/scale-latest.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { benchApplicationBody } from './keyway-target.mjs';
import { onCleanup } from './processes.mjs';
import { TARGETS, assertionsFor, chooseTargets, clientKey, cryptoBound, machine, measureToken, settingsFrom, stopTarget, writeResults } from './run.mjs';
import { fillerBody, loadScaleData, settleDeployment } from './scale-data.mjs';
import { METRICS, TOLERANCE, printScale, summarise } from './scale-report.mjs';

const RESULTS = fileURLToPath(new URL('./results/scale-latest.json', import.meta.url));
const BASE_APPLICATIONS = 10;
/** The scale mode's window when BENCH_SECONDS / BENCH_WARMUP_SECONDS are not set: shorter, but several rounds. */
// No open-loop window: the scale mode compares two deployments' closed-loop figures.
const WINDOW = { seconds: 5, warmupSeconds: 1, openSeconds: 0 };

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
    users: integer('BENCH_SCALE_USERS', smoke ? 10_000 : 1_000_000, 0, 9_999_999),
    // 2,000 reads of ~0.3 ms last well over half a second: long enough that one scheduling
    // hiccup of a busy machine does not move the p50 of a whole measurement.
    reads: integer('BENCH_SCALE_READS', smoke ? 100 : 2_000, 10, 100_000),
    rounds: integer('BENCH_SCALE_ROUNDS', smoke ? 2 : 4, 1, 50),
  };
}

const log = (text) => process.stderr.write(`bench: ${text}\n`);

/** Round r's order: AB when the Thue–Morse bit of r is 0, else BA (AB BA BA AB BA AB AB BA …). */
export function roundOrder(r) {
  let bits = 0;
  for (let n = r; n > 0; n >>= 1) bits += n & 1;
  return bits % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
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
    // As many unmeasured reads first: the read path is warm in every measurement alike.
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

/** One measurement of a deployment: the token load, then both read kinds (skipped with `tokenOnly`). */
const SETTLE_MS = 1_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(name, deployment, tag, run, { tokenOnly = false } = {}) {
  const { settings, scale, key, crypto, workDir, maxSeconds } = run;
  const { target, ids } = deployment;
  const label = `${TARGETS[name].label}, ${tag}`;
  const started = new Date().toISOString();
  const token = await measureToken(
    `${name}-${tag.replace(/[^A-Za-z0-9]+/g, '-')}`,
    label,
    target,
    settings,
    key,
    // Sized for every core, not one per instance: one Keyway process uses more than one core
    // (signing runs off the event loop), and the crypto bound, measured once at the start, comes
    // out low when the machine is busy then; running out shortens the window.
    assertionsFor(settings, crypto, Math.max(TARGETS[name].instances, availableParallelism())),
    workDir,
    maxSeconds,
  );
  if (token.error) throw new Error(token.error);
  // Only what the report and the JSON need of the load generator's result (not its probe token).
  const { probe: _probe, label: _label, tokenEndpoints: _endpoints, audience: _audience, ...tokenFigures } = token;
  if (tokenOnly) return { started, loadAverage: loadavg()[0], token: tokenFigures };
  // The token load's aftermath (its last jti commits, a WAL checkpoint, garbage collection)
  // settles before the reads, so that they measure reads and not what came before them.
  await sleep(SETTLE_MS);
  log(`${label}: ${scale.reads} sequential application reads (same application, then random ones of ${ids.length.toLocaleString('en-US')})`);
  const adminToken = await target.freshToken();
  const readSame = await measureReads(target.baseUrl, adminToken, target.envId, () => target.clientId, scale.reads);
  const readRandom = await measureReads(target.baseUrl, adminToken, target.envId, () => ids[Math.floor(Math.random() * ids.length)], scale.reads);
  return { started, loadAverage: loadavg()[0], token: tokenFigures, readSame, readRandom };
}

/** Starts a deployment as the default mode's target start does, plus 9 applications through the management API. */
async function startDeployment(name, which, run) {
  const { label, start } = TARGETS[name];
  log(`${label}, ${which}: starting and configuring, then ${BASE_APPLICATIONS - 1} more applications through the management API`);
  const target = await start({ workDir: run.workDir, jwks: run.key.jwks, maxSeconds: run.maxSeconds });
  try {
    const ids = [target.clientId];
    for (let i = 1; i < BASE_APPLICATIONS; i += 1) {
      const body = i % 2 === 0 ? fillerBody(1_000_000 + i) : benchApplicationBody(`bench-service-${i}`, run.key.jwks);
      ids.push((await target.api('POST', `/v1/environments/${target.envId}/applications`, body)).id);
    }
    return { which, target, ids };
  } catch (err) {
    await stopTarget(target);
    throw err;
  }
}

async function scaleEngine(name, settings, scale, key, crypto, workDir) {
  const { label, instances, postgres } = TARGETS[name];
  const runSeconds = settings.warmupSeconds + settings.seconds;
  // Both deployments live from the start to the last round: the inserts, the warm-up pass and two
  // measurements per round (each well under runSeconds + 60 s with its pre-signing and reads).
  // The child guard stops a server (or load generator) still running past this.
  const maxSeconds = 900 + 2 * (scale.rounds + 1) * (runSeconds + 60) + Math.ceil(scale.applications / 100) + Math.ceil(scale.users / 500) + 60 * instances;
  const run = { settings, scale, key, crypto, workDir, maxSeconds };
  const deployments = {};
  try {
    deployments.A = await startDeployment(name, 'A', run);
    deployments.B = await startDeployment(name, 'B', run);
    const { A, B } = deployments;
    log(`${label}, B: inserting ${scale.applications.toLocaleString('en-US')} applications and ${scale.users.toLocaleString('en-US')} users directly into the store`);
    const data = await loadScaleData(name, B.target, scale);
    B.ids = B.ids.concat(data.ids);
    // A is settled like B (its tables are small: this takes no time), so that both start alike.
    const settledA = await settleDeployment(name, A.target, data.tables);
    log(`${label}, A: ${settledA.what} in ${settledA.seconds.toFixed(1)} s`);

    // One unmeasured pass of each first: the first load on a fresh process (JIT, caches,
    // connection pools) falls into no round.
    const warmup = {};
    for (const which of ['A', 'B']) warmup[which] = await measure(name, deployments[which], `${which} warm-up pass (not counted)`, run, { tokenOnly: true });
    const rounds = [];
    for (let r = 0; r < scale.rounds; r += 1) {
      const order = roundOrder(r);
      const round = { round: r + 1, order: order.join('') };
      for (const which of order) {
        const tag = `round ${r + 1}/${scale.rounds} ${which} (${deployments[which].ids.length.toLocaleString('en-US')} applications)`;
        round[which] = await measure(name, deployments[which], tag, run);
      }
      rounds.push(round);
    }
    return {
      label,
      engine: postgres ? 'postgresql' : 'sqlite',
      deployments: {
        A: { applications: A.ids.length, users: 0, schema: A.target.schema },
        B: { applications: B.ids.length, users: data.users.measured ? data.users.count : 0, schema: B.target.schema },
      },
      insert: { applications: data.applications, users: data.users, settledB: data.settled, settledA },
      warmup,
      rounds,
      summary: summarise(rounds),
    };
  } catch (err) {
    return { label, error: `${label}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    await Promise.all(Object.values(deployments).map((d) => stopTarget(d.target)));
  }
}

export async function runScale({ smoke }) {
  const settings = settingsFrom(process.env, smoke, WINDOW);
  const scale = scaleSettings(process.env, smoke);
  for (const old of ['BENCH_SCALE_POSTGRES_USERS', 'BENCH_SCALE_CONTROL']) {
    if (process.env[old] !== undefined) log(`${old} is no longer used: users are inserted on PostgreSQL too, and interleaved rounds replace the control run`);
  }
  const { targets, skipped } = await chooseTargets(process.env, ['keyway', 'keyway-postgres']);
  const bad = targets.filter((t) => t !== 'keyway' && t !== 'keyway-postgres');
  if (bad.length > 0) throw new Error(`the scale mode measures keyway and keyway-postgres, not ${bad.join(', ')}`);
  settings.targets = targets;
  for (const [name, why] of Object.entries(skipped)) log(`${TARGETS[name].label}: skipped (${why})`);
  const workDir = mkdtempSync(join(tmpdir(), 'keyway-bench-scale-'));
  // Removed at the end, and by the interrupt handler on Ctrl-C (which also drops the schemas).
  const forget = onCleanup(async () => rmSync(workDir, { recursive: true, force: true }));
  try {
    const host = machine();
    log(`crypto bound (${settings.cryptoSeconds} s, one core)`);
    const crypto = await cryptoBound(settings.cryptoSeconds);
    const key = await clientKey();
    const results = {};
    for (const name of targets) results[name] = await scaleEngine(name, settings, scale, key, crypto, workDir);
    const report = {
      date: new Date().toISOString(),
      machine: { ...host, loadAverageAtEnd: loadavg() },
      scenario: `token endpoint (client_credentials, private_key_jwt RS256) and single-application reads; A: ${BASE_APPLICATIONS} applications, B: ${(BASE_APPLICATIONS + scale.applications).toLocaleString('en-US')} applications and ${scale.users.toLocaleString('en-US')} users in one environment`,
      settings,
      scale,
      cryptoBound: crypto,
      metrics: METRICS.map(({ key: k, label, higherIsBetter }) => ({ key: k, label, higherIsBetter })),
      tolerance: TOLERANCE,
      results,
      skipped: Object.fromEntries(Object.entries(skipped).map(([name, why]) => [name, { label: TARGETS[name].label, why }])),
      resultsFile: RESULTS,
    };
    writeResults(RESULTS, report);
    printScale(report);
    return Object.values(results).some((r) => r.error) ? 1 : 0;
  } finally {
    forget();
    rmSync(workDir, { recursive: true, force: true });
  }
}
