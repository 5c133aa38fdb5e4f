/**
 * The benchmark's set-up of Keyway (bench/keyway-target.mjs) against the built server: it starts
 * Keyway as `npm run bench` does and configures the benchmark client through the management API,
 * so an API change that the set-up does not follow fails here rather than in a bench run. Also
 * what the measurements rest on: the default row runs with Keyway's default logging (its request
 * log reaches the drained stdout) and the silent row without; the workers row's probes reach
 * every worker; the claims row's attributes reach the access token; the coverage count of the
 * claims check reads V8's files.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
// @ts-expect-error: plain JavaScript module of the benchmark, without type declarations
import { startKeyway } from '../../bench/keyway-target.mjs';
// @ts-expect-error: plain JavaScript module of the benchmark, without type declarations
import { expressionCalls } from '../../bench/claims-check.mjs';
// @ts-expect-error: plain JavaScript module of the benchmark, without type declarations
import { lessCpu, perRequest, repeatedInReverse } from '../../bench/run.mjs';
// @ts-expect-error: plain JavaScript module of the benchmark, without type declarations
import { cpuSeconds, mainThreadCpuSeconds, mainThreadSwitches } from '../../bench/processes.mjs';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { clientKey, jwksString, JWT_BEARER, signWith } from '../support/harness.js';

const workDir = mkdtempSync(join(tmpdir(), 'keyway-bench-setup-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

test('the benchmark configures its client on the built server and gets a token endpoint', async () => {
  const jwks = jwksString(await clientKey('RS256', 'bench-setup-key'));
  const target = await startKeyway({ workDir, jwks, maxSeconds: 60 });
  try {
    assert.match(target.envId, /^[0-9a-f-]{36}$/);
    assert.match(target.clientId, /^[0-9a-f-]{36}$/);
    assert.equal(target.tokenEndpoint, `${target.baseUrl}/${target.envId}/as/token`);
  } finally {
    await target.stop();
  }
});

test('the ES256 set-up makes an EC P-256 key the default: the benchmark client gets ES256 access tokens for its ES256 assertions', async () => {
  const key = await clientKey('ES256', 'bench-setup-ec-key');
  const target = await startKeyway({ workDir, jwks: jwksString(key), maxSeconds: 60, signing: 'ES256' });
  try {
    const assertion = await signWith(key, target.clientId, { aud: target.audience });
    const res = await fetch(target.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'bench:read', client_assertion_type: JWT_BEARER, client_assertion: assertion }),
    });
    const body = (await res.json()) as { access_token: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(decodeProtectedHeader(body.access_token).alg, 'ES256');
  } finally {
    await target.stop();
  }
});

async function token(target: { clientId: string; audience: string; tokenEndpoint: string }, key: Awaited<ReturnType<typeof clientKey>>): Promise<{ status: number; body: { access_token: string } }> {
  const assertion = await signWith(key, target.clientId, { aud: target.audience });
  const res = await fetch(target.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'bench:read', client_assertion_type: JWT_BEARER, client_assertion: assertion }),
  });
  return { status: res.status, body: (await res.json()) as { access_token: string } };
}

test("the default row runs with Keyway's default request log, the silent row without one", async () => {
  const key = await clientKey('RS256', 'bench-setup-log-key');
  for (const [logLevel, logs] of [[undefined, true], ['silent', false]] as const) {
    const target = await startKeyway({ workDir, jwks: jwksString(key), maxSeconds: 60, ...(logLevel ? { logLevel } : {}) });
    try {
      const before = target.logBytes() as number;
      for (let i = 0; i < 5; i++) assert.equal((await token(target, key)).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const grew = (target.logBytes() as number) - before;
      if (logs) assert.ok(grew > 5 * 100, `the request log reached stdout: ${grew} bytes for 5 requests`);
      else assert.equal(grew, 0, 'silent writes nothing');
    } finally {
      await target.stop();
    }
  }
});

test('the workers row: two workers answer, their busy time is read from each, and the CPU probe sees the primary and both workers', async () => {
  const key = await clientKey('ES256', 'bench-setup-workers-key');
  const target = await startKeyway({ workDir, jwks: jwksString(key), maxSeconds: 60, signing: 'ES256', workers: 2 });
  try {
    assert.equal((await token(target, key)).status, 200);
    const readings = (await target.eventLoop()) as Record<string, number>;
    assert.equal(Object.keys(readings).length, 2);
    for (const busy of Object.values(readings)) assert.ok(busy > 0);
    const pids = target.serverPids() as number[];
    assert.equal(pids.length, 3);
    assert.equal(pids[0], target.proc.child.pid);
    assert.deepEqual(pids.slice(1).sort(), Object.keys(readings).map(Number).sort());
  } finally {
    await target.stop();
  }
});

test("the claims row's three custom attributes are claims of its access tokens", async () => {
  const key = await clientKey('RS256', 'bench-setup-claims-key');
  const target = await startKeyway({ workDir, jwks: jwksString(key), maxSeconds: 60, attributes: 3 });
  try {
    const reply = await token(target, key);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const claims = decodeJwt(reply.body.access_token);
    assert.equal(claims.bench_env, target.envId);
    assert.equal(claims.bench_grant, 'CLIENT_CREDENTIALS');
    assert.equal(claims.bench_assertion_iss, target.clientId);
  } finally {
    await target.stop();
  }
});

test('the logging pair is measured again in the opposite order, each row keeping its run with less CPU per request', () => {
  assert.deepEqual(repeatedInReverse(['keyway', 'keyway-silent', 'keyway-es256'], false), ['keyway-silent', 'keyway']);
  assert.deepEqual(repeatedInReverse(['keyway', 'keyway-silent'], true), [], 'not in --smoke');
  assert.deepEqual(repeatedInReverse(['keyway', 'keyway-es256'], false), [], 'only when both rows run');
  const first = { label: 'a', requestsPerSecond: 900, cpuPerRequestUs: 700 };
  const second = { label: 'a', requestsPerSecond: 1000, cpuPerRequestUs: 600 };
  assert.deepEqual(lessCpu(first, second), { ...second, runs: 2, otherRun: { requestsPerSecond: 900, cpuPerRequestUs: 700 } });
  assert.equal(lessCpu({ label: 'a', error: 'failed' }, first).cpuPerRequestUs, 700, 'a failed run never wins');
});

test("the event loops' figures per request: busy (wall) time, their threads' CPU time and their preemptions, over the 200s answered", () => {
  const result = { requestsPerSecond: 4_000, cpuCoresUsed: { server: 1.2 }, window: { eventLoopBusy: 0.8, mainThreadBusy: 0.4, mainThreadPreemptionsPerSecond: 2_000 } };
  assert.deepEqual(perRequest(result), { cpuPerRequestUs: 300, eventLoopPerRequestUs: 200, mainThreadCpuPerRequestUs: 100, mainThreadPreemptionsPerRequest: 0.5 });
  assert.deepEqual(perRequest({ requestsPerSecond: 0, window: {} }), { cpuPerRequestUs: null, eventLoopPerRequestUs: null, mainThreadCpuPerRequestUs: null, mainThreadPreemptionsPerRequest: null });
  // Read from /proc for this process: the main thread's CPU is part of the process's, its switches are counts.
  const spin = Date.now() + 30;
  while (Date.now() < spin);
  const main = mainThreadCpuSeconds(process.pid);
  assert.ok(main > 0 && main <= cpuSeconds(process.pid), `main thread ${main} s, process ${cpuSeconds(process.pid)} s`);
  const switches = mainThreadSwitches(process.pid);
  assert.ok(Number.isInteger(switches.waited) && Number.isInteger(switches.preempted), JSON.stringify(switches));
});

test('the claims check counts calls of the expression language in V8 coverage files, module top level left out', () => {
  const dir = mkdtempSync(join(workDir, 'coverage-'));
  const script = (url: string, functions: Array<[string, number, number]>) => ({
    url,
    functions: functions.map(([functionName, startOffset, count]) => ({ functionName, ranges: [{ startOffset, endOffset: startOffset + 10, count }] })),
  });
  writeFileSync(
    join(dir, 'coverage-1.json'),
    JSON.stringify({
      result: [
        script('file:///srv/keyway/dist/domain/expressions/interpreter.js', [['', 0, 1], ['evaluate', 40, 7], ['', 90, 2]]),
        script('file:///srv/keyway/dist/protocol/tokens/access-token.js', [['sign', 10, 50]]),
      ],
    }),
  );
  assert.deepEqual(expressionCalls(dir), { calls: 9, functionsCalled: 2 });
});
