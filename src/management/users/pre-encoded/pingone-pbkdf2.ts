/**
 * PingOne's own `{PBKDF2}` layout: the identifier, then one base64 block of the parameters in the
 * order PingOne's "Password encoding" reference gives them, "version, salt length, salt,
 * iterations" and the derived key (section "PBKDF2"). Keyway reads the block as
 *
 *     version (1 byte, 0x01) ‖ salt length (1 byte) ‖ salt ‖ iterations (4 bytes, big-endian) ‖ derived key
 *
 * with HMAC-SHA-256 as the PRF for version 1. Any other version is refused rather than guessed:
 * a hash stored but never verifiable would lock its user out silently.
 */
import { pbkdf2Matches, SHA256 } from './pbkdf2-digests.js';
import { base64Bytes, MAX_SALT_BYTES, MIN_KEY_BYTES } from './scheme.js';

const VERSION = 0x01;
const FORM = `{PBKDF2} followed by base64 of version 0x01 (1 byte), the salt length (1 byte), the salt, the iterations (4 bytes, big-endian) and the HMAC-SHA-256 derived key`;

interface Parts {
  version: number;
  salt: Buffer;
  iterations: number;
  key: Buffer;
}

function split(body: string): Parts | undefined {
  const bytes = base64Bytes(body);
  if (!bytes || bytes.length < 2) return undefined;
  const saltLength = bytes[1] as number;
  const keyStart = 2 + saltLength + 4;
  if (bytes.length <= keyStart) return undefined;
  return {
    version: bytes[0] as number,
    salt: bytes.subarray(2, 2 + saltLength),
    iterations: bytes.readUInt32BE(2 + saltLength),
    key: bytes.subarray(keyStart),
  };
}

function problemOf(parts: Parts | undefined): string | undefined {
  if (!parts) return `A pre-encoded {PBKDF2} password in PingOne's layout must be ${FORM}.`;
  if (parts.version !== VERSION) return `A pre-encoded {PBKDF2} password in PingOne's layout must have version 0x01 (HMAC-SHA-256).`;
  if (parts.iterations < 1 || parts.iterations > SHA256.maxIterations) return `A pre-encoded {PBKDF2} password must have 1 to ${SHA256.maxIterations} iterations.`;
  if (parts.salt.length < 1 || parts.salt.length > MAX_SALT_BYTES) return `A pre-encoded {PBKDF2} password must have a salt of 1 to ${MAX_SALT_BYTES} bytes.`;
  if (parts.key.length < MIN_KEY_BYTES || parts.key.length > SHA256.bytes) return `A pre-encoded {PBKDF2} password must have a derived key of ${MIN_KEY_BYTES} to ${SHA256.bytes} bytes.`;
  return undefined;
}

export const pingOnePbkdf2Problem = (body: string): string | undefined => problemOf(split(body));

export async function pingOnePbkdf2Matches(password: string, body: string): Promise<boolean> {
  const parts = split(body);
  if (!parts || problemOf(parts) !== undefined) return false;
  return pbkdf2Matches(password, parts.salt, parts.iterations, parts.key, SHA256);
}
