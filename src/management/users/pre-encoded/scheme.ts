/**
 * One family of pre-encoded passwords (../pre-encoded.ts): the scheme names it answers for, why a
 * value is not one it can verify, and the check itself.
 */
import { timingSafeEqual } from 'node:crypto';

export interface PreEncodedScheme {
  /** The names in braces, upper case (`SSHA256`, `BCRYPT`). */
  readonly names: readonly string[];
  /** Why `body` (the text after `{NAME}`) cannot be verified, or undefined when it can. */
  problem(name: string, body: string): string | undefined;
  /**
   * True when `password` (its UTF-8 bytes, as the exporting directory hashed them; no
   * normalisation) matches `body`, compared in constant time. Called only when `problem` found none.
   */
  verify(password: string, name: string, body: string): Promise<boolean>;
}

/** A salt between 1 and 64 bytes: enough for every directory's default, small enough to bound the input. */
export const MAX_SALT_BYTES = 64;

/** Shorter derived keys than this are too weak to keep even until the first sign-in. */
export const MIN_KEY_BYTES = 16;

/** The longest derived key taken (SHA-512's output). */
export const MAX_KEY_BYTES = 64;

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** Standard base64 (RFC 4648 §4), padding optional; undefined for anything else. */
export function base64Bytes(text: string): Buffer | undefined {
  return text.length > 0 && STANDARD_BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/** The two derived keys are equal; compared in constant time (lengths are not secret). */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): boolean {
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
