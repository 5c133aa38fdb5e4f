/**
 * Verifies an access token this environment issued: signature by one of the keys it publishes, in that key's algorithm, exact
 * issuer, not expired, not revoked. Used by introspection, revocation and the management API.
 */
import { verifyJwt } from '../../jose/jwt.js';
import type { IssuerKeys, TokenRevocations } from './ports.js';

export interface AccessTokenClaims {
  jti: string;
  client_id: string;
  iss: string;
  iat: number;
  exp: number;
  aud: string[];
  scope?: string;
  env?: string;
  org?: string;
  sub?: string;
  /**
   * The token's other claims (`sid`, `auth_time`, `acr`, the resource attributes' claims), which
   * introspection returns as they are (RFC 7662 §2.2 allows any claim of the token).
   */
  others?: Record<string, unknown>;
}

export interface VerifyDeps {
  keys: Pick<IssuerKeys, 'publicKeys'>;
  revocations: Pick<TokenRevocations, 'isRevoked'>;
}

/** Returns the claims when the token is active; undefined for anything else (never throws for bad input). */
export async function verifyAccessToken(
  deps: VerifyDeps,
  environmentId: string,
  issuer: string,
  token: string,
  now: Date,
  opts: { checkRevocation: boolean } = { checkRevocation: true },
): Promise<AccessTokenClaims | undefined> {
  const verified = verifyJwt(token, await deps.keys.publicKeys(environmentId));
  const claims = verified ? readClaims(verified.payload) : undefined;
  if (!claims || claims.iss !== issuer) return undefined;
  if (claims.exp <= Math.floor(now.getTime() / 1000)) return undefined;
  if (opts.checkRevocation && (await deps.revocations.isRevoked(environmentId, claims.jti))) return undefined;
  return claims;
}

const TYPED_CLAIMS: ReadonlySet<string> = new Set(['jti', 'client_id', 'iss', 'iat', 'exp', 'aud', 'scope', 'env', 'org', 'sub']);

function readClaims(p: Record<string, unknown>): AccessTokenClaims | undefined {
  if (typeof p.jti !== 'string' || typeof p.client_id !== 'string' || typeof p.iss !== 'string') return undefined;
  if (typeof p.iat !== 'number' || typeof p.exp !== 'number') return undefined;
  const aud = Array.isArray(p.aud) ? p.aud.filter((a): a is string => typeof a === 'string') : typeof p.aud === 'string' ? [p.aud] : [];
  const claims: AccessTokenClaims = { jti: p.jti, client_id: p.client_id, iss: p.iss, iat: p.iat, exp: p.exp, aud };
  for (const key of ['scope', 'env', 'org', 'sub'] as const) {
    const value = p[key];
    if (typeof value === 'string') claims[key] = value;
  }
  const others = Object.entries(p).filter(([key]) => !TYPED_CLAIMS.has(key));
  if (others.length > 0) claims.others = Object.fromEntries(others);
  return claims;
}
