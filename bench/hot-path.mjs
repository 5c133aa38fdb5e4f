// Where a token request's CPU goes, for work on the token endpoint's hot path: per 200 answered
// in the measured window, the server process's CPU time (all threads) and its main thread's
// alone (the event loop's budget), from /proc/<pid>/stat and /proc/<pid>/task/<pid>/stat.
// Linux only. Same targets, load generator and settings as run.mjs, one after the other, in
// rounds (A B B A …) so that a drift of the machine's load hits each alike.
//
//   node bench/hot-path.mjs                      # keyway-es256, keyway (RS256)
//   HOT_TARGETS=keyway-es256,oidc-provider-es256 HOT_ROUNDS=2 node bench/hot-path.mjs
//   BENCH_BASELINE=../other-build HOT_TARGETS=keyway-es256,baseline-es256 node bench/hot-path.mjs
//   HOT_BUILDS=a=../build-a,b=../build-b HOT_TARGETS=a-es256,b-es256 node bench/hot-path.mjs
//   HOT_TARGETS=keyway-es256,keyway-es256@silent node bench/hot-path.mjs
//                                               # name@level: Keyway with that KEYWAY_LOG_LEVEL
//                                               # (without: unset, Keyway's default)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKeywayProcess, bootstrapPins, configureBenchClient, baselineMain } from './keyway-target.mjs';
import { startOidcProvider } from './oidc-provider-target.mjs';
import { assertionsFor, clientKey, cryptoBound, settingsFrom } from './run.mjs';
import { cpuSeconds, mainThreadCpuSeconds, mainThreadSwitches, onCleanup, startNode, stop } from './processes.mjs';

const LOAD = fileURLToPath(new URL('./load.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const sample = (pid) => ({ at: performance.now(), all: cpuSeconds(pid), main: mainThreadCpuSeconds(pid), switches: mainThreadSwitches(pid) });

async function startKeywayAt(main, signing, o, level) {
  const dataDir = join(o.workDir, `keyway-${Math.random().toString(16).slice(2)}`);
  const admin = bootstrapPins();
  const env = level ? { KEYWAY_LOG_LEVEL: level } : {};
  // HOT_PERF=1: JIT symbols for perf (see measure), so its samples name JavaScript functions.
  if (process.env.HOT_PERF) env.NODE_OPTIONS = '--perf-basic-prof';
  const { proc, baseUrl } = await startKeywayProcess({ dataDir, admin, maxSeconds: o.maxSeconds, main, env });
  const client = await configureBenchClient(baseUrl, admin, o.jwks, { inAdminEnvironment: signing === 'ES256' });
  if (signing === 'ES256') {
    await client.api('POST', `/v1/environments/${client.envId}/keys`, {
      name: 'Benchmark ES256', algorithm: 'EC', keyLength: 256, signatureAlgorithm: 'SHA256withECDSA',
      subjectDN: 'CN=Benchmark ES256', validityPeriod: 365, usageType: 'SIGNING', default: true,
    });
  }
  const issuer = `${baseUrl}/${client.envId}/as`;
  return { proc, stop: () => stop(proc), tokenEndpoint: `${issuer}/token`, audience: issuer, clientId: client.clientId };
}

const OIDC_PROVIDER = {
  'oidc-provider': { alg: 'RS256', start: (o) => startOidcProvider({ ...o, alg: 'RS256' }) },
  'oidc-provider-es256': { alg: 'ES256', start: (o) => startOidcProvider({ ...o, alg: 'ES256' }) },
};

/** HOT_BUILDS=name=/path/of/built/checkout,…: more Keyway builds, named in targets as name-rs256, name-es256. */
function builds() {
  const named = { keyway: MAIN };
  if (process.env.BENCH_BASELINE) named.baseline = baselineMain();
  for (const pair of (process.env.HOT_BUILDS ?? '').split(',').filter(Boolean)) {
    const [name, dir] = pair.split('=');
    named[name] = join(dir, 'dist', 'cli', 'main.js');
  }
  return named;
}

/** `oidc-provider[-es256]`, or `<build>-rs256|es256[@level]` (`keyway` alone: this checkout, RS256). */
function targetOf(name) {
  const [kind, level] = name.split('@');
  if (OIDC_PROVIDER[kind]) return OIDC_PROVIDER[kind];
  const match = /^(.+?)(?:-(rs256|es256))?$/.exec(kind);
  const main = builds()[match[1]];
  if (!main) throw new Error(`unknown target ${name}`);
  const alg = (match[2] ?? 'rs256').toUpperCase();
  return { alg, start: (o) => startKeywayAt(main, alg, o, level) };
}


async function measure(name, settings, key, count, workDir) {
  const maxSeconds = 240 + 3 * (settings.warmupSeconds + settings.seconds);
  const target = await targetOf(name).start({ workDir, jwks: key.jwks, maxSeconds });
  const pid = target.proc.child.pid;
  try {
    const job = {
      name, tokenEndpoints: [target.tokenEndpoint], audience: target.audience, clientId: target.clientId, kid: key.kid,
      privateKeyPem: key.privateKeyPem, alg: key.alg, scope: 'bench:read', count, lifetime: 600,
      warmupSeconds: settings.warmupSeconds, seconds: settings.seconds, concurrency: settings.concurrency,
    };
    const jobFile = join(workDir, `hot-${name.replace(/[^a-z0-9-]/gi, '_')}.json`);
    writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
    let start, end, result, perf;
    const gen = startNode(LOAD, [jobFile], {
      maxSeconds,
      onLine: (line) => {
        const m = JSON.parse(line);
        if (m.event === 'window-start') {
          start = sample(pid);
          // HOT_PERF=1: perf samples the main thread's CPU time (cpu-clock: only while it runs)
          // during the window, into bench/results/perf-<target>.data; HOT_PERF=all: every thread's.
          if (process.env.HOT_PERF === '1' || process.env.HOT_PERF === 'all') {
            const out = fileURLToPath(new URL(`./results/perf-${name.replace(/[^a-z0-9-]/gi, '_')}.data`, import.meta.url));
            perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-g', process.env.HOT_PERF === 'all' ? '-p' : '-t', String(pid), '-o', out], { stdio: 'ignore' });
          }
        }
        if (m.event === 'window-end') {
          end = sample(pid);
          perf?.kill('SIGINT');
        }
        if (m.event === 'result') result = m;
      },
    });
    const exited = await gen.exited;
    if (perf) await new Promise((resolve) => (perf.exitCode !== null ? resolve() : perf.once('exit', resolve)));
    if (exited !== 0 || !result || result.rejected) throw new Error(`${name}: load failed ${JSON.stringify(result?.rejected ?? gen.output().stderr)}`);
    const ok = result.requests;
    return {
      name,
      rps: result.requestsPerSecond,
      p50: result.latencyMs.p50,
      cpuUsPerToken: ((end.all - start.all) * 1e6) / ok,
      mainUsPerToken: ((end.main - start.main) * 1e6) / ok,
      cores: (end.all - start.all) / ((end.at - start.at) / 1000),
      waitsPerToken: (end.switches.waited - start.switches.waited) / ok,
      preemptionsPerToken: (end.switches.preempted - start.switches.preempted) / ok,
    };
  } finally {
    await (target.stop ? target.stop() : stop(target.proc));
  }
}

async function main() {
  const settings = settingsFrom(process.env, false);
  const names = (process.env.HOT_TARGETS ?? 'keyway-es256,keyway').split(',');
  const rounds = Number(process.env.HOT_ROUNDS ?? 1);
  const workDir = mkdtempSync(join(tmpdir(), 'keyway-hot-'));
  const forget = onCleanup(async () => rmSync(workDir, { recursive: true, force: true }));
  try {
    const crypto = await cryptoBound(1);
    const keys = { RS256: await clientKey('RS256'), ES256: await clientKey('ES256') };
    const rows = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const key = keys[targetOf(name).alg];
        const row = await measure(name, settings, key, assertionsFor(settings, crypto, 1) * 2, workDir);
        rows.push(row);
        process.stdout.write(`${JSON.stringify({ round: r, ...row, rps: Math.round(row.rps), cpuUsPerToken: Math.round(row.cpuUsPerToken), mainUsPerToken: Math.round(row.mainUsPerToken), cores: +row.cores.toFixed(2), waitsPerToken: +row.waitsPerToken.toFixed(3), preemptionsPerToken: +row.preemptionsPerToken.toFixed(3) })}\n`);
      }
    }
    // The least disturbed round of each target: on a shared machine other work only ever adds CPU time.
    process.stdout.write('best of rounds (least CPU per token; its rps and main-thread time):\n');
    for (const name of names) {
      const mine = rows.filter((r) => r.name === name);
      const best = mine.reduce((a, b) => (b.cpuUsPerToken < a.cpuUsPerToken ? b : a));
      const mainBest = Math.min(...mine.map((r) => r.mainUsPerToken));
      const rpsBest = Math.max(...mine.map((r) => r.rps));
      process.stdout.write(`  ${name.padEnd(28)} cpu ${Math.round(best.cpuUsPerToken)} µs/token, main thread ${Math.round(mainBest)} µs/token (min), rps ${Math.round(rpsBest)} (max)\n`);
    }
  } finally {
    forget();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => { process.stderr.write(`${err.stack}\n`); process.exit(1); });
