// `npm run bench`: client_credentials with private_key_jwt (RS256 assertion, RS256 JWT access
// token) against Keyway and against oidc-provider configured the same way, one after the other,
// on this machine, with the same load generator settings; plus the single-core crypto bound.
// Prints a table and writes bench/results/latest.json.
//
// Settings (environment): BENCH_SECONDS (measured window, default 10), BENCH_WARMUP_SECONDS
// (default 2), BENCH_CONCURRENCY (keep-alive connections, default 32), BENCH_CRYPTO_SECONDS
// (default 3), BENCH_TARGETS (default "keyway,oidc-provider"). `--smoke` sets the defaults to
// 2 s, 1 s warm-up, concurrency 4 and a 1 s crypto loop.
// Exit code: 0 when every target was measured, 1 otherwise (the report is printed either way).
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calculateJwkThumbprint } from 'jose';
import { drive } from './drive.mjs';
import { startKeyway } from './keyway-target.mjs';
import { startOidcProvider } from './oidc-provider-target.mjs';
import { startNode, stop } from './processes.mjs';
import { printReport } from './report.mjs';

const CRYPTO = fileURLToPath(new URL('./crypto-bound.mjs', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const TARGETS = {
  keyway: { label: 'Keyway', start: startKeyway },
  'oidc-provider': { label: 'oidc-provider', start: startOidcProvider },
};

function settingsFrom(env, smoke) {
  const number = (name, fallback, min, max, integer = false) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    return value;
  };
  const targets = (env.BENCH_TARGETS ?? 'keyway,oidc-provider').split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of targets) if (!(t in TARGETS)) throw new Error(`BENCH_TARGETS: unknown target "${t}" (keyway, oidc-provider)`);
  return {
    seconds: number('BENCH_SECONDS', smoke ? 2 : 10, 1, 300),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', smoke ? 1 : 2, 0, 60),
    concurrency: number('BENCH_CONCURRENCY', smoke ? 4 : 32, 1, 512, true),
    cryptoSeconds: number('BENCH_CRYPTO_SECONDS', smoke ? 1 : 3, 0.5, 60),
    targets,
  };
}

async function cryptoBound(seconds) {
  let line;
  const proc = startNode(CRYPTO, [String(seconds)], { maxSeconds: seconds + 60, onLine: (l) => (line = l) });
  const code = await proc.exited;
  if (code !== 0 || !line) throw new Error(`crypto bound measurement failed: ${proc.output().stderr}`);
  return JSON.parse(line);
}

async function clientKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    kid,
    jwks: JSON.stringify({ keys: [{ kty: 'RSA', n: jwk.n, e: jwk.e, kid, use: 'sig', alg: 'RS256' }] }),
  };
}

/** Starts one target, drives it, stops it. Failures become {error} so the other target still runs. */
async function benchTarget(name, settings, key, assertionsNeeded, workDir) {
  const { label, start } = TARGETS[name];
  const runSeconds = settings.warmupSeconds + settings.seconds;
  const maxSeconds = 240 + 3 * runSeconds;
  process.stderr.write(`bench: ${label}: starting and configuring\n`);
  let target;
  try {
    target = await start({ workDir, jwks: key.jwks, maxSeconds });
    process.stderr.write(`bench: ${label}: pre-signing ${assertionsNeeded} assertions, then ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured at concurrency ${settings.concurrency}\n`);
    const result = await drive(
      {
        name,
        tokenEndpoint: target.tokenEndpoint,
        audience: target.audience,
        clientId: target.clientId,
        kid: key.kid,
        privateKeyPem: key.privateKeyPem,
        scope: 'bench:read',
        count: assertionsNeeded,
        lifetime: Math.min(3600, 300 + 2 * runSeconds),
        warmupSeconds: settings.warmupSeconds,
        seconds: settings.seconds,
        concurrency: settings.concurrency,
      },
      target.proc.child.pid,
      workDir,
      maxSeconds,
    );
    if (result.rejected) {
      const what = result.rejected.status === 0 ? `the request failed: ${result.rejected.body}` : `${result.rejected.status} ${result.rejected.body}`;
      return { label, error: `${label} rejected the assertion: ${what}`, rejected: result.rejected };
    }
    return { label, tokenEndpoint: target.tokenEndpoint, audience: target.audience, ...result };
  } catch (err) {
    return { label, error: `${label}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (target) await stop(target.proc);
  }
}

async function main() {
  const settings = settingsFrom(process.env, process.argv.includes('--smoke'));
  const workDir = mkdtempSync(join(tmpdir(), 'keyway-bench-'));
  try {
    process.stderr.write(`bench: crypto bound (${settings.cryptoSeconds} s, one core)\n`);
    const crypto = await cryptoBound(settings.cryptoSeconds);
    const key = await clientKey();
    // One process cannot answer faster than its crypto bound; 30% head-room plus a connection's
    // worth. Should a target still use them all up, it is measured over the time they lasted.
    const assertionsNeeded = Math.ceil(crypto.pairsPerSecond * (settings.warmupSeconds + settings.seconds) * 1.3) + 2 * settings.concurrency;
    const results = {};
    for (const name of settings.targets) results[name] = await benchTarget(name, settings, key, assertionsNeeded, workDir);

    const report = {
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown' },
      scenario: 'client_credentials, private_key_jwt (RS256 assertion, RSA 2048), RS256 JWT access token (RSA 2048)',
      settings,
      cryptoBound: { ...crypto, what: 'RS256 verify + RS256 sign (RSA 2048) per second, node:crypto, one thread' },
      keyway: results.keyway ?? null,
      oidcProvider: results['oidc-provider'] ?? null,
    };
    const k = report.keyway?.requestsPerSecond;
    const o = report.oidcProvider?.requestsPerSecond;
    report.keywayOverOidcProvider = k && o ? k / o : null;
    report.keywayShareOfCryptoBound = k ? k / crypto.pairsPerSecond : null;
    report.goals = { keywayOverOidcProvider: 2.5, keywayShareOfCryptoBound: 0.75 };

    mkdirSync(join(RESULTS, '..'), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    printReport(report, RESULTS);
    return Object.values(results).some((r) => r.error) ? 1 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
