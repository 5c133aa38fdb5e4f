/**
 * The benchmark's load generator (bench/load.mjs) against a stand-in token endpoint whose
 * answers cost 2 ms and which stops answering for 300 ms once, during the open-loop window. The
 * open loop runs at half the closed loop's rate, on a timer, and counts latency from each
 * request's due time: the requests due during the stall wait up to 300 ms and show in its p99,
 * instead of being left unsent (coordinated omission). The window's achieved rate stays at half
 * the measured maximum.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { newKeyPairSync } from '../../src/keys/key-pair.js';

const LOAD = fileURLToPath(new URL('../../bench/load.mjs', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'keyway-bench-load-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const TOKEN = JSON.stringify({ access_token: `${b64({ alg: 'ES256' })}.${b64({ sub: 'x' })}.sig`, token_type: 'Bearer' });

/** Runs load.mjs with `job` (the fields every run shares filled in) and returns its result line. */
async function runLoad(port: number, job: Record<string, unknown>): Promise<Record<string, any>> {
  const { privateKey } = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
  const full = {
    tokenEndpoint: `http://127.0.0.1:${port}/env/as/token`,
    audience: `http://127.0.0.1:${port}/env/as`,
    clientId: 'client',
    kid: 'kid',
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    alg: 'ES256',
    lifetime: 300,
    warmupSeconds: 0,
    concurrency: 4,
    ...job,
  };
  const jobFile = join(workDir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(full));
  const child = spawn(process.execPath, [LOAD, jobFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, err);
  const result = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>)
    .find((m) => m.event === 'result');
  assert.ok(result && !result.rejected, out);
  return result;
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('open loop at half load: latency from due time, so a 300 ms stall shows in p99; the rate holds', async () => {
  let first = 0;
  const stallFrom = 1_700;
  const stallUntil = 2_000;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const now = performance.now();
      if (first === 0) first = now;
      const at = now - first;
      const delay = at >= stallFrom && at < stallUntil ? stallUntil - at : 2;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(TOKEN), delay);
    });
  });
  const port = await listening(server);
  try {
    const result = await runLoad(port, { count: 6000, seconds: 1, openSeconds: 2 });
    const open = result.openLoop;
    assert.ok(open, 'an open-loop window ran');
    assert.ok(Math.abs(open.targetRate - result.requestsPerSecond / 2) < 1e-6, 'at half the closed loop rate');
    assert.ok(open.achievedRate > 0.8 * open.targetRate && open.achievedRate < 1.2 * open.targetRate, `achieved ${open.achievedRate} of ${open.targetRate}/s`);
    assert.ok(open.latencyMs.p50 < 50, `p50 ${open.latencyMs.p50} ms`);
    assert.ok(open.latencyMs.max > 200, `the stall is charged to the requests due during it: max ${open.latencyMs.max} ms`);
    assert.ok(open.latencyMs.p99 > 100, `p99 ${open.latencyMs.p99} ms`);
  } finally {
    server.close();
  }
});

test('BENCH_OPEN_RATE: the open loop runs at the fixed rate the job names, whatever the closed loop reached', async () => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(TOKEN), 2));
  });
  const port = await listening(server);
  try {
    // 40/s is far below half of what 4 connections to a 2 ms answer reach even on a busy machine.
    const result = await runLoad(port, { count: 4000, seconds: 1, openSeconds: 2, openRate: 40, openReserve: 400 });
    const open = result.openLoop;
    assert.ok(open, 'an open-loop window ran');
    assert.equal(open.targetRate, 40);
    assert.ok(result.requestsPerSecond / 2 > 60, `the closed loop's half (${result.requestsPerSecond / 2}/s) is not the rate asked for`);
    assert.ok(open.achievedRate > 32 && open.achievedRate < 48, `achieved ${open.achievedRate}/s`);
  } finally {
    server.close();
  }
});
