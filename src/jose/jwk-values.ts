/**
 * Strict decoding of JWK member values and safe display of caller-supplied strings in messages.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SHOWN_CHARS = 64;

/**
 * Decodes unpadded base64url (RFC 7515 §2). Returns undefined on padding, characters outside the
 * url-safe alphabet, or a non-canonical tail: Node's decoder silently ignores all three.
 */
export function decodeBase64Url(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !BASE64URL.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  return bytes.toString('base64url') === value ? bytes : undefined;
}

/** True for padded standard base64 (RFC 4648 §4), the encoding `x5c` requires (RFC 7517 §4.7). */
export function isStandardBase64(value: unknown): boolean {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) return false;
  return Buffer.from(value, 'base64').toString('base64') === value;
}

/** Bit length of a big-endian unsigned integer, ignoring leading zero octets. */
export function unsignedBitLength(bytes: Uint8Array): number {
  const first = bytes.findIndex((b) => b !== 0);
  if (first === -1) return 0;
  const top = bytes[first] ?? 0;
  return (bytes.length - first - 1) * 8 + (32 - Math.clz32(top));
}

/** Big-endian unsigned integer value; callers bound the length first. */
export function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/**
 * How a message renders a value taken from the checked document: `quote` for material the caller
 * just sent (the answer goes back to that caller), `fingerprint` for a document Keyway fetched.
 */
export type Show = (value: unknown) => string;

/**
 * Renders a caller-supplied value for an error message: strings quoted and truncated, other
 * values by type only. Never call it with private key members.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
    return JSON.stringify(shown);
  }
  return typeOnly(value);
}

/**
 * Renders a value of a fetched document without any of its text: its length and the first 8 hex
 * digits of its SHA-256, enough to tell values apart and to find one in the document. Messages
 * about a `jwksUrl` document are read by administrators; whoever controls the URL must not be able
 * to write text there (nor control characters into the logs).
 */
export function fingerprint(value: unknown): string {
  if (typeof value !== 'string') return typeOnly(value);
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
  return `a ${value.length}-character string (sha256 ${digest}…)`;
}

/**
 * How a key set is read; who wrote it decides how messages show its values and which rules apply.
 * `stored`: written by an earlier version of Keyway, whose checks did not yet refuse some spellings
 * (RSA leading zero octets, `x5c`/`x5t` that do not match the key). Those are tolerated there, so
 * that keys already registered keep verifying; the key material is checked as always.
 */
export interface JwkReading {
  show: Show;
  stored: boolean;
}

/** A set the caller sends now (registration): every rule, values quoted back to the sender. */
export const SENT: JwkReading = { show: quote, stored: false };
/** A set fetched from a `jwksUrl`: every rule, values shown by fingerprint only. */
export const FETCHED: JwkReading = { show: fingerprint, stored: false };
/** A set read back from the store, accepted when it was written. */
export const STORED: JwkReading = { show: quote, stored: true };

function typeOnly(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
