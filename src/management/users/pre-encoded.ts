/**
 * Pre-encoded passwords, as PingOne takes them on import (`application/vnd.pingidentity.user.import+json`)
 * and on `PUT …/password` (`password.set+json`): a scheme in braces, then the encoding, in the
 * LDAP userPassword syntax (PingOne's "Password encoding" reference,
 * developer.pingidentity.com/pingone-api/platform/reference/password-encoding.html).
 *
 * Keyway verifies every scheme that reference lists: the salted SHA family (`{SSHA}`,
 * `{SSHA256}`, `{SSHA384}`, `{SSHA512}`, ./pre-encoded/salted-sha.ts), `{BCRYPT}`
 * (./pre-encoded/bcrypt.ts), `{PBKDF2}` in PingOne's layout and in OpenLDAP's LDAP form with
 * `{PBKDF2-SHA1}`, `{PBKDF2-SHA256}`, `{PBKDF2-SHA512}` (./pre-encoded/pbkdf2.ts),
 * `{MSKCC_PBKDF2}` (./pre-encoded/mskcc.ts), `{SCRYPT}` and `{SCRYPT_RFC7914}`
 * (./pre-encoded/scrypt.ts) and `{ARGON2}` (./pre-encoded/argon2.ts), each with bounded work.
 * Anything else is refused with a message naming the accepted schemes: a hash stored but never
 * verifiable would lock its user out silently.
 *
 * Such a value is stored as given and replaced with Keyway's scrypt hash at the first successful
 * sign-in (./credentials.ts).
 */
import { argon2Scheme } from './pre-encoded/argon2.js';
import { bcryptScheme } from './pre-encoded/bcrypt.js';
import { mskccScheme } from './pre-encoded/mskcc.js';
import { pbkdf2Scheme } from './pre-encoded/pbkdf2.js';
import { saltedSha } from './pre-encoded/salted-sha.js';
import { scryptScheme } from './pre-encoded/scrypt.js';
import type { PreEncodedScheme } from './pre-encoded/scheme.js';

/** `{NAME}` at the start of a password value: what PingOne reads as a pre-encoded password. */
const SCHEME_PREFIX = /^\{([A-Za-z0-9_-]+)\}/;

const SCHEMES: readonly PreEncodedScheme[] = [saltedSha, bcryptScheme, pbkdf2Scheme, mskccScheme, scryptScheme, argon2Scheme];

export const ACCEPTED_SCHEMES: readonly string[] = SCHEMES.flatMap((s) => s.names.map((n) => `{${n}}`));

interface Encoded {
  scheme: PreEncodedScheme;
  name: string;
  body: string;
}

/** The scheme, its name (upper case: LDAP reads scheme names case-insensitively) and the rest. */
function split(value: string): Encoded | { name: string | undefined } {
  const match = SCHEME_PREFIX.exec(value);
  const name = match?.[1]?.toUpperCase();
  const scheme = name === undefined ? undefined : SCHEMES.find((s) => s.names.includes(name));
  if (!match || name === undefined || !scheme) return { name };
  return { scheme, name, body: value.slice(match[0].length) };
}

/** True when the value starts like a pre-encoded password (`{NAME}…`), whether or not Keyway accepts it. */
export function looksPreEncoded(value: string): boolean {
  return SCHEME_PREFIX.test(value);
}

/** Why `value` cannot be imported, or undefined when it can. */
export function preEncodedProblem(value: string): string | undefined {
  const parts = split(value);
  if (!('scheme' in parts)) return `Keyway accepts pre-encoded passwords in these schemes only: ${ACCEPTED_SCHEMES.join(', ')}.`;
  return parts.scheme.problem(parts.name, parts.body);
}

/** True when the stored value is a pre-encoded password this module can verify. */
export function isPreEncoded(stored: string): boolean {
  return looksPreEncoded(stored) && preEncodedProblem(stored) === undefined;
}

/**
 * True when `password` (its UTF-8 bytes, as the exporting directory hashed them; no
 * normalisation) matches the pre-encoded `stored` value, compared in constant time.
 */
export async function verifyPreEncoded(password: string, stored: string): Promise<boolean> {
  const parts = split(stored);
  if (!('scheme' in parts) || parts.scheme.problem(parts.name, parts.body) !== undefined) return false;
  return parts.scheme.verify(password, parts.name, parts.body);
}
