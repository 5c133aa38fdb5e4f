/**
 * A real process with `KEYWAY_METRICS_PORT` and `KEYWAY_LOG_LEVEL=info` (README, "Health and
 * metrics" and "Logs"): `/metrics` answers on the metrics port and not on the main one, and start,
 * configuration and shutdown are JSON lines with the documented `msg` names and fields, none of
 * which holds the master key or the bootstrap client's secret.
 */
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, type RunningServer } from '../support/process.js';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'lifecycle-e2e-secret-0123456789abcdef';
let server: RunningServer;
let dataDir: string;
let metricsPort: number;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keyway-lifecycle-'));
  metricsPort = await freePort();
  server = await startProcess({
    KEYWAY_DATA_DIR: dataDir,
    KEYWAY_LOG_LEVEL: 'info',
    KEYWAY_METRICS_PORT: String(metricsPort),
    KEYWAY_REQUEST_TIMEOUT_SECONDS: '1',
    KEYWAY_MASTER_KEY: MASTER_KEY,
    KEYWAY_BOOTSTRAP_CLIENT_SECRET: SECRET,
  });
});

after(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The JSON lines of stdout (the bootstrap credentials block is plain text and skipped). */
function jsonLines(): Array<Record<string, unknown>> {
  return server
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('/metrics is served on KEYWAY_METRICS_PORT only', async () => {
  assert.equal((await fetch(`${server.baseUrl}/health/live`)).status, 200);
  const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(scraped.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await scraped.text();
  assert.match(text, /^keyway_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_class="2xx"\} 1$/m);
  assert.equal((await fetch(`${server.baseUrl}/metrics`)).status, 404);
  assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/health/live`)).status, 404);
});

test('the metrics port bounds a request too: headers that never end are answered 408 (KEYWAY_REQUEST_TIMEOUT_SECONDS)', { timeout: 10_000 }, async () => {
  const started = performance.now();
  const socket = connect(metricsPort, '127.0.0.1');
  socket.write('GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  await new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  assert.match(text, /^HTTP\/1\.1 408 /);
  assert.ok(performance.now() - started < 3_000);
});

test('start and shutdown are logged as JSON lines with stable msg names; no secret is logged', async () => {
  const code = await server.stop('SIGTERM');
  assert.equal(code, 0);
  const lines = jsonLines();
  const byMsg = (msg: string) => lines.find((l) => l.msg === msg);
  const configuration = byMsg('keyway.configuration');
  assert.ok(configuration, server.stdout());
  assert.equal(configuration.store, 'sqlite');
  assert.equal(configuration.masterKey, 'KEYWAY_MASTER_KEY');
  assert.equal(configuration.metricsPort, metricsPort);
  assert.equal(configuration.requestTimeoutSeconds, 1);
  assert.equal(configuration.tls, 'off');
  assert.deepEqual(byMsg('keyway.bootstrap')?.created, true);
  const listening = byMsg('keyway.listening');
  assert.equal(listening?.port, server.port);
  assert.equal(listening?.metricsPort, metricsPort);
  assert.equal(byMsg('keyway.shutdown.started')?.signal, 'SIGTERM');
  assert.equal(byMsg('keyway.shutdown.complete')?.exitCode, 0);
  const order = ['keyway.configuration', 'keyway.listening', 'keyway.shutdown.started', 'keyway.shutdown.complete'].map((m) => lines.findIndex((l) => l.msg === m));
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'in the order they happen');
  const logged = lines.map((l) => JSON.stringify(l)).join('\n');
  assert.ok(!logged.includes(MASTER_KEY));
  assert.ok(!logged.includes(SECRET));
});

test('a taken KEYWAY_METRICS_PORT stops the start with a message naming it', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'keyway-metrics-taken-'));
  try {
    await assert.rejects(startProcess({ KEYWAY_DATA_DIR: dir, KEYWAY_METRICS_PORT: String(port) }, 10_000), new RegExp(`server exited with 1: keyway: KEYWAY_METRICS_PORT ${port}: .*EADDRINUSE`));
  } finally {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});
