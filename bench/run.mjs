// `npm run bench`: client_credentials with private_key_jwt against Keyway started exactly as
// `npm start` starts it (default log level and format, its request log consumed and discarded)
// and against oidc-provider configured the same way, one target after the other on this machine
// with the same load generator settings, in one table. Rows: Keyway RS256 (SQLite, default
// logging), the same with KEYWAY_LOG_LEVEL=silent, the same with three custom resource
// attributes (claims; only when BENCH_TARGETS names it), Keyway ES256 (EC P-256 client key and default signing key), Keyway ES256
// with KEYWAY_WORKERS=2, two Keyway processes on one PostgreSQL database, oidc-provider RS256 and
// ES256. Each row: the closed-loop maximum (req/s), then p50/p99 of an open-loop window at half
// that rate, the server's CPU time per request (from /proc, every server process), its
// event-loop busy time per request, and its algorithm's crypto floor (one verification plus one
// signature on one core, measured in the same run).
// Prints a table and writes bench/results/latest.json.
//
// Settings (environment): BENCH_SECONDS (closed-loop measured window, default 6),
// BENCH_WARMUP_SECONDS (default 2), BENCH_OPEN_SECONDS (open-loop window at half load, default
// 3; 0 skips it), BENCH_OPEN_RATE (the open loop at this many requests per second instead of
// half of each row's maximum), BENCH_CONCURRENCY (keep-alive connections, default 32), BENCH_CRYPTO_SECONDS
// (default 3, per algorithm), BENCH_TARGETS (default: every row but keyway-claims; keyway-postgres only when
// BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, answers; with
// BENCH_BASELINE, the path of another built Keyway checkout, "keyway-baseline" runs it first, the
// same way as the keyway target, for a before/after comparison in one run).
// `--smoke` sets the defaults to 2 s, 1 s warm-up, a 2 s open loop, concurrency 4 and a 1 s crypto loop.
// `--scale` (or BENCH_SCALE=1) runs the scale-data mode instead: see scale.mjs.
// Exit code: 0 when every target was measured, 1 otherwise (the report is printed either way).
// Key pairs imported from their DER, so that exporting them cannot deadlock Node (src/keys/key-pair.ts).
import { newKeyPairSync } from '../dist/keys/key-pair.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calculateJwkThumbprint } from 'jose';
import { drive } from './drive.mjs';
import { INSTANCES, startKeywayPostgres } from './keyway-postgres-target.mjs';
import { baselineMain, startKeyway } from './keyway-target.mjs';
import { startOidcProvider } from './oidc-provider-target.mjs';
import { databaseUrl, unreachable } from './postgres.mjs';
import { onCleanup, startNode, stop } from './processes.mjs';
import { printReport } from './report.mjs';

const CRYPTO = fileURLToPath(new URL('./crypto-bound.mjs', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));
export const TARGETS = {
  'keyway-baseline': { label: 'Keyway baseline RS256', start: (o) => startKeyway({ ...o, main: baselineMain() }), instances: 1, baseline: true },
  keyway: { label: 'Keyway RS256', start: startKeyway, instances: 1 },
  'keyway-silent': { label: 'Keyway RS256 silent', start: (o) => startKeyway({ ...o, logLevel: 'silent' }), instances: 1 },
  // Not a default row (the claims check shows the default path's cost of the feature); BENCH_TARGETS names it.
  'keyway-claims': { label: 'Keyway RS256 3 claims', start: (o) => startKeyway({ ...o, attributes: 3 }), instances: 1, optional: true },
  'keyway-es256': { label: 'Keyway ES256', start: (o) => startKeyway({ ...o, signing: 'ES256' }), instances: 1, alg: 'ES256' },
  'keyway-workers': { label: 'Keyway ES256 2 workers', start: (o) => startKeyway({ ...o, signing: 'ES256', workers: 2 }), instances: 2, alg: 'ES256' },
  'keyway-postgres-baseline': {
    label: `Keyway baseline ×${INSTANCES} PostgreSQL`,
    start: (o) => startKeywayPostgres({ ...o, main: baselineMain() }),
    instances: INSTANCES,
    postgres: true,
    baseline: true,
  },
  'keyway-postgres': { label: `Keyway RS256 ×${INSTANCES} PostgreSQL`, start: startKeywayPostgres, instances: INSTANCES, postgres: true },
  // One thread does its crypto: it never uses more than one core (assertions are sized for that).
  'oidc-provider': { label: 'oidc-provider RS256', start: startOidcProvider, instances: 1, cores: 1 },
  'oidc-provider-es256': { label: 'oidc-provider ES256', start: (o) => startOidcProvider({ ...o, alg: 'ES256' }), instances: 1, alg: 'ES256', cores: 1 },
};

/**
 * The targets to run: BENCH_TARGETS when set (a PostgreSQL target whose database does not
 * answer then fails), otherwise every target, keyway-postgres only when its database answers.
 * @returns {Promise<{targets: string[], skipped: Record<string, string>, unreachable?: string}>}
 */
export async function chooseTargets(env, defaults = Object.keys(TARGETS).filter((t) => !TARGETS[t].optional && (!TARGETS[t].baseline || env.BENCH_BASELINE))) {
  const explicit = env.BENCH_TARGETS !== undefined && env.BENCH_TARGETS.trim() !== '';
  const targets = explicit ? env.BENCH_TARGETS.split(',').map((t) => t.trim()).filter(Boolean) : [...defaults];
  for (const t of targets) if (!(t in TARGETS)) throw new Error(`BENCH_TARGETS: unknown target "${t}" (${Object.keys(TARGETS).join(', ')})`);
  const skipped = {};
  let reason;
  if (targets.some((t) => TARGETS[t].postgres)) {
    reason = await unreachable(databaseUrl(env));
    if (reason !== undefined && !explicit) {
      for (const t of targets.filter((name) => TARGETS[name].postgres)) skipped[t] = `PostgreSQL not reachable at ${databaseUrl(env)}: ${reason}`;
      return { targets: targets.filter((t) => !TARGETS[t].postgres), skipped };
    }
  }
  return { targets, skipped, unreachable: reason };
}

/** `defaults` replaces the non-smoke defaults of `seconds` and `warmupSeconds` (the scale mode's shorter rounds). */
export function settingsFrom(env, smoke, defaults = {}) {
  const number = (name, fallback, min, max, integer = false) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    return value;
  };
  return {
    seconds: number('BENCH_SECONDS', smoke ? 2 : (defaults.seconds ?? 6), 1, 300),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', smoke ? 1 : (defaults.warmupSeconds ?? 2), 0, 60),
    openSeconds: number('BENCH_OPEN_SECONDS', smoke ? 2 : (defaults.openSeconds ?? 3), 0, 120),
    // 0: half of the row's own closed-loop maximum; else this fixed rate for every row, so that
    // two builds' latencies are compared at the same load.
    openRate: number('BENCH_OPEN_RATE', 0, 0, 100_000),
    concurrency: number('BENCH_CONCURRENCY', smoke ? 4 : 32, 1, 512, true),
    cryptoSeconds: number('BENCH_CRYPTO_SECONDS', smoke ? 1 : 3, 0.5, 60),
  };
}

/** One verification plus one signature per second on one core (crypto-bound.mjs), for `alg`. */
export async function cryptoBound(seconds, alg = 'RS256') {
  let line;
  const proc = startNode(CRYPTO, [String(seconds), alg], { maxSeconds: seconds + 60, onLine: (l) => (line = l) });
  const code = await proc.exited;
  if (code !== 0 || !line) throw new Error(`crypto bound measurement failed: ${proc.output().stderr}`);
  return JSON.parse(line);
}

/** The client's key pair: RSA 2048 for RS256, P-256 for ES256. */
export async function clientKey(alg = 'RS256') {
  const { privateKey, publicKey } = alg === 'ES256' ? newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }) : newKeyPairSync({ type: 'rsa', modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const material = alg === 'ES256' ? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: 'RSA', n: jwk.n, e: jwk.e };
  return {
    alg,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    kid,
    jwks: JSON.stringify({ keys: [{ ...material, kid, use: 'sig', alg }] }),
  };
}

/**
 * The pre-signed assertions a run needs: a core answers at most the crypto bound per second, and
 * a target uses at most `cores` cores (default 1.5: a Keyway process signs off its event loop and
 * writes jtis on a thread of its own, so it uses more than one); the open loop runs at half the
 * rate. Pre-signing takes about as long as answering (the client's signature costs what the
 * server's does), so the count is kept near what a run can use.
 */
export function assertionsFor(settings, crypto, cores = 1.5) {
  // 15% head-room plus a connection's worth. Should a target still use them all up, it is
  // measured over the time they lasted (the open loop then runs short, which the report says).
  const processes = Math.min(cores, availableParallelism());
  return Math.ceil(crypto.pairsPerSecond * processes * assertionSeconds(settings) * 1.15) + 2 * settings.concurrency + fixedOpenCount(settings);
}

/** The seconds of load a run's assertions are for: warm-up, closed loop, and the open loop at half rate. */
const assertionSeconds = (settings) => settings.warmupSeconds + settings.seconds + (settings.openRate ? 0 : openShare(settings));
const openShare = (settings) => ((settings.openSeconds ?? 0) + 0.25) / 2;
/** The open loop's assertions at a fixed rate (BENCH_OPEN_RATE), with its quarter-second lead-in. */
const fixedOpenCount = (settings) => (settings.openRate && settings.openSeconds ? Math.ceil(settings.openRate * (settings.openSeconds + 0.25)) : 0);

/** Of `count` assertions, those kept for the open loop (its share of the sizing), so that a fast closed loop leaves it some. */
export const openReserve = (settings, count) =>
  settings.openRate ? Math.min(count, fixedOpenCount(settings)) : Math.floor((count * openShare(settings)) / assertionSeconds(settings));

/** Drives a started target with the load generator; returns the result or {error}. */
export async function measureToken(name, label, target, settings, key, count, workDir, maxSeconds) {
  const runSeconds = settings.warmupSeconds + settings.seconds + (settings.openSeconds ?? 0);
  const endpoints = target.tokenEndpoints ?? [target.tokenEndpoint];
  process.stderr.write(
    `bench: ${label}: pre-signing ${count} assertions, then ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured at concurrency ${settings.concurrency}${endpoints.length > 1 ? ` split over ${endpoints.length} instances` : ''}\n`,
  );
  const result = await drive(
    {
      name,
      tokenEndpoints: endpoints,
      audience: target.audience,
      clientId: target.clientId,
      kid: key.kid,
      privateKeyPem: key.privateKeyPem,
      alg: key.alg ?? 'RS256',
      scope: 'bench:read',
      count,
      lifetime: Math.min(3600, 300 + 2 * runSeconds),
      warmupSeconds: settings.warmupSeconds,
      seconds: settings.seconds,
      openSeconds: settings.openSeconds ?? 0,
      openReserve: settings.openSeconds ? openReserve(settings, count) : 0,
      openRate: settings.openRate ?? 0,
      concurrency: settings.concurrency,
    },
    {
      serverPids: target.serverPids ?? (() => (target.procs ?? [target.proc]).map((p) => p.child.pid)),
      ...(target.eventLoop ? { eventLoop: target.eventLoop } : {}),
      ...(target.logBytes ? { logBytes: target.logBytes } : {}),
      ...(target.dbPids ? { dbPids: target.dbPids } : {}),
    },
    workDir,
    maxSeconds,
  );
  if (result.rejected) {
    const what = result.rejected.status === 0 ? `the request failed: ${result.rejected.body}` : `${result.rejected.status} ${result.rejected.body}`;
    return { label, error: `${label} rejected the assertion${result.rejected.endpoint ? ` (${result.rejected.endpoint})` : ''}: ${what}`, rejected: result.rejected };
  }
  return { label, tokenEndpoints: endpoints, audience: target.audience, ...result, ...perRequest(result) };
}

/**
 * Per request of the closed-loop window: server CPU time (every server process, from the OS),
 * event-loop busy time (every server process) and the CPU time of the threads running the event
 * loops, in microseconds, and how often those threads were preempted. Busy time is wall time: it
 * also counts the moments its thread was runnable but waiting for a core, which on a machine
 * whose cores are all busy (the load generator shares them) the main thread's CPU time does not.
 */
export function perRequest(result) {
  const rate = result.requestsPerSecond;
  const us = (busy) => (busy === null || busy === undefined || !rate ? null : (busy / rate) * 1e6);
  const preemptions = result.window?.mainThreadPreemptionsPerSecond;
  return {
    cpuPerRequestUs: us(result.cpuCoresUsed?.server),
    eventLoopPerRequestUs: us(result.window?.eventLoopBusy),
    mainThreadCpuPerRequestUs: us(result.window?.mainThreadBusy),
    mainThreadPreemptionsPerRequest: preemptions === null || preemptions === undefined || !rate ? null : preemptions / rate,
  };
}

/** The crypto floor in microseconds: the CPU time of one verify + sign pair (wall time for a pre-CPU measurement). */
const floorOf = (c) => (c.cpuSecondsPerPair ? c.cpuSecondsPerPair * 1e6 : 1e6 / c.pairsPerSecond);

/** The report: every row's figures, and the ratios the goals name, computed within this run. */
export function buildReport({ host, settings, crypto, results, skipped }) {
  const rate = (name) => (results[name] && !results[name].error ? results[name].requestsPerSecond : null);
  const over = (a, b) => (a && b ? a / b : null);
  const cpu = (name) => (results[name] && !results[name].error ? results[name].cpuPerRequestUs : null);
  const report = {
    date: new Date().toISOString(),
    machine: host,
    scenario: 'client_credentials, private_key_jwt; RS256 rows: RS256 assertion and access token (RSA 2048); ES256 rows: ES256 assertion and access token (P-256)',
    settings,
    cryptoFloor: Object.fromEntries(
      Object.entries(crypto).map(([alg, c]) => [alg, { ...c, floorUs: floorOf(c), what: `${alg} verify + ${alg} sign, node:crypto, one thread: pairs per second, and CPU time per pair (floorUs)` }]),
    ),
    targets: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r])),
    skipped: Object.fromEntries(Object.entries(skipped).map(([name, why]) => [name, { label: TARGETS[name].label, why }])),
  };
  report.ratios = {
    // Request logging: the default row against the silent one.
    loggingThroughput: over(rate('keyway'), rate('keyway-silent')),
    loggingCpu: over(cpu('keyway'), cpu('keyway-silent')),
    keywayOverOidcProvider: over(rate('keyway'), rate('oidc-provider')),
    keywayEs256OverOidcProviderEs256: over(rate('keyway-es256'), rate('oidc-provider-es256')),
    workersOverOne: over(rate('keyway-workers'), rate('keyway-es256')),
    claimsThroughput: over(rate('keyway-claims'), rate('keyway')),
    claimsCpu: over(cpu('keyway-claims'), cpu('keyway')),
    postgresOverSqlite: over(rate('keyway-postgres'), rate('keyway')),
    keywayOverBaseline: over(rate('keyway'), rate('keyway-baseline')),
    keywayPostgresOverBaseline: over(rate('keyway-postgres'), rate('keyway-postgres-baseline')),
  };
  report.goals = {
    loggingWithinOfSilent: 0.05,
    cpuOverFloorRs256: 1.5,
    keywayOverOidcProvider: 1.5,
    keywayEs256OverOidcProviderEs256: 2.5,
    eventLoopPerRequestUs: 100,
    p99AtHalfLoadMs: 10,
  };
  return report;
}

/**
 * The logging pair (default and silent) is measured a second time in the opposite order, at the
 * end (keyway, keyway-silent, …, keyway-silent, keyway), and each keeps its run with less CPU
 * per request: a row that always ran first would carry the machine's drift alone, and on a
 * shared machine other work only ever adds CPU time. Not in --smoke.
 */
export function repeatedInReverse(targets, smoke) {
  const pair = ['keyway', 'keyway-silent'];
  return !smoke && pair.every((name) => targets.includes(name)) ? [...pair].reverse() : [];
}

/** Of two runs of one row, the one with less CPU per request (a failed run never wins); it records that it was the better of two. */
export function lessCpu(first, second) {
  const usable = [first, second].filter((r) => r && !r.error && r.cpuPerRequestUs !== null && r.cpuPerRequestUs !== undefined);
  const best = usable.length === 0 ? first : usable.reduce((a, b) => (b.cpuPerRequestUs < a.cpuPerRequestUs ? b : a));
  return { ...best, runs: 2, otherRun: best === first ? summary(second) : summary(first) };
}

const summary = (r) => (r && !r.error ? { requestsPerSecond: r.requestsPerSecond, cpuPerRequestUs: r.cpuPerRequestUs } : { error: r?.error ?? 'missing' });

export const stopTarget = (target) => (target.stop ? target.stop() : stop(target.proc));

/** Starts one target, drives it, stops it. Failures become {error} so the other targets still run. */
async function benchTarget(name, settings, keys, crypto, workDir) {
  const { label, start, instances } = TARGETS[name];
  const alg = TARGETS[name].alg ?? 'RS256';
  const key = keys[alg];
  const runSeconds = settings.warmupSeconds + settings.seconds + settings.openSeconds;
  const maxSeconds = 240 + 3 * runSeconds + 30 * instances;
  process.stderr.write(`bench: ${label}: starting and configuring\n`);
  let target;
  try {
    target = await start({ workDir, jwks: key.jwks, maxSeconds });
    const cores = TARGETS[name].cores ?? (instances > 1 ? instances : undefined);
    const result = await measureToken(name, label, target, settings, key, assertionsFor(settings, crypto[alg], cores), workDir, maxSeconds);
    if (result.error) return result;
    const floorUs = floorOf(crypto[alg]);
    return { ...result, alg, cryptoFloorUs: floorUs, cpuOverFloor: result.cpuPerRequestUs === null ? null : result.cpuPerRequestUs / floorUs };
  } catch (err) {
    return { label, error: `${label}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (target) await stopTarget(target);
  }
}

export function machine() {
  return { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage: loadavg() };
}

export function writeResults(file, report) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

async function main() {
  const smoke = process.argv.includes('--smoke');
  if (process.argv.includes('--scale') || process.env.BENCH_SCALE === '1') return (await import('./scale.mjs')).runScale({ smoke });
  const settings = settingsFrom(process.env, smoke);
  const { targets, skipped } = await chooseTargets(process.env);
  settings.targets = targets;
  const workDir = mkdtempSync(join(tmpdir(), 'keyway-bench-'));
  // Removed at the end, and by the interrupt handler on Ctrl-C.
  const forget = onCleanup(async () => rmSync(workDir, { recursive: true, force: true }));
  try {
    for (const [name, why] of Object.entries(skipped)) process.stderr.write(`bench: ${TARGETS[name].label}: skipped (${why})\n`);
    const host = machine();
    const crypto = {};
    for (const alg of ['RS256', 'ES256']) {
      process.stderr.write(`bench: crypto floor ${alg} (${settings.cryptoSeconds} s, one core)\n`);
      crypto[alg] = await cryptoBound(settings.cryptoSeconds, alg);
    }
    const keys = { RS256: await clientKey('RS256'), ES256: await clientKey('ES256') };
    const results = {};
    for (const name of targets) results[name] = await benchTarget(name, settings, keys, crypto, workDir);
    for (const name of repeatedInReverse(targets, smoke)) results[name] = lessCpu(results[name], await benchTarget(name, settings, keys, crypto, workDir));
    const report = buildReport({ host, settings, crypto, results, skipped });
    if (process.env.BENCH_CLAIMS_CHECK !== '0') {
      process.stderr.write('bench: claims check: Keyway RS256 with and without custom attributes, calls of the expression language counted (V8 coverage)\n');
      const { claimsCheck } = await import('./claims-check.mjs');
      report.claimsCheck = await claimsCheck({ workDir, key: keys.RS256, small: smoke ? 100 : 200 });
    }
    writeResults(RESULTS, report);
    printReport(report, RESULTS);
    return Object.values(results).some((r) => r.error) ? 1 : 0;
  } finally {
    forget();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
