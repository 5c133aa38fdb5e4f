// "The client-credentials path with no custom attributes pays nothing for this feature": counted,
// not inferred from a throughput difference. Keyway runs as the benchmark's RS256 target with
// V8's precise coverage on (NODE_V8_COVERAGE: every call of every function counted, written when
// the process exits), serves a fixed number of token requests and is stopped; the calls of the
// expression language's functions (dist/domain/expressions/) are summed. Some run once whatever
// the traffic (tables built at import), so each case runs twice, with `small` and with 3 x `small`
// requests, and the figure is the difference: calls per additional token request, as Keyway
// itself counted them (keyway_token_requests_total). Expected: 0 for a resource without custom
// attributes (the default row), a few per request with the claims row's three attributes, which
// shows that the count sees the work when it is done. Coverage slows the process, so these runs
// are separate from the measured rows and time nothing.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startKeyway } from './keyway-target.mjs';
import { measureToken } from './run.mjs';

const EXPRESSIONS = '/dist/domain/expressions/';

/** Calls of the expression language's functions in the coverage files of `dir`. */
export function expressionCalls(dir) {
  let calls = 0;
  let functionsCalled = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const { result } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const script of result ?? []) {
      if (!script.url.includes(EXPRESSIONS)) continue;
      for (const fn of script.functions) {
        const range = fn.ranges[0];
        if (!range || (fn.functionName === '' && range.startOffset === 0)) continue;
        calls += range.count;
        if (range.count > 0) functionsCalled += 1;
      }
    }
  }
  return { calls, functionsCalled };
}

/** The successful private_key_jwt token requests the server counted (keyway_token_requests_total). */
function tokensIssued(baseUrl) {
  return new Promise((resolve, reject) => {
    request(`${baseUrl}/metrics`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        const lines = text.split('\n').filter((l) => l.startsWith('keyway_token_requests_total{') && l.includes('auth_method="PRIVATE_KEY_JWT"') && l.includes('error="none"'));
        resolve(lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0));
      });
    })
      .on('error', reject)
      .end();
  });
}

async function oneRun(name, attributes, requests, { workDir, key }) {
  const dir = join(workDir, `coverage-${name}-${requests}`);
  mkdirSync(dir, { recursive: true });
  // Long enough for every pre-signed assertion: the load ends when they are used up.
  const settings = { warmupSeconds: 0, seconds: 60, openSeconds: 0, concurrency: 4 };
  const maxSeconds = 240;
  const target = await startKeyway({ workDir, jwks: key.jwks, maxSeconds, attributes, env: { NODE_V8_COVERAGE: dir } });
  let issued;
  try {
    const result = await measureToken(`claims-check-${name}`, `claims check (${name}, ${requests} requests)`, target, settings, key, requests, workDir, maxSeconds);
    if (result.error) throw new Error(result.error);
    issued = await tokensIssued(target.baseUrl);
  } finally {
    await target.stop();
  }
  return { tokenRequests: issued, ...expressionCalls(dir) };
}

/** Calls per additional token request between a run of `small` and one of 3 x `small` requests. */
async function perRequest(name, attributes, small, options) {
  const a = await oneRun(name, attributes, small, options);
  const b = await oneRun(name, attributes, 3 * small, options);
  const requests = b.tokenRequests - a.tokenRequests;
  const calls = b.calls - a.calls;
  return { attributes, runs: [a, b], additionalRequests: requests, additionalCalls: calls, callsPerRequest: requests > 0 ? calls / requests : null };
}

/** Both cases; `{error}` instead when one fails, so the benchmark's table is still printed. */
export async function claimsCheck({ small = 300, ...options }) {
  try {
    return { without: await perRequest('without', 0, small, options), with: await perRequest('with', 3, small, options) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
