// `npm run bench`: client_credentials with private_key_jwt (RS256 assertion, RS256 JWT access
// token) against Keyway on SQLite (one process), Keyway on PostgreSQL (two processes on one
// database, load split evenly) and oidc-provider configured the same way, one after the other,
// on this machine, with the same load generator settings; plus the single-core crypto bound.
// The ES256 rows do the same with an EC P-256 client key (ES256 assertions) and ES256 access
// tokens: Keyway's environment gets an EC P-256 default key through the keys API, oidc-provider
// an ES256 signing key.
// Prints a table and writes bench/results/latest.json.
//
// Settings (environment): BENCH_SECONDS (measured window, default 10), BENCH_WARMUP_SECONDS
// (default 2), BENCH_CONCURRENCY (keep-alive connections, default 32), BENCH_CRYPTO_SECONDS
// (default 3), BENCH_TARGETS (default "keyway,keyway-postgres,oidc-provider", keyway-postgres only
// when BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, answers; with
// BENCH_BASELINE, the path of another built Keyway checkout, "keyway-baseline" runs it first, the
// same way as the keyway target, for a before/after comparison in one run).
// `--smoke` sets the defaults to 2 s, 1 s warm-up, concurrency 4 and a 1 s crypto loop.
// `--scale` (or BENCH_SCALE=1) runs the scale-data mode instead: see scale.mjs.
// Exit code: 0 when every target was measured, 1 otherwise (the report is printed either way).
import { generateKeyPairSync } from 'node:crypto';
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
  'keyway-baseline': { label: 'Keyway baseline (SQLite)', start: (o) => startKeyway({ ...o, main: baselineMain() }), instances: 1, baseline: true },
  keyway: { label: 'Keyway (SQLite)', start: startKeyway, instances: 1 },
  'keyway-postgres-baseline': {
    label: `Keyway baseline ×${INSTANCES} (PostgreSQL)`,
    start: (o) => startKeywayPostgres({ ...o, main: baselineMain() }),
    instances: INSTANCES,
    postgres: true,
    baseline: true,
  },
  'keyway-postgres': { label: `Keyway ×${INSTANCES} (PostgreSQL)`, start: startKeywayPostgres, instances: INSTANCES, postgres: true },
  'oidc-provider': { label: 'oidc-provider', start: startOidcProvider, instances: 1 },
  'keyway-es256': { label: 'Keyway ES256 (SQLite)', start: (o) => startKeyway({ ...o, signing: 'ES256' }), instances: 1, alg: 'ES256' },
  'oidc-provider-es256': { label: 'oidc-provider ES256', start: (o) => startOidcProvider({ ...o, alg: 'ES256' }), instances: 1, alg: 'ES256' },
};

/**
 * The targets to run: BENCH_TARGETS when set (a PostgreSQL target whose database does not
 * answer then fails), otherwise every target, keyway-postgres only when its database answers.
 * @returns {Promise<{targets: string[], skipped: Record<string, string>, unreachable?: string}>}
 */
export async function chooseTargets(env, defaults = Object.keys(TARGETS).filter((t) => !TARGETS[t].baseline || env.BENCH_BASELINE)) {
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
    seconds: number('BENCH_SECONDS', smoke ? 2 : (defaults.seconds ?? 10), 1, 300),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', smoke ? 1 : (defaults.warmupSeconds ?? 2), 0, 60),
    concurrency: number('BENCH_CONCURRENCY', smoke ? 4 : 32, 1, 512, true),
    cryptoSeconds: number('BENCH_CRYPTO_SECONDS', smoke ? 1 : 3, 0.5, 60),
  };
}

export async function cryptoBound(seconds) {
  let line;
  const proc = startNode(CRYPTO, [String(seconds)], { maxSeconds: seconds + 60, onLine: (l) => (line = l) });
  const code = await proc.exited;
  if (code !== 0 || !line) throw new Error(`crypto bound measurement failed: ${proc.output().stderr}`);
  return JSON.parse(line);
}

/** The client's key pair: RSA 2048 for RS256, P-256 for ES256. */
export async function clientKey(alg = 'RS256') {
  const { privateKey, publicKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
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

/** The pre-signed assertions a run needs: one process answers at most its crypto bound per second. */
export function assertionsFor(settings, crypto, instances) {
  // 30% head-room plus a connection's worth. Should a target still use them all up, it is
  // measured over the time they lasted.
  return Math.ceil(crypto.pairsPerSecond * instances * (settings.warmupSeconds + settings.seconds) * 1.3) + 2 * settings.concurrency;
}

/** Drives a started target with the load generator; returns the result or {error}. */
export async function measureToken(name, label, target, settings, key, count, workDir, maxSeconds) {
  const runSeconds = settings.warmupSeconds + settings.seconds;
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
      concurrency: settings.concurrency,
    },
    (target.procs ?? [target.proc]).map((p) => p.child.pid),
    workDir,
    maxSeconds,
    target.dbPids ? { dbPids: target.dbPids } : {},
  );
  if (result.rejected) {
    const what = result.rejected.status === 0 ? `the request failed: ${result.rejected.body}` : `${result.rejected.status} ${result.rejected.body}`;
    return { label, error: `${label} rejected the assertion${result.rejected.endpoint ? ` (${result.rejected.endpoint})` : ''}: ${what}`, rejected: result.rejected };
  }
  return { label, tokenEndpoints: endpoints, audience: target.audience, ...result };
}

export const stopTarget = (target) => (target.stop ? target.stop() : stop(target.proc));

/** Starts one target, drives it, stops it. Failures become {error} so the other targets still run. */
async function benchTarget(name, settings, keys, crypto, workDir) {
  const { label, start, instances } = TARGETS[name];
  const key = keys[TARGETS[name].alg ?? 'RS256'];
  const runSeconds = settings.warmupSeconds + settings.seconds;
  const maxSeconds = 240 + 3 * runSeconds + 30 * instances;
  process.stderr.write(`bench: ${label}: starting and configuring\n`);
  let target;
  try {
    target = await start({ workDir, jwks: key.jwks, maxSeconds });
    return await measureToken(name, label, target, settings, key, assertionsFor(settings, crypto, instances), workDir, maxSeconds);
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
    process.stderr.write(`bench: crypto bound (${settings.cryptoSeconds} s, one core)\n`);
    const crypto = await cryptoBound(settings.cryptoSeconds);
    const keys = { RS256: await clientKey('RS256'), ES256: await clientKey('ES256') };
    const results = {};
    for (const name of targets) results[name] = await benchTarget(name, settings, keys, crypto, workDir);

    const report = {
      date: new Date().toISOString(),
      machine: host,
      scenario: 'client_credentials, private_key_jwt (RS256 assertion, RSA 2048), RS256 JWT access token (RSA 2048); ES256 rows: ES256 assertion and access token (P-256)',
      settings,
      cryptoBound: { ...crypto, what: 'RS256 verify + RS256 sign (RSA 2048) per second, node:crypto, one thread' },
      keywayBaseline: results['keyway-baseline'] ?? null,
      keywayPostgresBaseline: results['keyway-postgres-baseline'] ?? null,
      keyway: results.keyway ?? null,
      keywayPostgres: results['keyway-postgres'] ?? null,
      oidcProvider: results['oidc-provider'] ?? null,
      keywayEs256: results['keyway-es256'] ?? null,
      oidcProviderEs256: results['oidc-provider-es256'] ?? null,
      skipped: Object.fromEntries(Object.entries(skipped).map(([name, why]) => [name, { label: TARGETS[name].label, why }])),
    };
    const k = report.keyway?.requestsPerSecond;
    const p = report.keywayPostgres?.requestsPerSecond;
    const o = report.oidcProvider?.requestsPerSecond;
    const b = report.keywayBaseline?.requestsPerSecond;
    report.keywayOverBaseline = k && b ? k / b : null;
    const pb = report.keywayPostgresBaseline?.requestsPerSecond;
    report.keywayPostgresOverBaseline = p && pb ? p / pb : null;
    report.keywayOverOidcProvider = k && o ? k / o : null;
    report.keywayShareOfCryptoBound = k ? k / crypto.pairsPerSecond : null;
    report.keywayPostgresOverOidcProvider = p && o ? p / o : null;
    report.keywayPostgresOverKeyway = p && k ? p / k : null;
    const ke = report.keywayEs256?.requestsPerSecond;
    const oe = report.oidcProviderEs256?.requestsPerSecond;
    report.keywayEs256OverOidcProviderEs256 = ke && oe ? ke / oe : null;
    report.keywayEs256OverKeyway = ke && k ? ke / k : null;
    report.goals = { keywayOverOidcProvider: 2.5, keywayShareOfCryptoBound: 0.75 };

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
