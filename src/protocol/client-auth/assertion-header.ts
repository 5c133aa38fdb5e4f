/**
 * The JOSE header of a client assertion: algorithm allow-list and pin, `typ`, and the header
 * members Keyway refuses to honour (RFC 8725 §3.1, §3.11; RFC 7515 §4.1.9, §4.1.10, §4.1.11;
 * RFC 7797 §3).
 */
import type { JsonObject } from '../../domain/json-object.js';
import { ASSERTION_ALGORITHMS, type AssertionMethod } from '../../jose/algorithms.js';
import { MAX_KID_LENGTH } from '../../jose/jwk-checks.js';
import { InvalidClient } from '../errors.js';
import { show } from './assertion-values.js';

/** `typ` values naming a client assertion, after RFC 7515 §4.1.9 media-type normalisation. */
const ACCEPTED_TYP = new Set(['jwt', 'client-authentication+jwt']);

export interface AssertionHeader {
  alg: string;
  /** A lookup key among this client's keys only. */
  kid?: string;
}

/**
 * Checks the header of an unverified assertion. `jwk`, `jku`, `x5u`, `x5c` and `x5t` are ignored
 * on purpose: keys come from the application's registration, never from the token (RFC 8725 §3.10).
 */
export function checkAssertionHeader(header: JsonObject, method: AssertionMethod, pinnedAlg: string | undefined): AssertionHeader {
  const alg = allowedAlg(header.alg, method);
  assertPinned(alg, pinnedAlg);
  assertTyp(header.typ);
  assertNoCty(header.cty);
  assertB64(header.b64);
  assertNoCrit(header.crit);
  const kid = kidOf(header.kid);
  return kid === undefined ? { alg } : { alg, kid };
}

/** RFC 8725 §3.1: each method has its own list; an unsecured JWS is never a credential. */
function allowedAlg(alg: unknown, method: AssertionMethod): string {
  if (alg === undefined) throw new InvalidClient('ALG_NOT_ALLOWED', 'the header has no alg');
  if (typeof alg !== 'string') throw new InvalidClient('ALG_NOT_ALLOWED', `alg must be a string, got ${show(alg)}`);
  if (alg.toLowerCase() === 'none') {
    throw new InvalidClient('ALG_NOT_ALLOWED', `alg ${show(alg)} is an unsecured JWS and is never accepted (RFC 8725 §3.1)`);
  }
  const allowed = ASSERTION_ALGORITHMS[method];
  if (!allowed.includes(alg)) {
    throw new InvalidClient('ALG_NOT_ALLOWED', `alg ${show(alg)} is not accepted for ${method}; use one of ${allowed.join(', ')}`);
  }
  return alg;
}

function assertPinned(alg: string, pinnedAlg: string | undefined): void {
  if (pinnedAlg !== undefined && alg !== pinnedAlg) {
    throw new InvalidClient('ALG_PIN_MISMATCH', `the application accepts only ${pinnedAlg} (tokenEndpointAuthSigningAlg); the assertion uses ${alg}`);
  }
}

/**
 * RFC 7515 §4.1.9: `typ` is a media type, compared case-insensitively, with `application/`
 * omissible. Another JWT kind (`at+jwt`, `dpop+jwt`, ...) must never pass as a client assertion
 * (RFC 8725 §3.11).
 */
function assertTyp(typ: unknown): void {
  if (typ === undefined) return;
  if (typeof typ !== 'string') throw new InvalidClient('TYP_INVALID', `typ must be a string, got ${show(typ)}`);
  const lower = typ.toLowerCase();
  const normalised = lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
  if (!ACCEPTED_TYP.has(normalised)) {
    throw new InvalidClient('TYP_INVALID', `typ ${show(typ)} names another kind of JWT; use JWT or client-authentication+jwt, or omit typ`);
  }
}

/**
 * RFC 7515 §4.1.10 / RFC 7519 §5.2: `cty` describes the payload, and `JWT` there declares a nested
 * JWT whose claims are inside another token. A client assertion's payload is its own claims set
 * (RFC 7523 §3), so any `cty` means the token is something else: refused rather than ignored, so
 * a token minted for another purpose cannot pass as a client assertion (RFC 8725 §3.11).
 */
function assertNoCty(cty: unknown): void {
  if (cty !== undefined) throw new InvalidClient('CTY_UNSUPPORTED', `cty ${show(cty)} is not accepted; a client assertion's payload is its claims set`);
}

/** RFC 7797 §3: an unencoded payload changes what is signed; only the default is accepted. */
function assertB64(b64: unknown): void {
  if (b64 !== undefined && b64 !== true) {
    throw new InvalidClient('B64_UNSUPPORTED', `b64 ${show(b64)} is not supported; the payload must be base64url-encoded`);
  }
}

/** RFC 7515 §4.1.11: Keyway understands no extension, so any `crit` must be refused. */
function assertNoCrit(crit: unknown): void {
  if (crit !== undefined) throw new InvalidClient('CRIT_UNSUPPORTED', `crit ${show(crit)} names extensions Keyway does not process`);
}

function kidOf(kid: unknown): string | undefined {
  if (kid === undefined) return undefined;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) {
    throw new InvalidClient('KID_INVALID', `kid must be a string of 1 to ${MAX_KID_LENGTH} characters, got ${show(kid)}`);
  }
  return kid;
}
