/**
 * Random 256-bit secrets (flow ids, session cookies, codes, PAR ids), the SHA-256 the stores
 * keep instead of them, and constant-time comparison.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a secret, base64url: the store key. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Constant-time equality of two strings of any length (compares their SHA-256). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** A secret presented by a client is only looked up when it has the shape we issue. */
export function looksLikeSecret(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * Double-submit check of the hosted page (OWASP CSRF cheat sheet): the hidden field and the
 * path-scoped cookie must both equal the flow's token.
 */
export function csrfMatches(expected: string, field: string | undefined, cookie: string | undefined): boolean {
  if (field === undefined || cookie === undefined) return false;
  const fieldOk = safeEqual(expected, field);
  const cookieOk = safeEqual(expected, cookie);
  return fieldOk && cookieOk;
}
