// The single-core crypto floor of a private_key_jwt client_credentials request: one verification
// (the client assertion) plus one signature (the access token), with node:crypto in a tight loop
// on pre-imported keys: RS256 with RSA 2048, or ES256 with P-256 (R || S signatures, RFC 7518
// §3.4). No server doing that work in one process can answer more requests per second than this
// on one core, and the CPU time of one pair (cpuSecondsPerPair) is the least a request can cost.
// Usage: node bench/crypto-bound.mjs SECONDS [RS256|ES256]   → prints {alg, pairsPerSecond, cpuSecondsPerPair, iterations, seconds}
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';

const seconds = Number(process.argv[2] ?? 3);
const alg = process.argv[3] ?? 'RS256';
if (alg !== 'RS256' && alg !== 'ES256') throw new Error(`unknown alg ${alg}`);
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);

const pairOf = () => (alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 }));
const client = pairOf();
const server = pairOf();
const signingKey = (key) => (alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);

// Inputs of the same size as the real ones.
const assertionInput = Buffer.from(
  `${b64({ alg, kid: 'x'.repeat(43), typ: 'JWT' })}.${b64({ iss: randomUUID(), sub: randomUUID(), aud: `http://127.0.0.1:8080/${randomUUID()}/as`, jti: randomUUID(), iat: now, exp: now + 60 })}`,
);
const assertionSignature = sign('sha256', assertionInput, signingKey(client.privateKey));
const tokenInput = Buffer.from(
  `${b64({ alg, kid: randomUUID(), typ: 'JWT' })}.${b64({ client_id: randomUUID(), iss: `http://127.0.0.1:8080/${randomUUID()}/as`, jti: randomUUID(), iat: now, exp: now + 3600, aud: ['https://api.example'], scope: 'bench:read', env: randomUUID(), org: randomUUID() })}`,
);

function pair() {
  if (!verify('sha256', assertionInput, signingKey(client.publicKey), assertionSignature)) throw new Error('verification failed');
  return sign('sha256', tokenInput, signingKey(server.privateKey));
}

// Short warm-up, then the measured loop, reading the clock every 16 iterations.
const warmUntil = performance.now() + 300;
while (performance.now() < warmUntil) pair();

let iterations = 0;
const cpuStart = process.cpuUsage();
const start = performance.now();
const end = start + seconds * 1000;
let t = start;
while (t < end) {
  for (let i = 0; i < 16; i += 1) pair();
  iterations += 16;
  t = performance.now();
}
const elapsed = (t - start) / 1000;
// The floor is CPU time, not wall time: on a busy machine this loop also waits for a core, which
// would make the floor look higher than the work it stands for.
const { user, system } = process.cpuUsage(cpuStart);
const cpuSecondsPerPair = (user + system) / 1e6 / iterations;
process.stdout.write(`${JSON.stringify({ alg, pairsPerSecond: iterations / elapsed, cpuSecondsPerPair, iterations, seconds: elapsed })}\n`);
