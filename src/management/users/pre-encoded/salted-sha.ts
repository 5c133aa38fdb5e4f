/**
 * The salted SHA family of PingOne's "Password encoding" reference, in LDAP userPassword syntax:
 * `{SSHA}` (SHA-1), `{SSHA256}`, `{SSHA384}`, `{SSHA512}`, each `base64(digest ‖ salt)`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { MAX_SALT_BYTES, type PreEncodedScheme } from './scheme.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Digest of each scheme and its length in bytes. */
const DIGESTS: Readonly<Record<string, { digest: string; bytes: number }>> = {
  SSHA: { digest: 'sha1', bytes: 20 },
  SSHA256: { digest: 'sha256', bytes: 32 },
  SSHA384: { digest: 'sha384', bytes: 48 },
  SSHA512: { digest: 'sha512', bytes: 64 },
};

function split(name: string, body: string): { digest: Buffer; salt: Buffer } | undefined {
  const spec = DIGESTS[name];
  if (!spec || !BASE64.test(body)) return undefined;
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length <= spec.bytes || bytes.length > spec.bytes + MAX_SALT_BYTES) return undefined;
  return { digest: bytes.subarray(0, spec.bytes), salt: bytes.subarray(spec.bytes) };
}

export const saltedSha: PreEncodedScheme = {
  names: Object.keys(DIGESTS),
  problem: (name, body) =>
    split(name, body) === undefined ? `A pre-encoded {${name}} password must be base64 of the digest followed by a salt of 1 to ${MAX_SALT_BYTES} bytes.` : undefined,
  verify: async (password, name, body) => {
    const parts = split(name, body);
    const spec = DIGESTS[name];
    if (!parts || !spec) return false;
    const actual = createHash(spec.digest).update(Buffer.from(password, 'utf8')).update(parts.salt).digest();
    return timingSafeEqual(actual, parts.digest);
  },
};
