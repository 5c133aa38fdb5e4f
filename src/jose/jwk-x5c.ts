/**
 * Consistency of a JWK's certificate members with its key (RFC 7517 §4.7-§4.9): the first `x5c`
 * certificate must hold the JWK's own public key, and `x5t` / `x5t#S256` must be the SHA-1 /
 * SHA-256 thumbprints of that certificate's DER encoding. Keyway never trusts a client-supplied
 * chain (the JWK's key members are what verifies), so nothing else about the chain is checked.
 * `x5t` or `x5t#S256` without `x5c` is accepted: RFC 7517 §4.8/§4.9 allow naming a certificate
 * held elsewhere, and with no certificate at hand there is nothing to compare with.
 */
import { createHash, createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Jwk } from './jwk-kty.js';

/** Problems of `x5c`, `x5t` and `x5t#S256` against the key. Call only once the key and shapes are sound. */
export function certificateMemberProblems(jwk: Jwk): string[] {
  const x5c = jwk.x5c;
  if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') return [];
  const der = Buffer.from(x5c[0], 'base64');
  const certificate = parseCertificate(der);
  if (!certificate) return ['"x5c"[0] is not a DER-encoded X.509 certificate (RFC 7517 §4.7)'];
  return [
    ...(sameKey(certificate.publicKey, jwk) ? [] : ['the key in "x5c"[0] is not this JWK\'s key; RFC 7517 §4.7 requires the first certificate to hold it']),
    ...thumbprintMismatch(jwk.x5t, 'x5t', 'sha1', der, 'RFC 7517 §4.8'),
    ...thumbprintMismatch(jwk['x5t#S256'], 'x5t#S256', 'sha256', der, 'RFC 7517 §4.9'),
  ];
}

function parseCertificate(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

function sameKey(certificateKey: KeyObject, jwk: Jwk): boolean {
  try {
    return certificateKey.equals(createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
  } catch {
    return false;
  }
}

function thumbprintMismatch(value: unknown, name: string, hash: 'sha1' | 'sha256', der: Buffer, clause: string): string[] {
  if (value === undefined || createHash(hash).update(der).digest('base64url') === value) return [];
  return [`"${name}" is not the ${hash === 'sha1' ? 'SHA-1' : 'SHA-256'} thumbprint of "x5c"[0] (${clause})`];
}
