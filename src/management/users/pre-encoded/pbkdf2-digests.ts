/**
 * The HMACs PBKDF2 (RFC 8018 §5.2) is taken with in pre-encoded passwords, each with its output
 * length and the most iterations taken: the figures of OWASP's Password Storage Cheat Sheet
 * (PBKDF2 section) for today's hardware. A higher count would make each failed sign-in of an
 * imported user cost seconds of a thread-pool thread until the first success replaces the hash;
 * a directory exporting more than the current recommendation is rare.
 */
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { sameBytes } from './scheme.js';

export interface Pbkdf2Digest {
  digest: 'sha1' | 'sha256' | 'sha512';
  bytes: number;
  maxIterations: number;
}

export const SHA1: Pbkdf2Digest = { digest: 'sha1', bytes: 20, maxIterations: 1_300_000 };
export const SHA256: Pbkdf2Digest = { digest: 'sha256', bytes: 32, maxIterations: 600_000 };
export const SHA512: Pbkdf2Digest = { digest: 'sha512', bytes: 64, maxIterations: 210_000 };

const derive = promisify(pbkdf2);

/** Derives a key as long as `key` and compares it in constant time; off the event loop. */
export async function pbkdf2Matches(password: string, salt: Buffer, iterations: number, key: Buffer, spec: Pbkdf2Digest): Promise<boolean> {
  return sameBytes(await derive(Buffer.from(password, 'utf8'), salt, iterations, key.length, spec.digest), key);
}
