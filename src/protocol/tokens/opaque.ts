/**
 * Opaque credentials (authorization codes, refresh tokens, session ids): 256 random bits sent to
 * the client as base64url, stored only as their SHA-256 (base64url), so a database read never
 * yields a usable credential (src/protocol/sign-in/ports.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random credential: 32 bytes from the CSPRNG, base64url without padding (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of the UTF-8 string, base64url: the storage key of an opaque credential. */
export function sha256Base64url(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/**
 * Left half of the hash of the ASCII value, base64url (OIDC Core §3.1.3.6 `at_hash`, §3.3.2.11
 * `c_hash`): the hash is the one of the ID token's `alg` (SHA-384 for RS384, PS384, ES384).
 */
export function leftHalfHash(value: string, alg = 'RS256'): string {
  const digest = createHash(`sha${alg.slice(2)}`).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Constant-time string comparison (different lengths compare unequal without early exit on content). */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
