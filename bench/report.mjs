// The benchmark's printed table.

export const fixed = (value, digits = 0) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));
export const percent = (value) => (value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(0)}%`);

export function row(cells, widths) {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
}

const ratio = (value) => (value === null || value === undefined ? 'n/a' : `${value.toFixed(2)}x`);
const HEADER = ['target', 'req/s', 'half req/s', 'p50 ms', 'p99 ms', 'CPU us/req', 'floor us', 'CPU/floor', 'loop us/req', 'main CPU us', 'preempt/req', 'log KB/s', 'non-200'];
const WIDTHS = [26, 7, 10, 7, 7, 10, 8, 9, 11, 11, 11, 8, 9];
const EMPTY = WIDTHS.slice(2).map(() => '');

function non200Of(result) {
  const all = { ...result.non200 };
  for (const [status, count] of Object.entries(result.openLoop?.non200 ?? {})) all[status] = (all[status] ?? 0) + count;
  const errors = (result.errors ?? 0) + (result.openLoop?.errors ?? 0);
  const text = Object.entries(all).map(([status, count]) => `${count}x${status}`).join(' ');
  return [text, errors > 0 ? `${errors}err` : ''].filter(Boolean).join(' ') || '0';
}

function targetRow(result) {
  if (result.error) return row([result.label, 'FAILED', ...EMPTY], WIDTHS);
  const open = result.openLoop;
  const log = result.window?.logBytesPerSecond;
  return row(
    [
      result.label,
      fixed(result.requestsPerSecond),
      open ? fixed(open.achievedRate) : 'n/a',
      fixed(open?.latencyMs.p50, 1),
      fixed(open?.latencyMs.p99, 1),
      fixed(result.cpuPerRequestUs),
      fixed(result.cryptoFloorUs),
      result.cpuOverFloor === null || result.cpuOverFloor === undefined ? 'n/a' : `${result.cpuOverFloor.toFixed(2)}x`,
      fixed(result.eventLoopPerRequestUs),
      fixed(result.mainThreadCpuPerRequestUs),
      fixed(result.mainThreadPreemptionsPerRequest, 2),
      log === undefined || log === null ? 'n/a' : (log / 1024).toFixed(0),
      non200Of(result),
    ],
    WIDTHS,
  );
}

/** "value (goal …)" lines for the goals of the performance issue, figures of this run only. */
function goalLines(report) {
  const t = report.targets;
  const r = report.ratios;
  const g = report.goals;
  const ok = (name) => t[name] && !t[name].error;
  const lines = ['Goals (figures of this run; compare rows within one run):'];
  if (r.loggingThroughput !== null) {
    const twice = t.keyway?.runs === 2 && t['keyway-silent']?.runs === 2 ? '; each the better of two runs in opposite order' : '';
    lines.push(
      `  request logging: Keyway RS256 (default logging) / silent: ${ratio(r.loggingThroughput)} req/s, ${ratio(r.loggingCpu)} CPU per request${twice} (goal: within ${percent(g.loggingWithinOfSilent)} of silent)`,
    );
  }
  if (ok('keyway')) lines.push(`  RS256 CPU per request / crypto floor (Keyway RS256): ${ratio(t.keyway.cpuOverFloor)} (goal <= ${g.cpuOverFloorRs256}x)`);
  if (r.keywayOverOidcProvider !== null) lines.push(`  Keyway RS256 / oidc-provider RS256: ${ratio(r.keywayOverOidcProvider)} req/s (goal >= ${g.keywayOverOidcProvider}x)`);
  if (r.keywayEs256OverOidcProviderEs256 !== null) {
    lines.push(`  Keyway ES256 / oidc-provider ES256: ${ratio(r.keywayEs256OverOidcProviderEs256)} req/s (goal >= ${g.keywayEs256OverOidcProviderEs256}x)`);
  }
  const keywayRows = Object.entries(t).filter(([name, res]) => name.startsWith('keyway') && !res.error);
  if (keywayRows.length > 0) {
    const loop = keywayRows.map(([, res]) => `${res.label} ${fixed(res.eventLoopPerRequestUs)}`).join(', ');
    lines.push(`  event-loop time per token request, us: ${loop} (goal <= ${g.eventLoopPerRequestUs})`);
    const main = keywayRows.map(([, res]) => `${res.label} ${fixed(res.mainThreadCpuPerRequestUs)}`).join(', ');
    lines.push(`  of which the event-loop threads' CPU time, us: ${main} (the rest: waiting for a core, as preempt/req counts)`);
  }
  if (r.workersOverOne !== null) {
    lines.push(`  Keyway ES256 2 workers / 1 worker: ${ratio(r.workersOverOne)} req/s on ${report.machine.cpus} CPUs shared with the load generator`);
  }
  const p99 = Object.values(t)
    .filter((res) => !res.error && res.openLoop)
    .map((res) => `${res.label} ${fixed(res.openLoop.latencyMs.p99, 1)}`)
    .join(', ');
  const openRate = report.settings?.openRate;
  const load = openRate ? `at ${openRate} req/s, BENCH_OPEN_RATE; the goal is at half the measured maximum` : 'at half the measured maximum';
  if (p99) lines.push(`  p99 ms ${load} (open loop): ${p99} (goal <= ${g.p99AtHalfLoadMs})`);
  if (r.claimsThroughput !== null) {
    lines.push(`  Keyway RS256 with 3 custom resource attributes / without: ${ratio(r.claimsThroughput)} req/s, ${ratio(r.claimsCpu)} CPU per request`);
  }
  const c = report.claimsCheck;
  if (c?.error) lines.push(`  claims check failed: ${c.error}`);
  else if (c) {
    const runOf = (x) => `${fixed(x.callsPerRequest, 2)} (${x.additionalCalls} calls in ${x.additionalRequests} more token requests)`;
    lines.push(`  claims check (V8 coverage), calls of the expression language per token request: no custom attributes ${runOf(c.without)}; 3 attributes ${runOf(c.with)}`);
  }
  if (r.keywayOverBaseline !== null) lines.push(`  Keyway RS256 / Keyway baseline: ${ratio(r.keywayOverBaseline)}`);
  if (r.keywayPostgresOverBaseline !== null) lines.push(`  Keyway ×2 PostgreSQL / its baseline: ${ratio(r.keywayPostgresOverBaseline)}`);
  if (r.postgresOverSqlite !== null) lines.push(`  Keyway RS256 ×2 PostgreSQL / Keyway RS256 (SQLite): ${ratio(r.postgresOverSqlite)}`);
  return lines;
}

export function printReport(report, resultsFile) {
  const s = report.settings;
  const results = Object.values(report.targets);
  const floors = Object.entries(report.cryptoFloor)
    .map(([alg, c]) => `${alg} ${fixed(c.floorUs)} us of CPU per verify+sign pair (${fixed(c.pairsPerSecond)} pairs/s)`)
    .join(', ');
  const lines = [
    '',
    `Keyway benchmark: ${report.scenario}`,
    `node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel})${report.machine.loadAverage ? `, load average ${report.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at the start` : ''}; closed loop: concurrency ${s.concurrency}, warm-up ${s.warmupSeconds} s, measured ${s.seconds} s; open loop ${s.openRate ? `at ${s.openRate} req/s` : 'at half that rate'}: ${s.openSeconds} s`,
    '',
    row(HEADER, WIDTHS),
    row(WIDTHS.map((w) => '-'.repeat(w)), WIDTHS),
    ...results.map((result) => targetRow(result)),
    ...Object.values(report.skipped ?? {}).map(({ label }) => row([label, 'skipped', ...EMPTY], WIDTHS)),
    '',
    `crypto floor (one core, node:crypto): ${floors}`,
    '',
    ...goalLines(report),
  ];
  const pg = report.targets['keyway-postgres'];
  if (pg && !pg.error && pg.okPerEndpoint) {
    const db = pg.cpuCoresUsed?.database;
    lines.push('', `${pg.label}: 200s per instance ${pg.okPerEndpoint.join(' / ')}; the PostgreSQL backends serving them used ${db === null || db === undefined ? 'n/a' : `${db.toFixed(2)} cores`} (not in CPU us/req)`);
  }
  for (const [, { label, why }] of Object.entries(report.skipped ?? {})) lines.push('', `${label}: skipped, ${why} (BENCH_DATABASE_URL)`);
  for (const result of results) {
    if (result.error) lines.push('', result.error);
    if (result.exhausted) lines.push('', `${result.label} used up its ${result.presigned} pre-signed assertions; measured over ${result.windowSeconds.toFixed(1)} s`);
    if (result.openLoop?.ranShort) lines.push('', `${result.label}: the open loop ran out of pre-signed assertions before its end`);
    if (result.non200Sample) lines.push('', `${result.label} non-200 sample: ${result.non200Sample.status} ${result.non200Sample.body}`);
    if (result.errorSample) lines.push('', `${result.label} request errors: ${result.errors}, first: ${result.errorSample}`);
    if (result.window?.sampleError) lines.push('', `${result.label}: a server reading failed: ${result.window.sampleError}`);
  }
  lines.push(
    '',
    `req/s: closed loop, the maximum. half req/s, p50, p99: the open loop at ${s.openRate ? `${s.openRate} req/s (BENCH_OPEN_RATE)` : 'half that rate'}, latency from each request's due time.`,
    'CPU us/req: CPU time (user + system, /proc) of every server process (with workers: the primary and its workers) over the',
    'closed-loop window, per 200 answered; floor: one verification + one signature of the row\'s algorithm on one core; loop us/req:',
    'the servers\' event-loop busy time (eventLoopUtilization) per 200: wall time, which counts waiting for a core; main CPU us: the',
    'CPU time of the threads running those event loops per 200, and preempt/req how often per 200 another thread took their core;',
    'log KB/s: what the servers wrote to stdout (their request log).',
    `JSON: ${resultsFile}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}
