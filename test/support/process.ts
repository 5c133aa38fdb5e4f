/**
 * Starts the built server (`dist/cli/main.js start`) as a child process on a free port and
 * waits for /healthz. `npm test` builds dist before running tests.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as undiciFetch } from 'undici';
import { freePort as freePortOf } from '../../src/testing/free-port.js';

export interface RunningServer {
  baseUrl: string;
  port: number;
  stdout(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A free port of 127.0.0.1, as the testing library finds one. */
export function freePort(): Promise<number> {
  return freePortOf('127.0.0.1');
}

export interface ProcessOptions {
  /**
   * The server serves HTTPS (KEYWAY_TLS…): `baseUrl` is https://, and the readiness probe
   * accepts any certificate (the test checks the real one itself, often made at start).
   */
  https?: boolean;
}

/** Readiness probes of an HTTPS server whose authority the test does not know yet. */
const probeAgent = new Agent({ connect: { rejectUnauthorized: false } });

/** `env` may be a function of the chosen port (for a KEYWAY_PUBLIC_URL that names it). */
export async function startProcess(
  env: Record<string, string> | ((port: number) => Record<string, string>),
  timeoutMs = 20_000,
  options: ProcessOptions = {},
): Promise<RunningServer> {
  const port = await freePort();
  const extra = typeof env === 'function' ? env(port) : env;
  const child = spawn(process.execPath, [MAIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', KEYWAY_PORT: String(port), KEYWAY_LOG_LEVEL: 'warn', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`;
  const probe = options.https ? async (url: string) => undiciFetch(url, { dispatcher: probeAgent }) : fetch;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}${out}`);
    try {
      if ((await probe(`${baseUrl}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy: ${err}${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    baseUrl,
    port,
    stdout: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
