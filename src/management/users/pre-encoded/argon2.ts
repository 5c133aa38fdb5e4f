/**
 * `{ARGON2}` (PingOne's "Password encoding" reference, section "Argon2"): Argon2 (RFC 9106) in
 * the PHC string format of the reference implementation, which PingDirectory and the common
 * libraries write:
 *
 *     {ARGON2}$argon2id$v=19$m=<memory KiB>,t=<passes>,p=<lanes>$<salt>$<tag>
 *
 * `argon2id`, `argon2i` or `argon2d`; version 19 (0x13, the RFC's) only; salt and tag in base64
 * without padding. The PHC string may also come base64-encoded as one block.
 *
 * node:crypto has no Argon2 on Node 20, so the check uses `hash-wasm` (WebAssembly, no native
 * build), in a worker thread (./argon2-thread.ts). The work is bounded: memory at most 64 MiB
 * (the default of PHP's `password_hash` and of libsodium's "interactive" limit), memory times
 * passes at most 192 MiB (OWASP's Password Storage Cheat Sheet recommends 19 MiB with 2 passes,
 * or 46 MiB with 1), at most 16 lanes (lanes split the work, they do not add to it).
 */
import { argon2InWorker, type Argon2Variant } from './argon2-thread.js';
import { base64Bytes, MAX_KEY_BYTES, MAX_SALT_BYTES, MIN_KEY_BYTES, sameBytes, type PreEncodedScheme } from './scheme.js';

const MAX_MEMORY_KIB = 64 * 1024;
const MAX_WORK_KIB = 192 * 1024;
const MAX_LANES = 16;
/** RFC 9106 §3.1: a salt of at least 8 bytes. */
const MIN_SALT_BYTES = 8;

type Variant = Argon2Variant;

const PHC = /^\$(argon2id|argon2i|argon2d)\$v=(\d{1,3})\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const FORM = '{ARGON2}$argon2id$v=19$m=<memory KiB>,t=<passes>,p=<lanes>$<salt base64>$<tag base64> (or argon2i, argon2d)';

interface Parts {
  variant: Variant;
  version: number;
  memory: number;
  passes: number;
  lanes: number;
  salt: Buffer;
  tag: Buffer;
}

function split(body: string): Parts | undefined {
  const text = body.startsWith('$') ? body : (base64Bytes(body)?.toString('latin1') ?? '');
  const m = PHC.exec(text);
  if (!m) return undefined;
  const [salt, tag] = [base64Bytes(m[6] as string), base64Bytes(m[7] as string)];
  if (!salt || !tag) return undefined;
  return { variant: m[1] as Variant, version: Number(m[2]), memory: Number(m[3]), passes: Number(m[4]), lanes: Number(m[5]), salt, tag };
}

function problemOf(parts: Parts | undefined): string | undefined {
  if (!parts) return `A pre-encoded {ARGON2} password must be ${FORM}.`;
  if (parts.version !== 19) return 'A pre-encoded {ARGON2} password must be Argon2 version 19 (v=19).';
  const { memory, passes, lanes } = parts;
  if (lanes < 1 || lanes > MAX_LANES) return `A pre-encoded {ARGON2} password must have 1 to ${MAX_LANES} lanes (p).`;
  if (passes < 1 || memory < 8 * lanes) return 'A pre-encoded {ARGON2} password must have at least 1 pass (t) and 8 KiB of memory (m) per lane.';
  if (memory > MAX_MEMORY_KIB || memory * passes > MAX_WORK_KIB) {
    return `A pre-encoded {ARGON2} password may use at most ${MAX_MEMORY_KIB} KiB of memory (m), and m·t may be at most ${MAX_WORK_KIB}.`;
  }
  if (parts.salt.length < MIN_SALT_BYTES || parts.salt.length > MAX_SALT_BYTES) return `A pre-encoded {ARGON2} password must have a salt of ${MIN_SALT_BYTES} to ${MAX_SALT_BYTES} bytes.`;
  if (parts.tag.length < MIN_KEY_BYTES || parts.tag.length > MAX_KEY_BYTES) return `A pre-encoded {ARGON2} password must have a tag of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes.`;
  return undefined;
}

/** The raw Argon2 tag of `password` under the parameters of `parts` (exported for its known-answer test). */
export async function argon2Tag(password: string, parts: Omit<Parts, 'version' | 'tag'> & { tagLength: number }): Promise<Uint8Array> {
  return argon2InWorker({ ...parts, password: Buffer.from(password, 'utf8') });
}

export const argon2Scheme: PreEncodedScheme = {
  names: ['ARGON2'],
  problem: (_name, body) => problemOf(split(body)),
  verify: async (password, _name, body) => {
    const parts = split(body);
    if (!parts || problemOf(parts) !== undefined) return false;
    return sameBytes(await argon2Tag(password, { ...parts, tagLength: parts.tag.length }), parts.tag);
  },
};
