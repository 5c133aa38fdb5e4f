/**
 * Compact JWS signing and verification for tokens Keyway issues itself (RS256). Written on
 * node:crypto directly because it sits on the token endpoint's hot path; client assertions
 * (untrusted input) are verified by src/protocol/client-auth/.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  alg: 'RS256';
  kid: string;
  typ?: string;
}

export function signJwt(header: JwtHeader, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/**
 * The same, with the RSA operation on libuv's thread pool: the event loop keeps serving other
 * requests while a token is signed, and signatures use every core.
 */
export function signJwtAsync(header: JwtHeader, payload: Record<string, unknown>, privateKey: KeyObject): Promise<string> {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), privateKey, (err, signature) => {
      if (err) reject(err);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * Verifies an RS256 compact JWS whose key is chosen by `kid` among `keys` (keys the caller
 * trusts, never key material named in the header). Returns undefined on any failure.
 */
export function verifyRs256(token: string, keys: ReadonlyMap<string, KeyObject>): DecodedJwt | undefined {
  if (token.length > 16_384) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h);
  const payload = parseJson(p);
  if (!header || !payload) return undefined;
  if (header.alg !== 'RS256' || typeof header.kid !== 'string' || 'crit' in header) return undefined;
  const key = keys.get(header.kid);
  if (!key) return undefined;
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
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
