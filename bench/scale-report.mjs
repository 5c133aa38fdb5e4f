// The scale-data mode's figures (scale.mjs): per metric, the medians of deployments A (10
// applications) and B (the inserted data) over the interleaved rounds, their ratio, the range of
// the per-round ratios, A's own spread, and the verdict against the goal of staying within 20%.
import { fixed, row } from './report.mjs';

/** The scale goal (bench/README.md): stay within 20% of an environment with ten applications. */
export const TOLERANCE = 0.2;

export const METRICS = [
  { key: 'tokenRps', label: 'token req/s', get: (m) => m.token.requestsPerSecond, digits: 0, higherIsBetter: true },
  { key: 'tokenP50', label: 'token p50 ms', get: (m) => m.token.latencyMs.p50, digits: 1 },
  { key: 'tokenP99', label: 'token p99 ms', get: (m) => m.token.latencyMs.p99, digits: 1 },
  { key: 'readSameP50', label: 'read same app p50 ms', get: (m) => m.readSame.latencyMs.p50, digits: 2 },
  { key: 'readSameP99', label: 'read same app p99 ms', get: (m) => m.readSame.latencyMs.p99, digits: 2 },
  { key: 'readRandomP50', label: 'read random app p50 ms', get: (m) => m.readRandom.latencyMs.p50, digits: 2 },
  { key: 'readRandomP99', label: 'read random app p99 ms', get: (m) => m.readRandom.latencyMs.p99, digits: 2 },
];

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const ratioOf = (b, a) => (typeof a === 'number' && typeof b === 'number' && a > 0 ? b / a : null);

/**
 * Per metric: A's and B's figure in every round, their medians, B/A of the medians, each round's
 * B/A (min and max), A's spread (max / min over the rounds) and the verdict: "yes" within 20%
 * (latency ratio <= 1.20, req/s ratio >= 0.80), "NO" outside, "NO*" outside while A's own spread
 * exceeds 20% (the machine is too noisy to tell).
 */
export function summarise(rounds) {
  return Object.fromEntries(
    METRICS.map(({ key, get, higherIsBetter = false }) => {
      const a = rounds.map((r) => get(r.A));
      const b = rounds.map((r) => get(r.B));
      const medianA = median(a);
      const medianB = median(b);
      const ratio = ratioOf(medianB, medianA);
      const roundRatios = rounds.map((_, i) => ratioOf(b[i], a[i]));
      const known = roundRatios.filter((r) => r !== null);
      const finiteA = a.filter((v) => typeof v === 'number' && v > 0);
      const spreadA = finiteA.length > 0 ? Math.max(...finiteA) / Math.min(...finiteA) : null;
      const within = ratio === null ? null : higherIsBetter ? ratio >= 1 - TOLERANCE : ratio <= 1 + TOLERANCE;
      const noisy = spreadA !== null && spreadA > 1 + TOLERANCE;
      const verdict = within === null ? 'n/a' : within ? 'yes' : noisy ? 'NO*' : 'NO';
      return [
        key,
        {
          a,
          b,
          medianA,
          medianB,
          ratio,
          roundRatios,
          roundRatioMin: known.length ? Math.min(...known) : null,
          roundRatioMax: known.length ? Math.max(...known) : null,
          spreadA,
          verdict,
        },
      ];
    }),
  );
}

const times = (value) => (value === null || value === undefined ? 'n/a' : `${value.toFixed(2)}x`);
const count = (n) => n.toLocaleString('en-US');

function engineLines(result) {
  const lines = [''];
  if (result.error) return [...lines, `${result.label}: FAILED`, result.error];
  const { A, B } = result.deployments;
  const users = B.users > 0 ? ` + ${count(B.users)} users` : '';
  lines.push(
    `${result.label}: A = ${count(A.applications)} applications; B = ${count(B.applications)} applications${users} in one environment; ${result.rounds.length} rounds, order ${result.rounds.map((r) => r.order).join(' ')}`,
  );
  const widths = [24, 9, 9, 6, 12, 6, 8];
  lines.push(row(['', 'A median', 'B median', 'B/A', 'rounds B/A', 'in 20%', 'A spread'], widths));
  lines.push(row(widths.map((w) => '-'.repeat(w)), widths));
  let noisy = false;
  for (const metric of METRICS) {
    const s = result.summary[metric.key];
    if (s.verdict === 'NO*') noisy = true;
    const range = s.roundRatioMin === null ? 'n/a' : `${s.roundRatioMin.toFixed(2)}–${s.roundRatioMax.toFixed(2)}x`;
    lines.push(row([metric.label, fixed(s.medianA, metric.digits), fixed(s.medianB, metric.digits), times(s.ratio), range, s.verdict, times(s.spreadA)], widths));
  }
  if (noisy) lines.push('* a miss while A itself varied by more than 20% over the rounds ("A spread"): this machine is too noisy to tell.');

  // Every round's figures: the medians above come from these.
  lines.push('');
  const per = [8, 6, 7, 7, 7, 7, 8, 8, 8, 8, 6];
  lines.push(row(['round', 'order', 'req/s A', 'req/s B', 'p50 A', 'p50 B', 'same A', 'same B', 'rand. A', 'rand. B', 'load'], per));
  for (const r of result.rounds) {
    lines.push(
      row(
        [
          `${r.round}`,
          r.order,
          fixed(r.A.token.requestsPerSecond),
          fixed(r.B.token.requestsPerSecond),
          fixed(r.A.token.latencyMs.p50, 1),
          fixed(r.B.token.latencyMs.p50, 1),
          fixed(r.A.readSame.latencyMs.p50, 2),
          fixed(r.B.readSame.latencyMs.p50, 2),
          fixed(r.A.readRandom.latencyMs.p50, 2),
          fixed(r.B.readRandom.latencyMs.p50, 2),
          fixed(Math.max(r.A.loadAverage, r.B.loadAverage), 2),
        ],
        per,
      ),
    );
  }
  lines.push('(token p50 and read p50 in ms; "load": the 1-minute load average after the round)');

  const tally = (which) => {
    const non200 = {};
    let errors = 0;
    for (const r of result.rounds) {
      for (const [status, n] of Object.entries(r[which].token.non200)) non200[status] = (non200[status] ?? 0) + n;
      errors += r[which].token.errors;
    }
    return `${Object.entries(non200).map(([st, n]) => `${n}x${st}`).join(' ') || '0'} non-200, ${errors} request errors`;
  };
  lines.push(`token, all rounds: A ${tally('A')}; B ${tally('B')}`);
  for (const r of result.rounds) {
    for (const which of ['A', 'B']) {
      const t = r[which].token;
      if (t.exhausted) lines.push(`round ${r.round} ${which} used up its ${t.presigned} pre-signed assertions; measured over ${t.windowSeconds.toFixed(1)} s`);
    }
  }
  const apps = result.insert.applications;
  lines.push(`applications: ${count(apps.count)} inserted into B directly into the store in ${apps.seconds.toFixed(1)} s (${fixed(apps.perSecond)}/s; the store's createApplication, loader connection ${apps.fsync})`);
  const u = result.insert.users;
  lines.push(u.measured ? `users: ${count(u.count)} inserted into B in ${u.seconds.toFixed(1)} s (${fixed(u.perSecond)}/s; ${u.method}); fake password hashes (no scrypt)` : `users: not measured (${u.why})`);
  if (u.verified) lines.push(`users verified: ${u.verified.summary}`);
  lines.push(`settled: B ${result.insert.settledB.what} (${result.insert.settledB.seconds.toFixed(1)} s); A ${result.insert.settledA.what} (${result.insert.settledA.seconds.toFixed(1)} s)`);
  return lines;
}

export function printScale(report) {
  const s = report.settings;
  const load = (l) => l.map((v) => v.toFixed(2)).join(' ');
  const lines = ['', `Keyway scale-data benchmark: ${report.scenario}`];
  lines.push(
    `node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel}), load average ${load(report.machine.loadAverage)} at the start, ${load(report.machine.loadAverageAtEnd)} at the end`,
  );
  lines.push(
    `per measurement: token load at concurrency ${s.concurrency}, warm-up ${s.warmupSeconds} s + measured ${s.seconds} s (assertions pre-signed before), then ${report.scale.reads} reads per kind; an unmeasured warm-up pass of A and B before the rounds`,
  );
  for (const result of Object.values(report.results)) lines.push(...engineLines(result));
  for (const { label, why } of Object.values(report.skipped ?? {})) lines.push('', `${label}: skipped, ${why} (BENCH_DATABASE_URL)`);
  lines.push(
    '',
    'A and B run side by side; one is measured at a time, in the order shown (the other sits idle). B/A = median of B / median of A',
    'over the rounds; "rounds B/A": the lowest and highest B/A within one round. "in 20%" (the goal): latency B/A <= 1.20,',
    'req/s B/A >= 0.80. "A spread" = highest / lowest A over the rounds: how much identical measurements differ on this machine',
    'now; NO* = a miss while A spread exceeds 1.20 (too noisy to tell).',
    `JSON (every round's figures): ${report.resultsFile}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}
