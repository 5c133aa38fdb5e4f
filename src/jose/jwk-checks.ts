/**
 * Checks of one JWK from a client's key set: no private material, a supported `kty`, sound key
 * material, and well-formed common members (RFC 7517 §4). Produces the public-only JWK on success.
 */
import { isJsonObject } from '../domain/json-object.js';
import type { ClientPublicKey } from './client-public-key.js';
import { checkEc, checkOkp, checkRsa, type Jwk } from './jwk-kty.js';
import { decodeBase64Url, isStandardBase64, SENT, type JwkReading, type Show } from './jwk-values.js';
import { certificateMemberProblems } from './jwk-x5c.js';

/**
 * Members that carry private or symmetric material, checked on every key whatever its `kty`
 * (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). `priv` is the private member of the draft
 * AKP (ML-DSA) key type, listed so that a post-quantum private key is refused for the right reason.
 */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;

const SUPPORTED_KTY = ['RSA', 'EC', 'OKP'] as const;
type SupportedKty = (typeof SUPPORTED_KTY)[number];

const MATERIAL_CHECKS: Readonly<Record<SupportedKty, (jwk: Jwk, reading: JwkReading) => string[]>> = {
  RSA: checkRsa,
  EC: checkEc,
  OKP: checkOkp,
};

/** Members copied to the stored public JWK; anything else the client sent is dropped. */
const MATERIAL_MEMBERS: Readonly<Record<SupportedKty, readonly string[]>> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};
const COMMON_MEMBERS = ['kid', 'alg', 'use', 'key_ops', 'x5c', 'x5t', 'x5t#S256'] as const;

export const MAX_KID_LENGTH = 256;

export interface KeyVerdict {
  /** Message fragments, without the key's label. Empty when the key is accepted. */
  problems: string[];
  key?: ClientPublicKey;
}

/**
 * Validates one member of `keys`; stops early once a problem makes further checks meaningless.
 * `reading` says how messages show the key's own values and which rules apply (see `JwkReading`).
 */
export function checkJwk(value: unknown, reading: JwkReading = SENT): KeyVerdict {
  const { show } = reading;
  if (!isJsonObject(value)) return { problems: ['must be a JSON object'] };
  const privateMembers = PRIVATE_MEMBERS.filter((name) => Object.hasOwn(value, name));
  if (privateMembers.length > 0) return { problems: [privateMaterialMessage(privateMembers)] };
  const kty = value.kty;
  if (kty === 'oct') return { problems: ['kty "oct" is a symmetric key; register public keys only'] };
  if (!isSupportedKty(kty)) return { problems: [unsupportedKtyMessage(kty, show)] };
  const problems = [...MATERIAL_CHECKS[kty](value, reading), ...commonMemberProblems(value, show)];
  // Comparing with the certificate needs a sound key and well-formed members.
  if (problems.length === 0 && !reading.stored) problems.push(...certificateMemberProblems(value));
  return problems.length > 0 ? { problems } : { problems, key: toClientPublicKey(value, kty) };
}

/** Names the members only: their values are secrets and must never reach a response or log. */
function privateMaterialMessage(names: readonly string[]): string {
  const list = names.map((n) => `"${n}"`).join(', ');
  const noun = names.length === 1 ? 'member' : 'members';
  return `contains private key ${noun} ${list}; register public keys only`;
}

function isSupportedKty(kty: unknown): kty is SupportedKty {
  return typeof kty === 'string' && (SUPPORTED_KTY as readonly string[]).includes(kty);
}

function unsupportedKtyMessage(kty: unknown, show: Show): string {
  if (kty === undefined) return '"kty" is required (RFC 7517 §4.1); use RSA, EC or OKP';
  return `kty ${show(kty)} is not supported; use RSA, EC or OKP`;
}

function commonMemberProblems(jwk: Jwk, show: Show): string[] {
  return [
    ...kidProblems(jwk.kid),
    ...useProblems(jwk.use, show),
    ...keyOpsProblems(jwk.key_ops, show),
    ...x5cProblems(jwk.x5c),
    ...thumbprintProblems(jwk.x5t, 'x5t', 20, 'RFC 7517 §4.8'),
    ...thumbprintProblems(jwk['x5t#S256'], 'x5t#S256', 32, 'RFC 7517 §4.9'),
  ];
}

/** A `kid` usable as a lookup key; keys without one are allowed. */
export function validKid(kid: unknown): kid is string {
  return typeof kid === 'string' && kid.length > 0 && kid.length <= MAX_KID_LENGTH;
}

function kidProblems(kid: unknown): string[] {
  if (kid === undefined || validKid(kid)) return [];
  if (typeof kid === 'string' && kid.length > MAX_KID_LENGTH) {
    return [`"kid" is ${kid.length} characters; at most ${MAX_KID_LENGTH} are allowed`];
  }
  return ['"kid" must be a non-empty string (RFC 7517 §4.5)'];
}

function useProblems(use: unknown, show: Show): string[] {
  if (use === undefined || use === 'sig' || use === 'enc') return [];
  return [`use ${show(use)} is not allowed; use "sig" or "enc" (RFC 7517 §4.2)`];
}

function keyOpsProblems(ops: unknown, show: Show): string[] {
  if (ops === undefined) return [];
  if (!Array.isArray(ops) || !ops.every((op) => typeof op === 'string')) {
    return ['"key_ops" must be an array of strings (RFC 7517 §4.3)'];
  }
  const repeated = ops.find((op, i) => ops.indexOf(op) !== i);
  return repeated === undefined ? [] : [`"key_ops" lists ${show(repeated)} twice (RFC 7517 §4.3)`];
}

/** `x5c`'s shape; its first certificate is compared with the key in jwk-x5c.ts. */
function x5cProblems(x5c: unknown): string[] {
  if (x5c === undefined) return [];
  if (!Array.isArray(x5c) || x5c.length === 0) return ['"x5c" must be a non-empty array of base64 strings (RFC 7517 §4.7)'];
  const bad = x5c.findIndex((cert) => !isStandardBase64(cert));
  if (bad === -1) return [];
  return [`"x5c"[${bad}] is not standard padded base64; RFC 7517 §4.7 requires base64, not base64url`];
}

function thumbprintProblems(value: unknown, name: string, size: number, clause: string): string[] {
  if (value === undefined || decodeBase64Url(value)?.length === size) return [];
  return [`"${name}" must be a ${size}-octet digest, base64url-encoded (${clause})`];
}

/** RFC 7517 §4.2/§4.3: a key verifies signatures unless `use` or `key_ops` say otherwise. */
export function usableForSignatures(key: ClientPublicKey): boolean {
  const ops = key.jwk.key_ops;
  const useOk = key.use === undefined || key.use === 'sig';
  return useOk && (!Array.isArray(ops) || ops.includes('verify'));
}

function toClientPublicKey(jwk: Jwk, kty: SupportedKty): ClientPublicKey {
  const publicJwk: Jwk = { kty };
  for (const name of [...MATERIAL_MEMBERS[kty], ...COMMON_MEMBERS]) {
    const value = jwk[name];
    if (value !== undefined) publicJwk[name] = Array.isArray(value) ? [...value] : value;
  }
  const key: ClientPublicKey = { kty, jwk: publicJwk };
  if (typeof jwk.kid === 'string') key.kid = jwk.kid;
  if (typeof jwk.alg === 'string') key.alg = jwk.alg;
  if (typeof jwk.use === 'string') key.use = jwk.use;
  if (typeof jwk.crv === 'string' && kty !== 'RSA') key.crv = jwk.crv;
  return key;
}
