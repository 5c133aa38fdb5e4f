/**
 * Key-material checks per `kty` (RFC 7518 §6.2.1 EC, §6.3.1 RSA; RFC 8037 §2 OKP). Each check
 * returns the problems found, as message fragments without the key's label.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { ASSERTION_ALGORITHMS, keyRequirement, MIN_RSA_BITS } from './algorithms.js';
import { decodeBase64Url, SENT, toBigInt, unsignedBitLength, type JwkReading, type Show } from './jwk-values.js';

export type Jwk = Record<string, unknown>;

const RSA_MAX_BITS = 8192;
const RSA_MAX_EXPONENT = 2n ** 32n;
const RSA_ALGS = signingAlgorithmsFor('RSA');
const OKP_ALGS = signingAlgorithmsFor('OKP');

/** Coordinate length in octets (RFC 7518 §6.2.1.2 requires the full size) and the matching alg. */
const EC_CURVES: Readonly<Record<string, { size: number; alg: string }>> = {
  'P-256': { size: 32, alg: 'ES256' },
  'P-384': { size: 48, alg: 'ES384' },
  'P-521': { size: 66, alg: 'ES512' },
};
const EC_ALGS = new Set(Object.values(EC_CURVES).map((c) => c.alg));

export function checkRsa(jwk: Jwk, reading: JwkReading = SENT): string[] {
  const n = decodeBase64Url(jwk.n);
  const e = decodeBase64Url(jwk.e);
  const problems = [
    ...(n ? modulusProblems(n, reading.stored) : [notBase64Url('n', 'RSA modulus', 'RFC 7518 §6.3.1.1')]),
    ...(e ? exponentProblems(e, reading.stored) : [notBase64Url('e', 'RSA exponent', 'RFC 7518 §6.3.1.2')]),
    ...algProblems(jwk.alg, RSA_ALGS, 'an RSA key', reading.show),
  ];
  if (problems.length === 0 && !imports({ kty: 'RSA', n: jwk.n, e: jwk.e })) {
    problems.push('the RSA public key could not be imported');
  }
  return problems;
}

/**
 * RFC 7518 §6.3.1.1/§6.3.1.2: `n` and `e` are the minimal big-endian encodings. A leading zero
 * octet is refused rather than ignored, so that the stored string has one reading (and one RFC 7638
 * thumbprint) for every parser.
 */
function leadingZero(bytes: Uint8Array, member: 'n' | 'e', clause: string, stored: boolean): string[] {
  if (stored || bytes.length < 2 || bytes[0] !== 0) return [];
  return [`"${member}" starts with a zero octet; ${clause} requires the shortest encoding, without leading zeros`];
}

function modulusProblems(n: Uint8Array, stored: boolean): string[] {
  const zero = leadingZero(n, 'n', 'RFC 7518 §6.3.1.1', stored);
  if (zero.length > 0) return zero;
  const bits = unsignedBitLength(n);
  if (bits < MIN_RSA_BITS) return [`RSA modulus is ${bits} bits; at least ${MIN_RSA_BITS} are required`];
  if (bits > RSA_MAX_BITS) return [`RSA modulus is ${bits} bits; at most ${RSA_MAX_BITS} are allowed`];
  // A product of two odd primes is odd; an even "modulus" is corrupt or not RSA at all.
  if (((n[n.length - 1] ?? 0) & 1) === 0) return ['RSA modulus is even, so it cannot be an RSA modulus'];
  return [];
}

function exponentProblems(e: Uint8Array, stored: boolean): string[] {
  const zero = leadingZero(e, 'e', 'RFC 7518 §6.3.1.2', stored);
  if (zero.length > 0) return zero;
  // Bound the length before building a BigInt from caller input.
  if (unsignedBitLength(e) > 33) return ['RSA exponent "e" is larger than 2^32; 65537 is typical'];
  const value = toBigInt(e);
  if (value > RSA_MAX_EXPONENT) return ['RSA exponent "e" is larger than 2^32; 65537 is typical'];
  if (value < 3n) return [`RSA exponent "e" is ${value}; it must be at least 3 (65537 is typical)`];
  if (value % 2n === 0n) return [`RSA exponent "e" is ${value}, which is even; it must be odd (65537 is typical)`];
  return [];
}

export function checkEc(jwk: Jwk, { show }: JwkReading = SENT): string[] {
  const crv = jwk.crv;
  const curve = typeof crv === 'string' && Object.hasOwn(EC_CURVES, crv) ? EC_CURVES[crv] : undefined;
  if (typeof crv !== 'string' || !curve) return [unsupportedCurve(crv, 'EC', 'P-256, P-384 or P-521', show)];
  const problems = [
    ...coordinateProblems(jwk.x, 'x', curve.size, crv),
    ...coordinateProblems(jwk.y, 'y', curve.size, crv),
    ...ecAlgProblems(jwk.alg, crv, curve.alg, show),
  ];
  // OpenSSL validates the point on import (Node 20); the test suite pins that behaviour.
  if (problems.length === 0 && !imports({ kty: 'EC', crv, x: jwk.x, y: jwk.y })) {
    problems.push(`point is not on curve ${crv}`);
  }
  return problems;
}

function coordinateProblems(value: unknown, name: 'x' | 'y', size: number, crv: string): string[] {
  const bytes = decodeBase64Url(value);
  if (!bytes) return [notBase64Url(name, 'EC coordinate', 'RFC 7518 §6.2.1.2')];
  if (bytes.length !== size) {
    return [`"${name}" is ${bytes.length} octets; curve ${crv} requires exactly ${size} (RFC 7518 §6.2.1.2)`];
  }
  return [];
}

function ecAlgProblems(alg: unknown, crv: string, expected: string, show: Show): string[] {
  if (alg === undefined || alg === expected) return [];
  if (typeof alg === 'string' && EC_ALGS.has(alg)) return [`alg ${alg} does not match curve ${crv}; use ${expected}`];
  return [`alg ${show(alg)} cannot be used with an EC key on curve ${crv}; use ${expected}`];
}

export function checkOkp(jwk: Jwk, { show }: JwkReading = SENT): string[] {
  if (jwk.crv !== 'Ed25519') return [unsupportedCurve(jwk.crv, 'OKP', 'Ed25519', show)];
  const x = decodeBase64Url(jwk.x);
  const problems = [
    ...(x && x.length === 32 ? [] : ['"x" must be the 32-octet Ed25519 public key, base64url-encoded (RFC 8037 §2)']),
    ...algProblems(jwk.alg, OKP_ALGS, 'an Ed25519 key', show),
  ];
  if (problems.length === 0 && !imports({ kty: 'OKP', crv: 'Ed25519', x: jwk.x })) {
    problems.push('the Ed25519 public key could not be imported');
  }
  return problems;
}

function algProblems(alg: unknown, allowed: readonly string[], keyKind: string, show: Show): string[] {
  if (alg === undefined || (typeof alg === 'string' && allowed.includes(alg))) return [];
  return [`alg ${show(alg)} cannot be used with ${keyKind}; use one of ${allowed.join(', ')}`];
}

function unsupportedCurve(crv: unknown, kty: string, allowed: string, show: Show): string {
  if (crv === undefined) return `"crv" is required for ${kty} keys; use ${allowed}`;
  return `crv ${show(crv)} is not supported for ${kty} keys; use ${allowed}`;
}

function notBase64Url(member: string, what: string, clause: string): string {
  return `"${member}" (${what}) must be an unpadded base64url string (${clause})`;
}

/** Last line of defence: the material must load as a public key in node:crypto. */
function imports(material: Jwk): boolean {
  try {
    return createPublicKey({ key: material as JsonWebKey, format: 'jwk' }).type === 'public';
  } catch {
    return false;
  }
}

/** The PRIVATE_KEY_JWT algorithms whose key is of type `kty`, in the allow-list's order. */
function signingAlgorithmsFor(kty: 'RSA' | 'OKP'): readonly string[] {
  return ASSERTION_ALGORITHMS.PRIVATE_KEY_JWT.filter((alg) => keyRequirement(alg)?.kty === kty);
}
