/**
 * `{MSKCC_PBKDF2}`, PingOne's identifier for hashes made with Microsoft's cryptography library
 * (PingOne's "Password encoding" reference, section "MSCrypto library"): PBKDF2 through
 * `Microsoft.AspNetCore.Cryptography.KeyDerivation`, in the layouts ASP.NET Core Identity's
 * `PasswordHasher` stores, base64 after the identifier:
 *
 * - version 3: `0x01 ‖ PRF ‖ iterations ‖ salt length ‖ salt ‖ subkey`, the three integers
 *   4 bytes big-endian, PRF 0 = HMAC-SHA-1, 1 = HMAC-SHA-256, 2 = HMAC-SHA-512;
 * - version 2: `0x00 ‖ salt (16 bytes) ‖ subkey (32 bytes)`, HMAC-SHA-1 with 1000 iterations.
 *
 * Iterations are bounded as for every PBKDF2 value (./pbkdf2-digests.ts), counted once per
 * output block of the subkey (version 2 asks 32 bytes of HMAC-SHA-1: two blocks).
 */
import { pbkdf2Matches, SHA1, SHA256, SHA512, type Pbkdf2Digest } from './pbkdf2-digests.js';
import { base64Bytes, MAX_KEY_BYTES, MAX_SALT_BYTES, MIN_KEY_BYTES, type PreEncodedScheme } from './scheme.js';

const PRFS: readonly Pbkdf2Digest[] = [SHA1, SHA256, SHA512];
const V2 = { iterations: 1000, saltBytes: 16, keyBytes: 32 } as const;
const V3_HEADER = 13;

interface Parts {
  spec: Pbkdf2Digest | undefined;
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

function split(body: string): Parts | undefined {
  const bytes = base64Bytes(body);
  if (bytes?.[0] === 0x00 && bytes.length === 1 + V2.saltBytes + V2.keyBytes) {
    return { spec: SHA1, iterations: V2.iterations, salt: bytes.subarray(1, 1 + V2.saltBytes), key: bytes.subarray(1 + V2.saltBytes) };
  }
  if (bytes?.[0] !== 0x01 || bytes.length <= V3_HEADER) return undefined;
  const saltLength = bytes.readUInt32BE(9);
  if (saltLength > MAX_SALT_BYTES || bytes.length <= V3_HEADER + saltLength) return undefined;
  return {
    spec: PRFS[bytes.readUInt32BE(1)],
    iterations: bytes.readUInt32BE(5),
    salt: bytes.subarray(V3_HEADER, V3_HEADER + saltLength),
    key: bytes.subarray(V3_HEADER + saltLength),
  };
}

function problemOf(parts: Parts | undefined): string | undefined {
  if (!parts) return 'A pre-encoded {MSKCC_PBKDF2} password must be base64 of an ASP.NET Core Identity version 2 or 3 hash, with a salt of at most 64 bytes.';
  const { spec } = parts;
  if (!spec) return 'A pre-encoded {MSKCC_PBKDF2} password must name PRF 0 (HMAC-SHA-1), 1 (HMAC-SHA-256) or 2 (HMAC-SHA-512).';
  if (parts.salt.length < 1) return 'A pre-encoded {MSKCC_PBKDF2} password must have a salt.';
  if (parts.key.length < MIN_KEY_BYTES || parts.key.length > MAX_KEY_BYTES) return `A pre-encoded {MSKCC_PBKDF2} password must have a subkey of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes.`;
  // A subkey longer than the HMAC's output runs the iterations once per output block.
  const blocks = Math.ceil(parts.key.length / spec.bytes);
  if (parts.iterations < 1 || parts.iterations * blocks > spec.maxIterations) {
    return `A pre-encoded {MSKCC_PBKDF2} password with HMAC-${spec.digest.toUpperCase()} must have 1 to ${spec.maxIterations} iterations per ${spec.bytes}-byte block of subkey.`;
  }
  return undefined;
}

export const mskccScheme: PreEncodedScheme = {
  names: ['MSKCC_PBKDF2'],
  problem: (_name, body) => problemOf(split(body)),
  verify: async (password, _name, body) => {
    const parts = split(body);
    if (!parts?.spec || problemOf(parts) !== undefined) return false;
    return pbkdf2Matches(password, parts.salt, parts.iterations, parts.key, parts.spec);
  },
};
