/**
 * Validation of client public keys registered on an application: the `jwks` string (a JWK Set,
 * RFC 7517 §5) and `jwksUrl`. Messages name the key (1-based `#n`, plus its kid) and the reason,
 * and never contain the value of a private member.
 */
import { Buffer } from 'node:buffer';
import { detail, type ErrorDetail } from '../errors.js';
import { isJsonObject } from '../fields.js';
import { findDuplicateMember } from './json-duplicates.js';
import { checkJwk, usableForSignatures, validKid } from './jwk-checks.js';
import { quote } from './jwk-values.js';

/** A validated public key, ready for `crypto.createPublicKey({ key: jwk, format: 'jwk' })`. */
export interface ClientPublicKey {
  kid?: string;
  kty: 'RSA' | 'EC' | 'OKP';
  /** `alg` when the JWK names one. */
  alg?: string;
  use?: string;
  /** EC / OKP curve. */
  crv?: string;
  /** The public JWK members exactly as sent (public members only). */
  jwk: Record<string, unknown>;
}

export type JwksValidation = { ok: true; keys: ClientPublicKey[] } | { ok: false; details: ErrorDetail[] };

export const MAX_JWKS_BYTES = 64 * 1024;
export const MAX_JWKS_KEYS = 50;
export const MAX_JWKS_URL_LENGTH = 2048;
/** Enough to fix a set in one round trip without letting one request produce an unbounded body. */
const MAX_DETAILS = 20;

/** Validates the `jwks` string of an application (never echoes private material). */
export function validateJwksString(raw: string, target = 'jwks'): JwksValidation {
  if (typeof raw !== 'string') return fail([detail.invalid(target, `${target} must be a string holding a JWK Set`)]);
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > MAX_JWKS_BYTES) {
    return fail([detail.size(target, `${target} is ${bytes} bytes; at most ${MAX_JWKS_BYTES} are allowed`, MAX_JWKS_BYTES)]);
  }
  const parsed = parseJson(raw);
  if (!parsed.ok) return fail([detail.invalid(target, `${target} is not valid JSON${parsed.where}`)]);
  const duplicate = findDuplicateMember(raw);
  const result = validateJwksDocument(parsed.value, target);
  if (duplicate === undefined) return result;
  const message = `${target} repeats the member name ${quote(duplicate)}; member names must be unique (RFC 7517 §4)`;
  return fail(capDetails([detail.invalid(target, message), ...(result.ok ? [] : result.details)], target));
}

/** Validates a JWK Set already parsed from JSON (used for sets fetched from `jwksUrl`). */
export function validateJwksDocument(doc: unknown, target = 'jwks'): JwksValidation {
  const shape = keysOf(doc, target);
  if (!Array.isArray(shape)) return fail([shape]);
  const details: ErrorDetail[] = [];
  const keys: ClientPublicKey[] = [];
  shape.forEach((value, index) => {
    const verdict = checkJwk(value);
    const label = keyLabel(target, index, value);
    for (const problem of verdict.problems) details.push(detail.invalid(target, `${label}: ${problem}`));
    if (verdict.key) keys.push(verdict.key);
  });
  details.push(...duplicateKidDetails(shape, target));
  // Only meaningful once every key is sound; otherwise it would repeat the errors above.
  if (details.length === 0 && !keys.some(usableForSignatures)) {
    details.push(detail.invalid(target, `${target} has no key usable to verify signatures; at least one key needs "use" absent or "sig", and "key_ops" absent or containing "verify"`));
  }
  return details.length > 0 ? fail(capDetails(details, target)) : { ok: true, keys };
}

/** Validates a `jwksUrl` value: https, no credentials, no fragment. Returns the details found. */
export function validateJwksUrl(raw: string, target = 'jwksUrl'): ErrorDetail[] {
  if (typeof raw !== 'string') return [detail.invalid(target, `${target} must be a string`)];
  if (raw.length > MAX_JWKS_URL_LENGTH) {
    return [detail.size(target, `${target} is ${raw.length} characters; at most ${MAX_JWKS_URL_LENGTH} are allowed`, MAX_JWKS_URL_LENGTH)];
  }
  // The URL parser strips surrounding spaces and inner tabs/newlines; the stored string must be the URL itself.
  if (/[\u0000-\u0020\u007f]/.test(raw)) return [detail.invalid(target, `${target} must not contain spaces or control characters`)];
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url) return [detail.invalid(target, `${target} must be an absolute https URL`)];
  const details: ErrorDetail[] = [];
  if (url.protocol !== 'https:') details.push(detail.invalid(target, `${target} must use https, not ${url.protocol.slice(0, -1)}`));
  if (url.username !== '' || url.password !== '') details.push(detail.invalid(target, `${target} must not contain a username or password`));
  // `url.hash` is empty for a bare trailing '#', so look at the raw string.
  if (raw.includes('#')) details.push(detail.invalid(target, `${target} must not contain a fragment`));
  if (url.hostname === '') details.push(detail.invalid(target, `${target} must name a host`));
  return details;
}

function fail(details: ErrorDetail[]): JwksValidation {
  return { ok: false, details };
}

type Parsed = { ok: true; value: unknown } | { ok: false; where: string };

/** V8's parse messages can quote the input (and so a private key); keep the position only. */
function parseJson(raw: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (err) {
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    return { ok: false, where: position === undefined ? '' : ` (error at position ${position})` };
  }
}

/** The `keys` array of a JWK Set (RFC 7517 §5), or the one detail explaining why there is none. */
function keysOf(doc: unknown, target: string): unknown[] | ErrorDetail {
  if (!isJsonObject(doc)) return detail.invalid(target, `${target} must be a JSON object with a "keys" array (RFC 7517 §5)`);
  const keys = doc.keys;
  if (!Array.isArray(keys)) return detail.invalid(target, `${target} must have a "keys" member that is an array (RFC 7517 §5.1)`);
  if (keys.length === 0) return detail.invalid(target, `${target} "keys" is empty; register at least one public key`);
  if (keys.length > MAX_JWKS_KEYS) {
    return detail.size(target, `${target} has ${keys.length} keys; at most ${MAX_JWKS_KEYS} are allowed`, MAX_JWKS_KEYS);
  }
  return keys;
}

function keyLabel(target: string, index: number, key: unknown): string {
  const kid = isJsonObject(key) && validKid(key.kid) ? ` (kid ${quote(key.kid)})` : '';
  return `${target} key #${index + 1}${kid}`;
}

/** Kids are lookup keys for client assertions, so they must be distinct within one set. */
function duplicateKidDetails(keys: readonly unknown[], target: string): ErrorDetail[] {
  const firstIndex = new Map<string, number>();
  const details: ErrorDetail[] = [];
  keys.forEach((key, index) => {
    const kid = isJsonObject(key) ? key.kid : undefined;
    if (!validKid(kid)) return;
    const first = firstIndex.get(kid);
    if (first === undefined) firstIndex.set(kid, index);
    else details.push(detail.invalid(target, `${keyLabel(target, index, key)}: kid is already used by key #${first + 1}; kids must be distinct`));
  });
  return details;
}

function capDetails(details: ErrorDetail[], target: string): ErrorDetail[] {
  if (details.length <= MAX_DETAILS) return details;
  const hidden = details.length - (MAX_DETAILS - 1);
  return [...details.slice(0, MAX_DETAILS - 1), detail.invalid(target, `${target} has ${hidden} further problems that are not listed`)];
}
