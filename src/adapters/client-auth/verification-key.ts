/**
 * Turns a registered public JWK into the protocol's `VerificationKey` (a ready KeyObject), so the
 * hot path never parses key material.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { VerificationKey } from '../../protocol/client-auth/ports.js';

const KTYS: ReadonlySet<string> = new Set(['RSA', 'EC', 'OKP']);

/**
 * @param jwk public JWK members (private members, if any, are ignored by the conversion)
 * @param kid overrides the JWK's own `kid` (uploaded certificates use their record id)
 * @throws TypeError when the JWK is not an RSA, EC or OKP key Node can import
 */
export function toVerificationKey(jwk: Readonly<Record<string, unknown>>, source: VerificationKey['source'], kid?: string): VerificationKey {
  const kty = jwk.kty;
  if (typeof kty !== 'string' || !KTYS.has(kty)) throw new TypeError(`kty ${JSON.stringify(kty)} is not RSA, EC or OKP`);
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  const result: VerificationKey = { kty: kty as VerificationKey['kty'], key, source };
  const effectiveKid = kid ?? stringMember(jwk, 'kid');
  if (effectiveKid !== undefined) result.kid = effectiveKid;
  const crv = stringMember(jwk, 'crv');
  if (crv !== undefined) result.crv = crv;
  const alg = stringMember(jwk, 'alg');
  if (alg !== undefined) result.alg = alg;
  const use = stringMember(jwk, 'use');
  if (use !== undefined) result.use = use;
  return result;
}

/**
 * False when the key's `key_ops` leave out "verify" (RFC 7517 §4.3): such a key is not offered
 * for verification at all. Keys with `use: "enc"` are kept; the protocol refuses them by name.
 */
export function mayVerify(jwk: Readonly<Record<string, unknown>>): boolean {
  const ops = jwk.key_ops;
  return !Array.isArray(ops) || ops.includes('verify');
}

function stringMember(jwk: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = jwk[name];
  return typeof value === 'string' ? value : undefined;
}
