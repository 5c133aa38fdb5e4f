/**
 * PBKDF2 (RFC 8018 §5.2) in the LDAP userPassword form of OpenLDAP's pw-pbkdf2 module, which
 * directory exports use: `{PBKDF2}` (HMAC-SHA-1), `{PBKDF2-SHA1}`, `{PBKDF2-SHA256}`,
 * `{PBKDF2-SHA512}`, then `<iterations>$<salt>$<derived key>`, salt and key in "adapted" base64
 * (`.` for `+`, no padding). PingOne's "Password encoding" reference lists `{PBKDF2}` and this is
 * the textual form its LDAP userPassword syntax refers to; PingOne's own binary layout of the
 * parameters inside one base64 block is not read, and is refused with a message saying which form is.
 */
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { MAX_SALT_BYTES, type PreEncodedScheme } from './scheme.js';

const derive = promisify(pbkdf2);

/**
 * HMAC of each scheme, its output length, and the most iterations taken: the figures of OWASP's
 * Password Storage Cheat Sheet (PBKDF2 section) for today's hardware. A higher count would make
 * each failed sign-in of the imported user cost seconds of a thread-pool thread; a directory
 * exporting more than the current recommendation is rare.
 */
const HMACS: Readonly<Record<string, { digest: string; bytes: number; maxIterations: number }>> = {
  PBKDF2: { digest: 'sha1', bytes: 20, maxIterations: 1_300_000 },
  'PBKDF2-SHA1': { digest: 'sha1', bytes: 20, maxIterations: 1_300_000 },
  'PBKDF2-SHA256': { digest: 'sha256', bytes: 32, maxIterations: 600_000 },
  'PBKDF2-SHA512': { digest: 'sha512', bytes: 64, maxIterations: 210_000 },
};

/** Shorter keys than this are too weak to keep even for one sign-in. */
const MIN_KEY_BYTES = 16;

const FORM = /^([1-9]\d{0,8})\$([A-Za-z0-9./+]+)\$([A-Za-z0-9./+]+)$/;

interface Parts {
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

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
  if (!spec || !parts) return `A pre-encoded {${name}} password must be {${name}}<iterations>$<salt>$<derived key>, salt and key in adapted base64.`;
  if (parts.iterations > spec.maxIterations) return `A pre-encoded {${name}} password may have at most ${spec.maxIterations} iterations.`;
  if (parts.salt.length < 1 || parts.salt.length > MAX_SALT_BYTES) return `A pre-encoded {${name}} password must have a salt of 1 to ${MAX_SALT_BYTES} bytes.`;
  if (parts.key.length < MIN_KEY_BYTES || parts.key.length > spec.bytes) return `A pre-encoded {${name}} password must have a derived key of ${MIN_KEY_BYTES} to ${spec.bytes} bytes.`;
  return undefined;
}

export const pbkdf2Scheme: PreEncodedScheme = {
  names: Object.keys(HMACS),
  problem: (name, body) => problemOf(name, split(body)),
  verify: async (password, name, body) => {
    const parts = split(body);
    const spec = HMACS[name];
    if (!parts || !spec || problemOf(name, parts) !== undefined) return false;
    const actual = await derive(Buffer.from(password, 'utf8'), parts.salt, parts.iterations, parts.key.length, spec.digest);
    return timingSafeEqual(actual, parts.key);
  },
};
