/**
 * Client key pairs for `private_key_jwt` (RFC 7523 §2.2): generation, the public JWK a client
 * registers in its application's `jwks`, its RFC 7638 thumbprint, reading a PEM private key, and
 * which JWS `alg` fits which key (RFC 7518 §3.1, RFC 8037 §3.1).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { newKeyPairOf } from '../keys/key-pair.js';

export const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export const RSA_BITS = [2048, 3072, 4096] as const;

/** Node's curve names and the one `alg` each allows (RFC 7518 §3.4). */
const EC_ALG_BY_CURVE: Readonly<Record<string, SigningAlg>> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const JWK_CURVE: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

export interface ClientKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function isSigningAlg(value: string): value is SigningAlg {
  return (SIGNING_ALGS as readonly string[]).includes(value);
}

const isRsaAlg = (alg: SigningAlg): boolean => alg.startsWith('RS') || alg.startsWith('PS');

/** RSA (2048 bits unless told) for RS and PS, the alg's curve for ES, Ed25519 for EdDSA (../keys/key-pair.ts). */
export function generateClientKeyPair(alg: SigningAlg, rsaBits = 2048): Promise<ClientKeyPair> {
  if (isRsaAlg(alg)) return newKeyPairOf({ type: 'rsa', modulusLength: rsaBits });
  if (alg === 'EdDSA') return newKeyPairOf({ type: 'ed25519' });
  return newKeyPairOf({ type: 'ec', namedCurve: JWK_CURVE[alg] as string });
}

/** The public JWK to register: the key members, then `kid`, `use: "sig"` and `alg`. */
export function publicJwk(publicKey: KeyObject, kid: string, alg: SigningAlg): JWK {
  return { ...keyMembers(publicKey), kid, use: 'sig', alg };
}

/** RFC 7638 SHA-256 thumbprint of the public key, the default `kid`. */
export function thumbprint(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(keyMembers(publicKey), 'sha256');
}

/** The `jwks` string of an application holding one key: a JSON text, as PingOne expects. */
export function jwksString(jwk: JWK): string {
  return JSON.stringify({ keys: [jwk] });
}

export function pkcs8Pem(privateKey: KeyObject): string {
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Reads a PEM private key (PKCS#8, PKCS#1 or SEC1). Errors name the file, never its content. */
export function readPrivateKey(path: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the key file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
    throw new Error(`${path} holds a public key; pass the private key file`);
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error(`${path} does not hold an unencrypted PEM private key`);
  }
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** The alg a key is used with when none is given; undefined for key types a client cannot use. */
export function inferAlg(key: KeyObject): SigningAlg | undefined {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ec':
      return EC_ALG_BY_CURVE[key.asymmetricKeyDetails?.namedCurve ?? ''];
    case 'ed25519':
      return 'EdDSA';
    default:
      return undefined;
  }
}

/** Why `alg` cannot be used with `key`, or undefined when it can. */
export function algMismatch(alg: SigningAlg, key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType;
  if (isRsaAlg(alg)) {
    const rsa = type === 'rsa' || (type === 'rsa-pss' && alg.startsWith('PS'));
    if (!rsa) return `${alg} needs an RSA key, not ${describeKey(key)}`;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < 2048 ? `the RSA key has ${bits} bits; at least 2048 are required` : undefined;
  }
  const fits = inferAlg(key) === alg;
  return fits ? undefined : `${alg} needs ${alg === 'EdDSA' ? 'an Ed25519 key' : `an EC ${JWK_CURVE[alg]} key`}, not ${describeKey(key)}`;
}

function describeKey(key: KeyObject): string {
  if (key.asymmetricKeyType === 'ec') return `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'}`;
  return `a ${key.asymmetricKeyType ?? 'symmetric'} key`;
}

/** Only the members that define the public key (RFC 7638 §3.2), `kty` first for readability. */
function keyMembers(publicKey: KeyObject): JWK {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') return { kty: 'RSA', n: jwk.n, e: jwk.e };
  if (jwk.kty === 'EC') return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  return { kty: 'OKP', crv: jwk.crv, x: jwk.x };
}
