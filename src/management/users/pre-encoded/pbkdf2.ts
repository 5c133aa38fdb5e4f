/**
 * PBKDF2 (RFC 8018 §5.2), in two layouts:
 *
 * - PingOne's own, `{PBKDF2}` followed by one base64 block of the parameters (PingOne's "Password
 *   encoding" reference, section "PBKDF2"; ./pingone-pbkdf2.ts);
 * - the LDAP userPassword form of OpenLDAP's pw-pbkdf2 module, which directory exports use:
 *   `{PBKDF2}` (HMAC-SHA-1), `{PBKDF2-SHA1}`, `{PBKDF2-SHA256}`, `{PBKDF2-SHA512}`, then
 *   `<iterations>$<salt>$<derived key>`, salt and key in "adapted" base64 (`.` for `+`, no padding).
 *
 * A `{PBKDF2}` value holding `$` is read in the LDAP form, any other in PingOne's: base64 has no `$`.
 */
import { pingOnePbkdf2Matches, pingOnePbkdf2Problem } from './pingone-pbkdf2.js';
import { pbkdf2Matches, SHA1, SHA256, SHA512, type Pbkdf2Digest } from './pbkdf2-digests.js';
import { MAX_SALT_BYTES, MIN_KEY_BYTES, type PreEncodedScheme } from './scheme.js';

const HMACS: Readonly<Record<string, Pbkdf2Digest>> = {
  PBKDF2: SHA1,
  'PBKDF2-SHA1': SHA1,
  'PBKDF2-SHA256': SHA256,
  'PBKDF2-SHA512': SHA512,
};

const FORM = /^([1-9]\d{0,8})\$([A-Za-z0-9./+]+)\$([A-Za-z0-9./+]+)$/;

interface Parts {
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

const isPingOneLayout = (name: string, body: string): boolean => name === 'PBKDF2' && !body.includes('$');

/** Adapted base64 to bytes; undefined for a length no base64 text can have. */
function adaptedBase64(text: string): Buffer | undefined {
  return text.length % 4 === 1 ? undefined : Buffer.from(text.replace(/\./g, '+'), 'base64');
}

function split(body: string): Parts | undefined {
  const match = FORM.exec(body);
  const [iterations, salt, key] = [match?.[1], match?.[2], match?.[3]];
  if (iterations === undefined || salt === undefined || key === undefined) return undefined;
  const saltBytes = adaptedBase64(salt);
  const keyBytes = adaptedBase64(key);
  return saltBytes && keyBytes ? { iterations: Number(iterations), salt: saltBytes, key: keyBytes } : undefined;
}

function problemOf(name: string, parts: Parts | undefined): string | undefined {
  const spec = HMACS[name];
  if (!spec || !parts) return `A pre-encoded {${name}} password must be {${name}}<iterations>$<salt>$<derived key>, salt and key in adapted base64${name === 'PBKDF2' ? ", or PingOne's single base64 block" : ''}.`;
  if (parts.iterations > spec.maxIterations) return `A pre-encoded {${name}} password may have at most ${spec.maxIterations} iterations.`;
  if (parts.salt.length < 1 || parts.salt.length > MAX_SALT_BYTES) return `A pre-encoded {${name}} password must have a salt of 1 to ${MAX_SALT_BYTES} bytes.`;
  if (parts.key.length < MIN_KEY_BYTES || parts.key.length > spec.bytes) return `A pre-encoded {${name}} password must have a derived key of ${MIN_KEY_BYTES} to ${spec.bytes} bytes.`;
  return undefined;
}

export const pbkdf2Scheme: PreEncodedScheme = {
  names: Object.keys(HMACS),
  problem: (name, body) => (isPingOneLayout(name, body) ? pingOnePbkdf2Problem(body) : problemOf(name, split(body))),
  verify: async (password, name, body) => {
    if (isPingOneLayout(name, body)) return pingOnePbkdf2Matches(password, body);
    const parts = split(body);
    const spec = HMACS[name];
    if (!parts || !spec || problemOf(name, parts) !== undefined) return false;
    return pbkdf2Matches(password, parts.salt, parts.iterations, parts.key, spec);
  },
};
