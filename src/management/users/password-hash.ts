/**
 * Password hashing with `node:crypto` scrypt (RFC 7914), the format stored in
 * `users.password_hash`:
 *
 *     scrypt$<N>$<r>$<p>$<salt, base64url>$<key, base64url>
 *
 * New hashes use N = 2^15, r = 8, p = 1, a 16-byte random salt and a 32-byte key. Verification
 * reads the parameters from the stored value, so they can be raised later without breaking
 * existing hashes; values outside sane bounds are refused (a crafted value must not make one
 * check cost seconds or gigabytes). Passwords are NFKC-normalised first (NIST SP 800-63B
 * §5.1.1.2), so the same characters typed on different keyboards give the same hash.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

/** scrypt needs 128·N·r bytes: 32 MiB at the defaults, exactly Node's default cap, so the cap is raised. */
const MAX_MEMORY = 64 * 1024 * 1024;
const BOUNDS = { maxN: 2 ** 17, maxR: 16, maxP: 4, minBytes: 16, maxBytes: 64 } as const;

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function derive(password: string, salt: Buffer, params: Pick<ParsedHash, 'N' | 'r' | 'p'>, length: number): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: MAX_MEMORY };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function format(params: Pick<ParsedHash, 'N' | 'r' | 'p'>, salt: Buffer, key: Buffer): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Hashes `password` with a fresh random salt (runs on the libuv thread pool, off the event loop). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return format(SCRYPT_PARAMS, salt, await derive(password, salt, SCRYPT_PARAMS, KEY_BYTES));
}

const isPowerOfTwo = (n: number): boolean => n >= 2 && (n & (n - 1)) === 0;

/** The parts of a stored hash, or undefined when it is not one this module wrote (or could have). */
export function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,7}$/.test(s) ? Number(s) : NaN)) as [number, number, number];
  if (!isPowerOfTwo(N) || N > BOUNDS.maxN || !(r >= 1 && r <= BOUNDS.maxR) || !(p >= 1 && p <= BOUNDS.maxP)) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  const sized = (b: Buffer) => b.length >= BOUNDS.minBytes && b.length <= BOUNDS.maxBytes;
  return sized(salt) && sized(key) ? { N, r, p, salt, key } : undefined;
}

/**
 * True when `password` matches `stored`, compared in constant time. An unparsable `stored` still
 * costs one default-parameter scrypt, then answers false.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) {
    await derive(password, randomBytes(SALT_BYTES), SCRYPT_PARAMS, KEY_BYTES);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/**
 * A well-formed hash of no password anyone knows (random salt and key, no scrypt run): checking
 * a password against it costs exactly what checking a real hash costs, and never matches.
 */
export function unmatchableHash(): string {
  return format(SCRYPT_PARAMS, randomBytes(SALT_BYTES), randomBytes(KEY_BYTES));
}
