// Instructions per token request, counted by valgrind's callgrind, per thread of the Keyway
// process: a figure that the load of a shared machine does not move, for changes to the token
// endpoint's hot path too small to see through the noise of req/s and CPU time. Timing is not
// measured: under valgrind the process runs some fifty times slower, one thread at a time.
//
//   node bench/instructions.mjs                        # this checkout, ES256
//   INSTR_WARMUP=6000 INSTR_BUILDS=../before,. node bench/instructions.mjs   # built checkouts, one after the other
//   INSTR_ALG=RS256 node bench/instructions.mjs
//   INSTR_LOG_LEVEL=silent node bench/instructions.mjs   # without the request log (KEYWAY_LOG_LEVEL)
//   INSTR_KEEP=../dumps node bench/instructions.mjs      # keeps the dumps, for callgrind_annotate
//
// Each round starts `node dist/cli/main.js start` of a checkout under
// `valgrind --tool=callgrind --separate-threads=yes`, configured as the benchmark's ES256 (or RS256)
// row is, sends INSTR_WARMUP token requests (default 3,000) so that V8 has compiled the hot path,
// then INSTR_WINDOWS (3) times zeroes the counters (`callgrind_control -z`), sends INSTR_TOKENS
// more (1,500) and dumps the counters, and prints each thread's instructions divided by
// INSTR_TOKENS. INSTR_CONCURRENCY (default 8) requests are in flight at a time, so the threads'
// batches are of a few operations, as under load. Thread 1 runs the event loop; the others are
// V8's, the key operation threads, the jti writer's and libuv's, numbered in the order they
// started. The machine's load does not change a count, but V8 does: a window in which it
// deoptimises part of the path counts up to a fifth more, so compare the least window of each
// build (bench/README.md). Needs valgrind (Debian's package).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCOPE, startKeyway } from './keyway-target.mjs';
import { presign } from './presign.mjs';
import { onCleanup, stop } from './processes.mjs';
import { clientKey } from './run.mjs';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const number = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const settings = {
  tokens: number('INSTR_TOKENS', 1500),
  warmup: number('INSTR_WARMUP', 3000),
  concurrency: number('INSTR_CONCURRENCY', 8),
  rounds: number('INSTR_ROUNDS', 1),
  windows: number('INSTR_WINDOWS', 3),
  alg: process.env.INSTR_ALG ?? 'ES256',
  // Unset: Keyway's default, as `npm start` runs it; `silent` counts what the request log costs.
  logLevel: process.env.INSTR_LOG_LEVEL || undefined,
  // A directory that keeps callgrind's dumps (callgrind.out.<window>-<thread>) for callgrind_annotate.
  keep: process.env.INSTR_KEEP ? resolve(process.env.INSTR_KEEP) : undefined,
};
if (!['ES256', 'RS256'].includes(settings.alg)) throw new Error('INSTR_ALG must be ES256 or RS256');
const builds = (process.env.INSTR_BUILDS ?? '.').split(',').map((dir) => resolve(dir === '.' ? HERE : dir));

/** Sends `bodies` to `tokenEndpoint`, `concurrency` at a time; every answer must be a 200. */
async function send(tokenEndpoint, bodies, concurrency) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await fetch(tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`token request answered ${res.status}: ${text}`);
      }
    }),
  );
}

/** Instructions per thread in callgrind's dump number `dump` (files `callgrind.out.<dump>-<thread>`). */
function countsOf(workDir, dump) {
  const counts = [];
  for (const file of readdirSync(workDir).filter((f) => f.startsWith(`callgrind.out.${dump}-`))) {
    const total = /^(?:summary|totals): (\d+)/m.exec(readFileSync(join(workDir, file), 'utf8'));
    if (total) counts.push({ thread: Number(file.slice(file.lastIndexOf('-') + 1)), instructions: Number(total[1]) });
  }
  return counts.sort((a, b) => a.thread - b.thread);
}

/** Copies the windows' dumps of `workDir` to `dir` (INSTR_KEEP, one directory per build). */
function keepDumps(workDir, dir) {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(workDir).filter((f) => /^callgrind\.out\.\d+-\d+$/.test(f))) copyFileSync(join(workDir, file), join(dir, file));
}

async function measure(build) {
  const workDir = mkdtempSync(join(tmpdir(), 'keyway-instructions-'));
  const forget = onCleanup(async () => rmSync(workDir, { recursive: true, force: true }));
  const wrapper = ['valgrind', '--tool=callgrind', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${join(workDir, 'callgrind.out')}`];
  const key = await clientKey(settings.alg);
  const main = join(build, 'dist', 'cli', 'main.js');
  const target = await startKeyway({ workDir, jwks: key.jwks, maxSeconds: 3600, main, signing: settings.alg, logLevel: settings.logLevel, wrapper, startSeconds: 600 });
  try {
    const count = settings.warmup + settings.windows * settings.tokens;
    const bodies = await presign({ count, privateKeyPem: key.privateKeyPem, kid: key.kid, clientId: target.clientId, audience: target.audience, lifetime: 3600, scope: SCOPE, alg: settings.alg });
    await send(target.tokenEndpoint, bodies.slice(0, settings.warmup), settings.concurrency);
    const pid = String(target.proc.child.pid);
    const windows = [];
    for (let window = 1; window <= settings.windows; window += 1) {
      const from = settings.warmup + (window - 1) * settings.tokens;
      execFileSync('callgrind_control', ['-z', pid], { stdio: 'ignore' });
      await send(target.tokenEndpoint, bodies.slice(from, from + settings.tokens), settings.concurrency);
      execFileSync('callgrind_control', ['-d', pid], { stdio: 'ignore' });
      windows.push(countsOf(workDir, window).map((c) => ({ ...c, perToken: Math.round(c.instructions / settings.tokens) })));
    }
    return windows;
  } finally {
    await stop(target.proc, 30_000);
    if (settings.keep) keepDumps(workDir, join(settings.keep, basename(build)));
    rmSync(workDir, { recursive: true, force: true });
    forget();
  }
}

console.log(`instructions per ${settings.alg} token request (callgrind): ${settings.windows} windows of ${settings.tokens} after ${settings.warmup} of warm-up, ${settings.concurrency} in flight, log level ${settings.logLevel ?? "Keyway's default"}`);
const format = (n) => n.toLocaleString('en');
for (let round = 0; round < settings.rounds; round += 1) {
  for (const build of builds) {
    const windows = (await measure(build)).map((counts) => counts.filter((c) => c.perToken >= 1000));
    const loop = windows.map((counts) => counts.find((c) => c.thread === 1)?.perToken ?? 0);
    const all = windows.map((counts) => counts.reduce((sum, c) => sum + c.perToken, 0));
    const least = loop.indexOf(Math.min(...loop));
    const threads = (windows[least] ?? []).map((c) => `${c.thread}: ${format(c.perToken)}`).join(', ');
    console.log(`round ${round + 1} ${build}`);
    console.log(`  event loop ${loop.map(format).join(' / ')}; all threads ${all.map(format).join(' / ')}`);
    console.log(`  least event-loop window, per thread: ${threads}`);
  }
}
