/**
 * Compact JWS signing and verification for tokens Keyway issues itself, with the algorithm of
 * the environment key that signs them: RS256/384/512 (RSASSA-PKCS1-v1_5), PS256/384/512
 * (RSASSA-PSS) and ES256/384/512 (ECDSA, signature as R||S, RFC 7518 §3.4). Written on
 * node:crypto directly because it sits on the token endpoint's hot path; client assertions
 * (untrusted input) are verified by src/protocol/client-auth/.
 */
import { constants, sign, verify, type KeyObject } from 'node:crypto';
import type { KeyInput } from '../threads/key-batch-wire.js';
import { signOffLoop } from '../threads/key-operations.js';

/** The algorithms Keyway signs its own tokens with (RFC 7518 §3.1). */
export const TOKEN_SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type TokenSigningAlg = (typeof TOKEN_SIGNING_ALGS)[number];

export function isTokenSigningAlg(value: unknown): value is TokenSigningAlg {
  return typeof value === 'string' && (TOKEN_SIGNING_ALGS as readonly string[]).includes(value);
}

export interface JwtHeader {
  alg: TokenSigningAlg;
  kid: string;
  typ?: string;
}

/** A key that verifies tokens, with the one algorithm it is published for (its JWK `alg`). */
export interface VerificationKey {
  key: KeyObject;
  alg: TokenSigningAlg;
}

/** node:crypto's digest and options for each algorithm (RFC 7518 §3.3, §3.4, §3.5). */
function cryptoParams(alg: TokenSigningAlg): { digest: string; options: (key: KeyObject) => KeyInput } {
  const digest = `sha${alg.slice(2)}`;
  switch (alg.slice(0, 2)) {
    case 'PS':
      // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
      return { digest, options: (key) => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }) };
    case 'ES':
      return { digest, options: (key) => ({ key, dsaEncoding: 'ieee-p1363' }) };
    default:
      return { digest, options: (key) => ({ key }) };
  }
}

/**
 * Signs off the event loop, where it costs least (docs/decisions.md, "The token endpoint's hot
 * path"). An ECDSA signature (about 30 µs) costs less than a hand-off of its own, so it goes to
 * Keyway's key operation threads (src/threads/key-operations.ts), where the signatures of
 * concurrent requests share one. An RSA signature (about 270 µs for RSA 2048) outweighs its
 * hand-off, and goes to libuv's thread pool, whose threads can all sign at once.
 */
export async function signJwtAsync(header: JwtHeader, payload: Record<string, unknown>, privateKey: KeyObject): Promise<string> {
  const input = `${b64json(header)}.${b64json(payload)}`;
  const data = Buffer.from(input);
  const { digest, options } = cryptoParams(header.alg);
  const key = options(privateKey);
  const signature = header.alg.startsWith('ES') ? await signOffLoop(digest, data, key) : await signOnPool(digest, data, key);
  return `${input}.${signature.toString('base64url')}`;
}

function signOnPool(digest: string, input: Buffer, key: KeyInput): Promise<Buffer> {
  return new Promise((resolve, reject) => sign(digest, input, key, (err, signature) => (err ? reject(err) : resolve(signature))));
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * Verifies a compact JWS whose key is chosen by `kid` among `keys` (keys the caller trusts, never
 * key material named in the header). The header's `alg` must be the one the key is published
 * for (RFC 8725 §3.1). Returns undefined on any failure.
 */
export function verifyJwt(token: string, keys: ReadonlyMap<string, VerificationKey>): DecodedJwt | undefined {
  if (token.length > 16_384) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h);
  const payload = parseJson(p);
  if (!header || !payload) return undefined;
  if (typeof header.kid !== 'string' || 'crit' in header || !/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  const found = keys.get(header.kid);
  if (!found || header.alg !== found.alg) return undefined;
  const { digest, options } = cryptoParams(found.alg);
  const ok = verify(digest, Buffer.from(`${h}.${p}`), options(found.key), Buffer.from(s, 'base64url'));
  return ok ? { header, payload } : undefined;
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJson(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
