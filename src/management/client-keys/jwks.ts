/**
 * Validation of client public keys registered on an application (`jwks` string, `jwksUrl`).
 * STUB: signatures only; the implementation replaces this body.
 */
import type { ErrorDetail } from '../errors.js';

/** A validated public key, ready for `crypto.createPublicKey({ key: jwk, format: 'jwk' })`. */
export interface ClientPublicKey {
  kid?: string;
  kty: 'RSA' | 'EC' | 'OKP';
  /** `alg` when the JWK names one. */
  alg?: string;
  use?: string;
  /** EC / OKP curve. */
  crv?: string;
  /** The public JWK members exactly as sent (public members only). */
  jwk: Record<string, unknown>;
}

export type JwksValidation = { ok: true; keys: ClientPublicKey[] } | { ok: false; details: ErrorDetail[] };

/** Validates the `jwks` string of an application (never echoes private material). */
export function validateJwksString(raw: string, target = 'jwks'): JwksValidation {
  void raw;
  void target;
  return { ok: true, keys: [] };
}

/** Validates a JWK Set already parsed from JSON (used for sets fetched from `jwksUrl`). */
export function validateJwksDocument(doc: unknown, target = 'jwks'): JwksValidation {
  void doc;
  void target;
  return { ok: true, keys: [] };
}

/** Validates a `jwksUrl` value: https, no credentials, no fragment. Returns the details found. */
export function validateJwksUrl(raw: string, target = 'jwksUrl'): ErrorDetail[] {
  void raw;
  void target;
  return [];
}
