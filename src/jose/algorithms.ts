/**
 * The signature algorithms Keyway accepts for client assertions, and what key each one needs
 * (RFC 7518 §3, RFC 8037 §3.1, RFC 9864). `none` and cross-family algorithms never appear here.
 */
import type { TokenEndpointAuthMethod } from '../domain/applications/token-endpoint-auth-method.js';

/** The client-authentication methods that sign an assertion. */
export type AssertionMethod = Extract<TokenEndpointAuthMethod, 'PRIVATE_KEY_JWT' | 'CLIENT_SECRET_JWT'>;

/**
 * The algorithms each method accepts. `Ed25519` is the fully-specified name of EdDSA over
 * Ed25519 (RFC 9864) that current clients such as openid-client send; `EdDSA` stays for older ones.
 */
export const ASSERTION_ALGORITHMS: Readonly<Record<AssertionMethod, readonly string[]>> = {
  PRIVATE_KEY_JWT: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
  CLIENT_SECRET_JWT: ['HS256', 'HS384', 'HS512'],
};

/** The smallest RSA modulus accepted, in bits, for registered keys and for verification. */
export const MIN_RSA_BITS = 2048;

/** The key an asymmetric algorithm needs: its type and, for EC and OKP, its curve. */
export type KeyRequirement =
  | { kty: 'RSA' }
  | { kty: 'EC'; crv: string; namedCurve: string }
  | { kty: 'OKP'; crv: 'Ed25519' };

const RSA: KeyRequirement = { kty: 'RSA' };
const KEY_FOR_ALG: Readonly<Record<string, KeyRequirement>> = {
  RS256: RSA,
  RS384: RSA,
  RS512: RSA,
  PS256: RSA,
  PS384: RSA,
  PS512: RSA,
  ES256: { kty: 'EC', crv: 'P-256', namedCurve: 'prime256v1' },
  ES384: { kty: 'EC', crv: 'P-384', namedCurve: 'secp384r1' },
  ES512: { kty: 'EC', crv: 'P-521', namedCurve: 'secp521r1' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

/** The key `alg` needs, or undefined when it is not an asymmetric signature algorithm Keyway accepts. */
export function keyRequirement(alg: string): KeyRequirement | undefined {
  return Object.hasOwn(KEY_FOR_ALG, alg) ? KEY_FOR_ALG[alg] : undefined;
}

/** RFC 9864: on an Ed25519 key, the polymorphic `EdDSA` and the fully-specified `Ed25519` name the same algorithm. */
export function sameAlgorithm(registered: string, used: string): boolean {
  if (registered === used) return true;
  const ed = new Set(['EdDSA', 'Ed25519']);
  return ed.has(registered) && ed.has(used);
}
