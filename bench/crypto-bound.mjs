// The single-core crypto bound of a private_key_jwt client_credentials request: one RS256
// verification (the client assertion) plus one RS256 signature (the access token), RSA 2048,
// with node:crypto in a tight loop on pre-imported keys. No server doing that work in one
// process can answer more requests per second than this on one core.
// Usage: node bench/crypto-bound.mjs SECONDS   → prints {pairsPerSecond, iterations, seconds}
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';

const seconds = Number(process.argv[2] ?? 3);
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);

const client = generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = generateKeyPairSync('rsa', { modulusLength: 2048 });

// Inputs of the same size as the real ones.
const assertionInput = Buffer.from(
  `${b64({ alg: 'RS256', kid: 'x'.repeat(43), typ: 'JWT' })}.${b64({ iss: randomUUID(), sub: randomUUID(), aud: `http://127.0.0.1:8080/${randomUUID()}/as`, jti: randomUUID(), iat: now, exp: now + 60 })}`,
);
const assertionSignature = sign('sha256', assertionInput, client.privateKey);
const tokenInput = Buffer.from(
  `${b64({ alg: 'RS256', kid: randomUUID(), typ: 'JWT' })}.${b64({ client_id: randomUUID(), iss: `http://127.0.0.1:8080/${randomUUID()}/as`, jti: randomUUID(), iat: now, exp: now + 3600, aud: ['https://api.example'], scope: 'bench:read', env: randomUUID(), org: randomUUID() })}`,
);

function pair() {
  if (!verify('sha256', assertionInput, client.publicKey, assertionSignature)) throw new Error('verification failed');
  return sign('sha256', tokenInput, server.privateKey);
}

// Short warm-up, then the measured loop, reading the clock every 16 iterations.
const warmUntil = performance.now() + 300;
while (performance.now() < warmUntil) pair();

let iterations = 0;
const start = performance.now();
const end = start + seconds * 1000;
let t = start;
while (t < end) {
  for (let i = 0; i < 16; i += 1) pair();
  iterations += 16;
  t = performance.now();
}
const elapsed = (t - start) / 1000;
process.stdout.write(`${JSON.stringify({ pairsPerSecond: iterations / elapsed, iterations, seconds: elapsed })}\n`);
