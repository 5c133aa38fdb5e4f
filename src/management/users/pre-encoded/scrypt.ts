/**
 * scrypt (RFC 7914) under PingOne's two identifiers (PingOne's "Password encoding" reference,
 * sections "Scrypt" and "Scrypt RFC-7914"), in the textual forms the tools that export scrypt
 * hashes write:
 *
 * - `{SCRYPT}$s0$<params>$<salt>$<key>`: the form of the Java scrypt library (lambdaworks) and of
 *   Spring Security's `SCryptPasswordEncoder`, `params` in hexadecimal `log2(N) << 16 | r << 8 | p`,
 *   salt and key in base64;
 * - `{SCRYPT_RFC7914}$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>`: the PHC string format
 *   (passlib and others), salt and key in base64 without padding.
 *
 * Either body may also come base64-encoded as one block, as LDAP userPassword values often are.
 *
 * Bounds, so that a hostile import cannot make each failed sign-in cost seconds or hundreds of
 * megabytes: scrypt needs 128·N·r bytes and runs in time proportional to N·r·p, so N·r is held to
 * 2^19 (64 MiB) and N·r·p to 2^20, four times the work of Keyway's own hashes (N = 2^15, r = 8,
 * p = 1, ../password-hash.ts).
 */
import { scrypt } from 'node:crypto';
import { base64Bytes, MAX_KEY_BYTES, MAX_SALT_BYTES, MIN_KEY_BYTES, sameBytes, type PreEncodedScheme } from './scheme.js';

const MAX_MEMORY_UNITS = 2 ** 19;
const MAX_WORK = 2 ** 20;
/** Node checks 128·N·r against `maxmem`; a little above the largest taken. */
const MAX_MEMORY_BYTES = 128 * MAX_MEMORY_UNITS + 1024 * 1024;

interface Parts {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const LAMBDAWORKS = /^\$s0\$([0-9a-f]{1,8})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** The body as written, or decoded from one base64 block when it does not start with `$`. */
function text(body: string): string {
  return body.startsWith('$') ? body : (base64Bytes(body)?.toString('latin1') ?? '');
}

function lambdaworks(body: string): Parts | undefined {
  const m = LAMBDAWORKS.exec(text(body));
  const [params, salt, key] = [m?.[1], m?.[2], m?.[3]];
  if (params === undefined || salt === undefined || key === undefined) return undefined;
  const value = parseInt(params, 16);
  const [saltBytes, keyBytes] = [base64Bytes(salt), base64Bytes(key)];
  if (!saltBytes || !keyBytes) return undefined;
  return { log2N: (value >>> 16) & 0xffff, r: (value >>> 8) & 0xff, p: value & 0xff, salt: saltBytes, key: keyBytes };
}

function phc(body: string): Parts | undefined {
  const m = PHC.exec(text(body));
  if (!m) return undefined;
  const [saltBytes, keyBytes] = [base64Bytes(m[4] as string), base64Bytes(m[5] as string)];
  if (!saltBytes || !keyBytes) return undefined;
  return { log2N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), salt: saltBytes, key: keyBytes };
}

const FORMS: Readonly<Record<string, { parse: (body: string) => Parts | undefined; form: string }>> = {
  SCRYPT: { parse: lambdaworks, form: '{SCRYPT}$s0$<hex log2(N)<<16 | r<<8 | p>$<salt base64>$<key base64>' },
  SCRYPT_RFC7914: { parse: phc, form: '{SCRYPT_RFC7914}$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt base64>$<key base64>' },
};

function problemOf(name: string, parts: Parts | undefined): string | undefined {
  const spec = FORMS[name];
  if (!spec || !parts) return `A pre-encoded {${name}} password must be ${spec?.form ?? 'scrypt'}.`;
  const { log2N, r, p } = parts;
  if (log2N < 1 || r < 1 || p < 1) return `A pre-encoded {${name}} password must have N of at least 2, r and p of at least 1.`;
  if (2 ** log2N * r > MAX_MEMORY_UNITS || 2 ** log2N * r * p > MAX_WORK) {
    return `A pre-encoded {${name}} password may have N·r of at most 2^19 (64 MiB) and N·r·p of at most 2^20.`;
  }
  if (parts.salt.length < 1 || parts.salt.length > MAX_SALT_BYTES) return `A pre-encoded {${name}} password must have a salt of 1 to ${MAX_SALT_BYTES} bytes.`;
  if (parts.key.length < MIN_KEY_BYTES || parts.key.length > MAX_KEY_BYTES) return `A pre-encoded {${name}} password must have a derived key of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes.`;
  return undefined;
}

const parse = (name: string, body: string): Parts | undefined => FORMS[name]?.parse(body);

function derive(password: string, parts: Parts): Promise<Buffer> {
  const options = { N: 2 ** parts.log2N, r: parts.r, p: parts.p, maxmem: MAX_MEMORY_BYTES };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, 'utf8'), parts.salt, parts.key.length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export const scryptScheme: PreEncodedScheme = {
  names: Object.keys(FORMS),
  problem: (name, body) => problemOf(name, parse(name, body)),
  verify: async (password, name, body) => {
    const parts = parse(name, body);
    if (!parts || problemOf(name, parts) !== undefined) return false;
    return sameBytes(await derive(password, parts), parts.key);
  },
};
