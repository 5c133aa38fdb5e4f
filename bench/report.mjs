// The benchmark's printed table.

export const fixed = (value, digits = 0) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));
export const percent = (value) => (value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(0)}%`);

export function row(cells, widths) {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
}

function targetRow(result, widths) {
  if (!result) return null;
  if (result.error) return row([result.label, 'FAILED', '', '', '', '', ''], widths);
  const non200 = Object.entries(result.non200).map(([status, count]) => `${count}x${status}`).join(' ') || '0';
  const cpu = result.cpuCoresUsed?.server;
  return row(
    [result.label, fixed(result.requestsPerSecond), fixed(result.latencyMs.p50, 1), fixed(result.latencyMs.p99, 1), non200, result.errors, cpu === null || cpu === undefined ? 'n/a' : cpu.toFixed(2)],
    widths,
  );
}

const ratio = (value) => (value === null || value === undefined ? 'n/a' : `${value.toFixed(2)}x`);

export function printReport(report, resultsFile) {
  const s = report.settings;
  const widths = [24, 9, 8, 8, 10, 8, 11];
  const targets = [report.keywayBaseline, report.keyway, report.keywayPostgresBaseline, report.keywayPostgres, report.oidcProvider, report.keywayEs256, report.oidcProviderEs256];
  const lines = [
    '',
    `Keyway benchmark: ${report.scenario}`,
    `node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel})${report.machine.loadAverage ? `, load average ${report.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at the start` : ''}; concurrency ${s.concurrency}, warm-up ${s.warmupSeconds} s, measured ${s.seconds} s`,
    '',
    row(['target', 'req/s', 'p50 ms', 'p99 ms', 'non-200', 'errors', 'server CPU'], widths),
    row(widths.map((w) => '-'.repeat(w)), widths),
    ...targets.map((result) => targetRow(result, widths)),
    ...Object.values(report.skipped ?? {}).map(({ label }) => row([label, 'skipped', '', '', '', '', ''], widths)),
    '',
    `crypto bound (RS256 verify + sign, RSA 2048, node:crypto, one core): ${fixed(report.cryptoBound.pairsPerSecond)} /s`,
    `Keyway (SQLite) / oidc-provider: ${ratio(report.keywayOverOidcProvider)} (goal >= ${report.goals.keywayOverOidcProvider}x)`,
    `Keyway (SQLite) / crypto bound:  ${percent(report.keywayShareOfCryptoBound)} (goal >= ${percent(report.goals.keywayShareOfCryptoBound)})`,
  ].filter((line) => line !== null);
  if (report.keywayEs256) {
    lines.push(
      `Keyway ES256 (SQLite) / oidc-provider ES256: ${ratio(report.keywayEs256OverOidcProviderEs256)}; / Keyway (SQLite, RS256): ${ratio(report.keywayEs256OverKeyway)}`,
    );
  }
  if (report.keywayBaseline) lines.push(`Keyway (SQLite) / Keyway baseline (SQLite): ${ratio(report.keywayOverBaseline)}`);
  if (report.keywayPostgresBaseline) lines.push(`Keyway ×2 (PostgreSQL) / its baseline: ${ratio(report.keywayPostgresOverBaseline)}`);
  const pg = report.keywayPostgres;
  if (pg) {
    lines.push(
      `${pg.label} / oidc-provider: ${ratio(report.keywayPostgresOverOidcProvider)}; / Keyway (SQLite): ${ratio(report.keywayPostgresOverKeyway)}`,
    );
    if (!pg.error && pg.okPerEndpoint) {
      const db = pg.cpuCoresUsed?.database;
      lines.push(
        `${pg.label}: 200s per instance ${pg.okPerEndpoint.join(' / ')}; PostgreSQL backends serving them used ${db === null || db === undefined ? 'n/a' : `${db.toFixed(2)} cores`}`,
      );
    }
  }
  for (const [, { label, why }] of Object.entries(report.skipped ?? {})) lines.push('', `${label}: skipped, ${why} (BENCH_DATABASE_URL)`);
  for (const result of targets) {
    if (result?.error) lines.push('', result.error);
    if (result?.exhausted) lines.push('', `${result.label} used up its ${result.presigned} pre-signed assertions; measured over ${result.windowSeconds.toFixed(1)} s`);
    if (result?.non200Sample) lines.push('', `${result.label} non-200 sample: ${result.non200Sample.status} ${result.non200Sample.body}`);
    if (result?.errorSample) lines.push('', `${result.label} request errors: ${result.errors}, first: ${result.errorSample}`);
  }
  lines.push(
    '',
    '"server CPU" is the cores the server process used during the window (1.00 = one core busy); for Keyway ×2 both processes together, without PostgreSQL.',
    `JSON: ${resultsFile}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}
