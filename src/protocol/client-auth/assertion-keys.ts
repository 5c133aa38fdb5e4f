/**
 * Which registered key may verify an assertion: only this client's keys, never `use: enc`, and
 * only a key whose type, size or curve and registered `alg` fit the header `alg` (RFC 8725 §3.1).
 * A set with several signing keys needs a `kid`, so only the key(s) carrying that one `kid` are tried.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { keyRequirement, MIN_RSA_BITS, sameAlgorithm } from '../../jose/algorithms.js';
import { fingerprint } from '../../jose/jwk-values.js';
import { InvalidClient } from '../errors.js';
import type { AssertionHeader } from './assertion-header.js';
import { show } from './assertion-values.js';
import type { Client, ClientKeySource, ClientSecrets, VerificationKey } from './ports.js';

/** A key ready to verify with, and what private details call it (made only for a failure's details). */
export interface CandidateKey {
  key: KeyObject;
  label: () => string;
}

/**
 * The registered key that must verify a PRIVATE_KEY_JWT assertion. An unknown `kid` asks the
 * key source once to refresh (a rotated `jwksUrl` set), then fails.
 */
export async function registeredKeys(client: Client, header: AssertionHeader, source: ClientKeySource, now: Date): Promise<CandidateKey[]> {
  const registered = await source.keysFor(client, { now });
  const { kid, alg } = header;
  if (kid === undefined) return [fitting(onlySigningKey(registered), alg)];
  const named = await keysNamed(kid, registered, () => source.keysFor(client, { now, refreshForKid: kid }));
  const usable = named.filter((key) => keyProblem(key, alg) === undefined);
  if (usable.length === 0) throw keyMismatch(named[0], alg);
  return usable.map((key) => ({ key: key.key, label: () => describeKey(key) }));
}

type NonEmpty<T> = [T, ...T[]];

/** The signing keys carrying `kid`, refreshing the set once when none does. */
async function keysNamed(
  kid: string,
  registered: readonly VerificationKey[],
  refresh: () => Promise<readonly VerificationKey[]>,
): Promise<NonEmpty<VerificationKey>> {
  let keys = signingKeys(registered);
  let named = keys.filter((key) => key.kid === kid);
  if (named.length === 0 && registered.some((key) => key.kid === kid)) {
    throw new InvalidClient('KID_UNKNOWN', `kid ${show(kid)} names a key registered for encryption (use "enc")`);
  }
  if (named.length === 0) {
    keys = signingKeys(await refresh());
    named = keys.filter((key) => key.kid === kid);
  }
  const [first, ...rest] = named;
  if (first !== undefined) return [first, ...rest];
  if (keys.length === 0) throw noKeys();
  const unnamed = keys.filter((key) => key.kid === undefined).length;
  const hint = unnamed > 0 ? `; ${unnamed} of them carry no kid (register one, or omit kid when there is a single key)` : '';
  const where = `the application's ${keys.length} signing key(s), also after asking for a refresh`;
  throw new InvalidClient('KID_UNKNOWN', `kid ${show(kid)} is not among ${where}${hint}`);
}

/** CLIENT_SECRET_JWT: the current secret, then the previous one until it expires. */
export function secretKeys(secrets: ClientSecrets | undefined, now: Date): CandidateKey[] {
  if (!secrets) throw new InvalidClient('NO_KEYS', 'the application has no client secret');
  const keys = [{ key: createSecretKey(Buffer.from(secrets.current, 'utf8')), label: () => 'the current client secret' }];
  const previous = secrets.previous;
  if (previous !== undefined && previous.expiresAt.getTime() > now.getTime()) {
    keys.push({ key: createSecretKey(Buffer.from(previous.secret, 'utf8')), label: () => 'the previous client secret' });
  }
  return keys;
}

/** Why `key` cannot verify `alg`, or undefined when it can. Reads the key material, not only its labels. */
export function keyProblem(key: VerificationKey, alg: string): string | undefined {
  const required = keyRequirement(alg);
  if (!required) return `${alg} is not an asymmetric signature algorithm`;
  if (key.alg !== undefined && !sameAlgorithm(key.alg, alg)) return `the key is registered for ${show(key.alg)}, the assertion uses ${alg}`;
  if (key.key.type !== 'public') return 'the registered key is not a public key';
  if (key.kty !== required.kty) return `${alg} needs a ${required.kty} key, the key is ${key.kty}`;
  const details = key.key.asymmetricKeyDetails;
  switch (required.kty) {
    case 'RSA': {
      if (key.key.asymmetricKeyType !== 'rsa') return `${alg} needs an RSA key, the key is ${String(key.key.asymmetricKeyType)}`;
      const bits = details?.modulusLength ?? 0;
      return bits < MIN_RSA_BITS ? `the RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required` : undefined;
    }
    case 'EC':
      if (key.key.asymmetricKeyType !== 'ec' || details?.namedCurve !== required.namedCurve || (key.crv !== undefined && key.crv !== required.crv)) {
        return `${alg} needs an EC key on ${required.crv}, the key is on ${String(key.crv ?? details?.namedCurve)}`;
      }
      return undefined;
    case 'OKP':
      if (key.key.asymmetricKeyType !== 'ed25519' || (key.crv !== undefined && key.crv !== required.crv)) {
        return `${alg} needs an Ed25519 key, the key is ${String(key.crv ?? key.key.asymmetricKeyType)}`;
      }
      return undefined;
  }
}

function signingKeys(keys: readonly VerificationKey[]): VerificationKey[] {
  return keys.filter((key) => key.use !== 'enc');
}

/** Without a kid there must be exactly one signing key: Keyway never guesses among several. */
function onlySigningKey(registered: readonly VerificationKey[]): VerificationKey {
  const keys = signingKeys(registered);
  const [only] = keys;
  if (only === undefined) throw noKeys();
  if (keys.length > 1) {
    throw new InvalidClient('KID_REQUIRED', `the application has ${keys.length} signing keys; the assertion header must name one with kid`);
  }
  return only;
}

function fitting(key: VerificationKey, alg: string): CandidateKey {
  if (keyProblem(key, alg) !== undefined) throw keyMismatch(key, alg);
  return { key: key.key, label: () => describeKey(key) };
}

function keyMismatch(key: VerificationKey, alg: string): InvalidClient {
  return new InvalidClient('KEY_ALG_MISMATCH', `${describeKey(key)} cannot verify ${alg}: ${keyProblem(key, alg) ?? 'unsuitable key'}`);
}

function noKeys(): InvalidClient {
  return new InvalidClient('NO_KEYS', 'the application has no key usable to verify signatures (jwks, jwksUrl or certificate)');
}

/**
 * A `jwksUrl` key's kid is text of a fetched document, so details (read by administrators, logged)
 * show its fingerprint rather than the text; registered and uploaded keys' kids are shown as they are.
 */
function describeKey(key: VerificationKey): string {
  if (key.kid === undefined) return `the ${key.source} key without kid`;
  return key.source === 'jwksUrl' ? `jwksUrl key with kid ${fingerprint(key.kid)}` : `${key.source} key ${show(key.kid)}`;
}
