// Child processes of the benchmark: every one is started through `child-guard.mjs`, tracked,
// and killed when the run ends, fails or is interrupted. Loopback only.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/** What a drained stream keeps for error messages: its first and its last bytes. */
const KEEP_BYTES = 64 * 1024;

/**
 * Consumes a child's stream as a log shipper would: every chunk is read at once (the child never
 * blocks on a full pipe for long) and thrown away, keeping only the first and last KEEP_BYTES for
 * error messages, and the byte count. O(1) per chunk (a server writes one per log line): the last
 * chunks are kept as they are and dropped from the front, never copied.
 */
function drain(stream) {
  const head = [];
  let headBytes = 0;
  const tail = [];
  let tailBytes = 0;
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    if (headBytes < KEEP_BYTES) {
      head.push(chunk);
      headBytes += chunk.length;
      return;
    }
    tail.push(chunk);
    tailBytes += chunk.length;
    while (tail.length > 1 && tailBytes - tail[0].length >= KEEP_BYTES) tailBytes -= tail.shift().length;
  });
  const text = () => {
    const first = Buffer.concat(head).toString('utf8');
    return tail.length === 0 ? first : `${first}\n[…]\n${Buffer.concat(tail).toString('utf8')}`;
  };
  return { text, bytes: () => bytes };
}

/**
 * Starts `node [--import guard] script ...args`, or with `wrapper` (a command and its arguments,
 * such as valgrind's) `wrapper… node …`. `onLine` receives each stdout line. With
 * `drainStdout` the child's stdout is consumed and discarded as it comes (a server's request log:
 * see drain above), and `stdoutBytes()` counts it.
 * Returns {child, exited, output(), stdoutBytes()} where exited resolves with the exit code.
 */
export function startNode(script, args, { env = {}, maxSeconds = 600, onLine, nodeArgs = [], drainStdout = false, wrapper = [] } = {}) {
  const command = [...wrapper, process.execPath, ...nodeArgs, '--import', GUARD, script, ...args];
  const child = spawn(command[0], command.slice(1), {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env, BENCH_CHILD_MAX_SECONDS: String(Math.ceil(maxSeconds)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let partial = '';
  const drained = drainStdout ? drain(child.stdout) : undefined;
  if (!drained) {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine?.(line);
    });
  }
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  return { child, exited, output: () => ({ stdout: drained ? drained.text() : stdout, stderr }), stdoutBytes: () => (drained ? drained.bytes() : Buffer.byteLength(stdout)) };
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

/** The ids of the live child processes of `pid` (a KEYWAY_WORKERS primary's workers); [] off Linux. */
export function childPids(pid) {
  const found = [];
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** CPU seconds (user + system) from a /proc stat file; null when it cannot be read (off Linux, gone). */
function statCpuSeconds(path) {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, all threads) a process has used so far; null off Linux. */
export const cpuSeconds = (pid) => statCpuSeconds(`/proc/${pid}/stat`);

/** CPU seconds of a process's main thread alone (its event loop's thread); null off Linux. */
export const mainThreadCpuSeconds = (pid) => statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);

/**
 * How often a process's main thread has left its core so far: `waited` (voluntary: for I/O or a
 * lock) and `preempted` (involuntary: another thread took the core); null off Linux.
 */
export function mainThreadSwitches(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
    const count = (name) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)?.[1]);
    return { waited: count('voluntary_ctxt_switches'), preempted: count('nonvoluntary_ctxt_switches') };
  } catch {
    return null;
  }
}
