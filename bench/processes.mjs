// Child processes of the benchmark: every one is started through `child-guard.mjs`, tracked,
// and killed when the run ends, fails or is interrupted. Loopback only.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const GUARD = fileURLToPath(new URL('./child-guard.mjs', import.meta.url));
const running = new Set();

const cleanups = new Set();

function killAll() {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping the child processes\n`);
    killAll();
    // Then the registered clean-ups (dropping the PostgreSQL schema), at most 5 s.
    const bounded = Promise.race([Promise.allSettled([...cleanups].map((fn) => fn())), new Promise((r) => setTimeout(r, 5000).unref())]);
    bounded.finally(() => process.exit(130));
  });
}

/** Registers async clean-up work for an interrupted run; returns its unregister function. */
export function onCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/**
 * Starts `node [--import guard] script ...args`. `onLine` receives each stdout line.
 * Returns {child, exited, output()} where exited resolves with the exit code.
 */
export function startNode(script, args, { env = {}, maxSeconds = 600, onLine, nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, '--import', GUARD, script, ...args], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env, BENCH_CHILD_MAX_SECONDS: String(Math.ceil(maxSeconds)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine?.(line);
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stop(proc, graceMs = 5000) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 or the deadline passes; fails early if the process exits. */
export async function waitForHttp(url, proc, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`process exited with ${proc.child.exitCode}: ${proc.output().stderr}${proc.output().stdout}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s: ${proc.output().stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CLOCK_TICKS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(out.stdout) > 0 ? Number(out.stdout) : 100;
})();

/** CPU seconds (user + system, all threads) a process has used so far; null off Linux. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
