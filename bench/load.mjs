// The load generator, run as its own process so it never shares the server's event loop.
// Usage: node bench/load.mjs JOB.json
//   JOB: {tokenEndpoint | tokenEndpoints[], audience, clientId, kid, privateKeyPem, alg, scope, count,
//         lifetime, warmupSeconds, seconds, concurrency, openSeconds?, openReserve?, openRate?}
// Pre-signs `count` unique assertions, sends one probe request to each endpoint (a rejection ends
// the run with {rejected}), then keeps `concurrency` keep-alive connections busy: warm-up, then
// the measured window. With several endpoints (instances of one cluster) connection i talks to
// endpoint i mod n only (round-robin per connection), so the load is split evenly. Only 200s
// count toward the rate and the latencies; anything else is tallied.
// Then, with job.openSeconds > 0, an open-loop window at half the rate just measured (or at
// job.openRate requests per second, when it is set): request i
// is due at t0 + i / rate whatever the answers so far (a timer, not the responses, paces the
// sends, over the same connections; a request finding them all busy waits in the client's queue),
// and its latency is counted from when it was due, not from when it went out, so a server that
// falls behind is charged for the wait (no coordinated omission).
// Prints JSON lines on stdout: {event:"window-start"}, {event:"window-end"}, {event:"result",...}.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { presign } from './presign.mjs';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const emit = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const endpoints = (job.tokenEndpoints ?? [job.tokenEndpoint]).map((e) => new URL(e));
const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

const signStart = performance.now();
const bodies = await presign(job);
const presignSeconds = (performance.now() - signStart) / 1000;

// Connection i uses endpoint i mod n: each pool gets the connections of its share.
const connectionsOf = (e) => Math.ceil((job.concurrency - e) / endpoints.length);
const pools = endpoints.map((url, e) => new Pool(url.origin, { connections: Math.max(1, connectionsOf(e)), pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 }));
const request = (e, body) =>
  pools[e].request({ path: `${endpoints[e].pathname}${endpoints[e].search}`, method: 'POST', headers, body, headersTimeout: 30_000, bodyTimeout: 30_000 });
const closeAll = () => Promise.all(pools.map((p) => p.close()));

let probe;
for (let e = 0; e < endpoints.length; e += 1) {
  probe = await probeOnce(e, bodies[e]);
  if (probe.rejected) {
    emit({ event: 'result', rejected: { ...probe.rejected, endpoint: endpoints[e].href }, presigned: bodies.length, presignSeconds });
    await closeAll();
    process.exit(0);
  }
}

const latencies = new Float64Array(bodies.length);
let ok = 0;
const okPerEndpoint = endpoints.map(() => 0);
let next = endpoints.length;
let errors = 0;
let errorSample;
let lastEnd = 0;
let exhausted = false;
const non200 = {};
let non200Sample;

// The closed loop leaves job.openReserve assertions to the open loop.
const closedLimit = bodies.length - (job.openReserve ?? 0);
const t0 = performance.now();
const windowStart = t0 + job.warmupSeconds * 1000;
const windowEnd = windowStart + job.seconds * 1000;
setTimeout(() => emit({ event: 'window-start' }), windowStart - t0);

async function connectionLoop(e) {
  for (;;) {
    if (performance.now() >= windowEnd) return;
    if (next >= closedLimit) {
      exhausted = true;
      return;
    }
    const body = bodies[next];
    next += 1;
    const start = performance.now();
    let status;
    let text;
    try {
      const res = await request(e, body);
      status = res.statusCode;
      if (status === 200) await res.body.dump();
      else text = await res.body.text();
    } catch (err) {
      errors += 1;
      errorSample ??= String(err?.code ?? err?.message ?? err);
      continue;
    }
    const end = performance.now();
    if (end < windowStart || end > windowEnd) continue;
    lastEnd = end;
    if (status === 200) {
      latencies[ok] = end - start;
      ok += 1;
      okPerEndpoint[e] += 1;
    } else {
      non200[status] = (non200[status] ?? 0) + 1;
      non200Sample ??= { status, body: text.slice(0, 500) };
    }
  }
}

await Promise.all(Array.from({ length: job.concurrency }, (_, i) => connectionLoop(i % endpoints.length)));
emit({ event: 'window-end' });

// A run that used up its pre-signed assertions early is measured over the time it really ran.
const measuredUntil = exhausted ? Math.min(lastEnd, windowEnd) : windowEnd;
const windowSeconds = Math.max(0, (measuredUntil - windowStart) / 1000);
const sorted = latencies.subarray(0, ok).sort();
const pct = (q) => (ok === 0 ? null : sorted[Math.min(ok - 1, Math.ceil(q * ok) - 1)]);
const closedRate = windowSeconds > 0 ? ok / windowSeconds : 0;
const openRate = job.openRate > 0 ? job.openRate : closedRate / 2;
const openLoop = job.openSeconds > 0 && closedRate > 0 ? await runOpenLoop(openRate, job.openSeconds) : null;
await closeAll();
emit({
  event: 'result',
  requests: ok,
  windowSeconds,
  requestsPerSecond: windowSeconds > 0 ? ok / windowSeconds : 0,
  latencyMs: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: pct(1), mean: ok === 0 ? null : sorted.reduce((a, b) => a + b, 0) / ok },
  okPerEndpoint,
  non200,
  non200Sample,
  errors,
  errorSample,
  exhausted,
  presigned: bodies.length,
  used: next,
  presignSeconds,
  probe: probe.token,
  openLoop,
});

/**
 * The open-loop window: `rate` requests per second for `seconds`, each due at its own time; a
 * quarter-second lead-in is sent but not counted. Latency from the due time; only 200s count.
 */
async function runOpenLoop(rate, seconds) {
  const leadIn = 0.25;
  const total = Math.floor(rate * (leadIn + seconds));
  const available = bodies.length - next;
  const count = Math.min(total, available);
  const counted = new Float64Array(count);
  let okOpen = 0;
  let failed = 0;
  const statuses = {};
  const inFlight = [];
  const t0 = performance.now() + 50;
  const countFrom = t0 + leadIn * 1000;
  let sent = 0;
  const sendOne = (i) => {
    const due = t0 + (i * 1000) / rate;
    const body = bodies[next];
    next += 1;
    const e = i % endpoints.length;
    return request(e, body).then(
      async (res) => {
        const status = res.statusCode;
        await res.body.dump();
        if (due < countFrom) return;
        if (status === 200) counted[okOpen++] = performance.now() - due;
        else statuses[status] = (statuses[status] ?? 0) + 1;
      },
      () => {
        if (due >= countFrom) failed += 1;
      },
    );
  };
  // Sends what is due, then sleeps until the next one is due (1 ms at least); the timer's lag
  // only delays sends, and those are still measured from when they were due.
  while (sent < count) {
    const now = performance.now();
    const due = Math.min(count, Math.floor(((now - t0) * rate) / 1000) + 1);
    while (sent < due) inFlight.push(sendOne(sent++));
    const nextDue = t0 + (sent * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, nextDue - performance.now())));
  }
  await Promise.all(inFlight);
  const latencies = counted.subarray(0, okOpen).sort();
  const q = (p) => (okOpen === 0 ? null : latencies[Math.min(okOpen - 1, Math.ceil(p * okOpen) - 1)]);
  // With too few assertions left the window is shorter: the rate is over the time it ran.
  const ranSeconds = Math.max(0, Math.min(seconds, count / rate - leadIn));
  return {
    targetRate: rate,
    seconds: ranSeconds,
    scheduled: Math.max(0, count - Math.floor(rate * leadIn)),
    ok: okOpen,
    achievedRate: ranSeconds > 0 ? okOpen / ranSeconds : 0,
    latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) },
    non200: statuses,
    errors: failed,
    ranShort: count < total,
  };
}

/** One request before timing: the server must accept the assertion and answer with a JWT of the job's alg (RS256 by default). */
async function probeOnce(e, body) {
  let res;
  try {
    res = await request(e, body);
  } catch (err) {
    return { rejected: { status: 0, body: `request failed: ${err?.code ?? err?.message ?? err}` } };
  }
  const text = await res.body.text();
  if (res.statusCode !== 200) return { rejected: { status: res.statusCode, body: text.slice(0, 2000) } };
  try {
    const json = JSON.parse(text);
    const [header, claims] = json.access_token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    const alg = job.alg ?? 'RS256';
    if (header.alg !== alg) return { rejected: { status: 200, body: `access token alg is ${header.alg}, not ${alg}` } };
    return { token: { header, claims, scope: json.scope, tokenType: json.token_type } };
  } catch {
    return { rejected: { status: 200, body: `the 200 response carries no JWT access token: ${text.slice(0, 500)}` } };
  }
}
