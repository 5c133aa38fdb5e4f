/**
 * Validation of a client's JWK Set (RFC 7517 §5): the `jwks` string an application registers,
 * or the document fetched from its `jwksUrl`. Problems name the key (1-based `#n`, plus its kid)
 * and the reason, and never contain the value of a private member. A fetched document's values
 * are shown by fingerprint only (`JwkReading`, see src/jose/jwk-values.ts).
 */
import { Buffer } from 'node:buffer';
import { isJsonObject } from '../domain/json-object.js';
import type { ClientPublicKey } from './client-public-key.js';
import { findDuplicateMember } from './json-duplicates.js';
import { checkJwk, usableForSignatures, validKid } from './jwk-checks.js';
import { SENT, type JwkReading, type Show } from './jwk-values.js';
import { invalid, tooLarge, type JoseProblem } from './problem.js';

export type JwkSetResult = { ok: true; keys: ClientPublicKey[] } | { ok: false; problems: JoseProblem[] };

export const MAX_JWKS_BYTES = 64 * 1024;
export const MAX_JWKS_KEYS = 50;
/** Enough to fix a set in one round trip without letting one request produce an unbounded body. */
const MAX_PROBLEMS = 20;

/** Parses and validates a JWK Set given as JSON text (never echoes private material). */
export function parseJwkSet(raw: string, target = 'jwks', reading: JwkReading = SENT): JwkSetResult {
  const { show } = reading;
  if (typeof raw !== 'string') return fail([invalid(target, `${target} must be a string holding a JWK Set`)]);
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > MAX_JWKS_BYTES) {
    return fail([tooLarge(target, `${target} is ${bytes} bytes; at most ${MAX_JWKS_BYTES} are allowed`, MAX_JWKS_BYTES)]);
  }
  const parsed = parseJson(raw);
  if (!parsed.ok) return fail([invalid(target, `${target} is not valid JSON${parsed.where}`)]);
  const duplicate = findDuplicateMember(raw);
  const result = checkJwkSetDocument(parsed.value, target, reading);
  if (duplicate === undefined) return result;
  const message = `${target} repeats the member name ${show(duplicate)}; member names must be unique (RFC 7517 §4)`;
  return fail(capProblems([invalid(target, message), ...(result.ok ? [] : result.problems)], target));
}

/** Validates a JWK Set already parsed from JSON. */
export function checkJwkSetDocument(doc: unknown, target = 'jwks', reading: JwkReading = SENT): JwkSetResult {
  const { show } = reading;
  const shape = keysOf(doc, target);
  if (!Array.isArray(shape)) return fail([shape]);
  const problems: JoseProblem[] = [];
  const keys: ClientPublicKey[] = [];
  shape.forEach((value, index) => {
    const verdict = checkJwk(value, reading);
    const label = keyLabel(target, index, value, show);
    for (const problem of verdict.problems) problems.push(invalid(target, `${label}: ${problem}`));
    if (verdict.key) keys.push(verdict.key);
  });
  problems.push(...duplicateKidProblems(shape, target, show));
  // Only meaningful once every key is sound; otherwise it would repeat the errors above.
  if (problems.length === 0 && !keys.some(usableForSignatures)) {
    problems.push(invalid(target, `${target} has no key usable to verify signatures; at least one key needs "use" absent or "sig", and "key_ops" absent or containing "verify"`));
  }
  return problems.length > 0 ? fail(capProblems(problems, target)) : { ok: true, keys };
}

function fail(problems: JoseProblem[]): JwkSetResult {
  return { ok: false, problems };
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

/** The `keys` array of a JWK Set (RFC 7517 §5), or the one problem explaining why there is none. */
function keysOf(doc: unknown, target: string): unknown[] | JoseProblem {
  if (!isJsonObject(doc)) return invalid(target, `${target} must be a JSON object with a "keys" array (RFC 7517 §5)`);
  const keys = doc.keys;
  if (!Array.isArray(keys)) return invalid(target, `${target} must have a "keys" member that is an array (RFC 7517 §5.1)`);
  if (keys.length === 0) return invalid(target, `${target} "keys" is empty; register at least one public key`);
  if (keys.length > MAX_JWKS_KEYS) {
    return tooLarge(target, `${target} has ${keys.length} keys; at most ${MAX_JWKS_KEYS} are allowed`, MAX_JWKS_KEYS);
  }
  return keys;
}

function keyLabel(target: string, index: number, key: unknown, show: Show): string {
  const kid = isJsonObject(key) && validKid(key.kid) ? ` (kid ${show(key.kid)})` : '';
  return `${target} key #${index + 1}${kid}`;
}

/** Kids are lookup keys for client assertions, so they must be distinct within one set. */
function duplicateKidProblems(keys: readonly unknown[], target: string, show: Show): JoseProblem[] {
  const firstIndex = new Map<string, number>();
  const problems: JoseProblem[] = [];
  keys.forEach((key, index) => {
    const kid = isJsonObject(key) ? key.kid : undefined;
    if (!validKid(kid)) return;
    const first = firstIndex.get(kid);
    if (first === undefined) firstIndex.set(kid, index);
    else problems.push(invalid(target, `${keyLabel(target, index, key, show)}: kid is already used by key #${first + 1}; kids must be distinct`));
  });
  return problems;
}

function capProblems(problems: JoseProblem[], target: string): JoseProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const hidden = problems.length - (MAX_PROBLEMS - 1);
  return [...problems.slice(0, MAX_PROBLEMS - 1), invalid(target, `${target} has ${hidden} further problems that are not listed`)];
}
