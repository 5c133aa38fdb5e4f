// The benchmark's printed table.

const fixed = (value, digits = 0) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));
const percent = (value) => (value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(0)}%`);

function row(cells, widths) {
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

export function printReport(report, resultsFile) {
  const s = report.settings;
  const widths = [14, 9, 8, 8, 10, 8, 11];
  const lines = [
    '',
    `Keyway benchmark: ${report.scenario}`,
    `node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel}); concurrency ${s.concurrency}, warm-up ${s.warmupSeconds} s, measured ${s.seconds} s`,
    '',
    row(['target', 'req/s', 'p50 ms', 'p99 ms', 'non-200', 'errors', 'server CPU'], widths),
    row(['-'.repeat(14), '-'.repeat(9), '-'.repeat(8), '-'.repeat(8), '-'.repeat(10), '-'.repeat(8), '-'.repeat(11)], widths),
    targetRow(report.keyway, widths),
    targetRow(report.oidcProvider, widths),
    '',
    `crypto bound (RS256 verify + sign, RSA 2048, node:crypto, one core): ${fixed(report.cryptoBound.pairsPerSecond)} /s`,
    `Keyway / oidc-provider: ${report.keywayOverOidcProvider === null ? 'n/a' : `${report.keywayOverOidcProvider.toFixed(2)}x`} (goal >= ${report.goals.keywayOverOidcProvider}x)`,
    `Keyway / crypto bound:  ${percent(report.keywayShareOfCryptoBound)} (goal >= ${percent(report.goals.keywayShareOfCryptoBound)})`,
  ].filter((line) => line !== null);
  for (const result of [report.keyway, report.oidcProvider]) {
    if (result?.error) lines.push('', result.error);
    if (result?.exhausted) lines.push('', `${result.label} used up its ${result.presigned} pre-signed assertions; measured over ${result.windowSeconds.toFixed(1)} s`);
    if (result?.non200Sample) lines.push('', `${result.label} non-200 sample: ${result.non200Sample.status} ${result.non200Sample.body}`);
    if (result?.errorSample) lines.push('', `${result.label} request errors: ${result.errors}, first: ${result.errorSample}`);
  }
  lines.push('', '"server CPU" is the cores the server process used during the window (1.00 = one core busy).', `JSON: ${resultsFile}`, '');
  process.stdout.write(lines.join('\n'));
}
