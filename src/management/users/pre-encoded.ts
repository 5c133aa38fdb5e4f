/**
 * Pre-encoded passwords, as PingOne takes them on import (`application/vnd.pingidentity.user.import+json`)
 * and on `PUT …/password` (`password.set+json`): a scheme in braces, then the encoding, in the
 * LDAP userPassword syntax `{SCHEME}base64(digest ‖ salt)` (PingOne's "Password encoding"
 * reference, developer.pingidentity.com/pingone-api/platform/reference/password-encoding.html).
 *
 * Keyway verifies the salted SHA family PingOne lists: `{SSHA}` (SHA-1), `{SSHA256}`,
 * `{SSHA384}`, `{SSHA512}`. PingOne's other schemes (`{BCRYPT}`, `{PBKDF2}`, `{SCRYPT}`,
 * `{SCRYPT_RFC7914}`, `{ARGON2}`, `{MSKCC_PBKDF2}`) are refused with a message naming the ones
 * accepted: a hash stored but never verifiable would lock its user out silently.
 *
 * Such a value is stored as given and replaced with Keyway's scrypt hash at the first successful
 * sign-in (./credentials.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** `{NAME}` at the start of a password value: what PingOne reads as a pre-encoded password. */
const SCHEME_PREFIX = /^\{([A-Za-z0-9_-]+)\}/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Digest of each accepted scheme and its length in bytes. */
const SALTED_SHA = {
  SSHA: { digest: 'sha1', bytes: 20 },
  SSHA256: { digest: 'sha256', bytes: 32 },
  SSHA384: { digest: 'sha384', bytes: 48 },
  SSHA512: { digest: 'sha512', bytes: 64 },
} as const;

type Scheme = keyof typeof SALTED_SHA;

export const ACCEPTED_SCHEMES: readonly string[] = Object.keys(SALTED_SHA).map((s) => `{${s}}`);

/** A salt between 1 and 64 bytes: enough for every directory's default, small enough to bound the input. */
const MAX_SALT_BYTES = 64;

interface SaltedDigest {
  scheme: Scheme;
  digest: Buffer;
  salt: Buffer;
}

/** True when the value starts like a pre-encoded password (`{NAME}…`), whether or not Keyway accepts it. */
export function looksPreEncoded(value: string): boolean {
  return SCHEME_PREFIX.test(value);
}

/** The parts of an accepted pre-encoded value, or undefined when it is not one. */
function parse(value: string): SaltedDigest | undefined {
  const match = SCHEME_PREFIX.exec(value);
  const name = match?.[1]?.toUpperCase();
  if (!match || name === undefined || !Object.hasOwn(SALTED_SHA, name)) return undefined;
  const scheme = name as Scheme;
  const body = value.slice(match[0].length);
  if (!BASE64.test(body)) return undefined;
  const bytes = Buffer.from(body, 'base64');
  const { bytes: size } = SALTED_SHA[scheme];
  if (bytes.length <= size || bytes.length > size + MAX_SALT_BYTES) return undefined;
  return { scheme, digest: bytes.subarray(0, size), salt: bytes.subarray(size) };
}

/** Why `value` cannot be imported, or undefined when it can. */
export function preEncodedProblem(value: string): string | undefined {
  if (parse(value) !== undefined) return undefined;
  const accepted = ACCEPTED_SCHEMES.join(', ');
  const name = SCHEME_PREFIX.exec(value)?.[1]?.toUpperCase();
  if (name !== undefined && Object.hasOwn(SALTED_SHA, name)) {
    return `A pre-encoded {${name}} password must be base64 of the digest followed by a salt of 1 to ${MAX_SALT_BYTES} bytes.`;
  }
  return `Keyway accepts pre-encoded passwords in these schemes only: ${accepted}.`;
}

/** True when the stored value is a pre-encoded password this module can verify. */
export function isPreEncoded(stored: string): boolean {
  return parse(stored) !== undefined;
}

/**
 * True when `password` (its UTF-8 bytes, as the exporting directory hashed them; no
 * normalisation) matches the pre-encoded `stored` value, compared in constant time.
 */
export function verifyPreEncoded(password: string, stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = createHash(SALTED_SHA[parsed.scheme].digest).update(Buffer.from(password, 'utf8')).update(parsed.salt).digest();
  return timingSafeEqual(actual, parsed.digest);
}
