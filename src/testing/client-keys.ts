/**
 * Client keys for `private_key_jwt` (RFC 7523 §2.2): a private key given as a KeyObject, a PEM
 * text or a private JWK, its `alg` and `kid`; and new key pairs with the `jwks` text an
 * application registers (PingOne's `jwks` attribute holds a JWK Set as a string).
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { algMismatch, generateClientKeyPair, inferAlg, isSigningAlg, jwksString, publicJwk, publicKeyOf, thumbprint, type SigningAlg } from '../cli/client-key.js';

export type { SigningAlg } from '../cli/client-key.js';

/** A private key ready to sign with: its JWS `alg` and the `kid` its header names. */
export interface SigningClientKey {
  privateKey: KeyObject;
  alg: SigningAlg;
  kid: string;
}

/**
 * A private key: a KeyObject, PEM text (PKCS #8, PKCS #1 or SEC1), a private JWK, or a key with
 * its `alg` and `kid` (what `generateClientKey` returns).
 */
export type PrivateKeyInput = KeyObject | string | JsonWebKey | SigningClientKey;

/** A new client key pair and what to register for it. */
export interface ClientKey extends SigningClientKey {
  /** The public JWK: key members, `kid` (the RFC 7638 thumbprint), `use: "sig"`, `alg`. */
  publicJwk: JsonWebKey;
  /** `{"keys":[publicJwk]}` as text: the value of an application's `jwks`. */
  jwks: string;
}

/** A new key pair for `alg` (default ES256): RSA 2048 for RS/PS, the alg's curve for ES, Ed25519 for EdDSA. */
export async function generateClientKey(alg: SigningAlg = 'ES256'): Promise<ClientKey> {
  if (!isSigningAlg(alg)) throw new TypeError(`generateClientKey: unsupported alg ${String(alg)}`);
  const { privateKey, publicKey } = await generateClientKeyPair(alg);
  const kid = await thumbprint(publicKey);
  const jwk = publicJwk(publicKey, kid, alg);
  return { privateKey, alg, kid, publicJwk: jwk, jwks: jwksString(jwk) };
}

/**
 * The key, its `alg` (given, the key's own, or the one the key type implies: RS256,
 * ES256/384/512, EdDSA) and its `kid` (given, the key's own, or the RFC 7638 thumbprint of the
 * public key).
 */
export async function signingClientKey(input: PrivateKeyInput, alg?: string, kid?: string): Promise<SigningClientKey> {
  if (isSigningClientKey(input)) return signingClientKey(input.privateKey, alg ?? input.alg, kid ?? input.kid);
  const privateKey = privateKeyOf(input);
  const chosen = alg ?? jwkMember(input, 'alg') ?? inferAlg(privateKey);
  if (chosen === undefined || !isSigningAlg(chosen)) throw new TypeError(`client key: ${alg === undefined ? 'no JWS alg fits this key type' : `unsupported alg ${alg}`}`);
  const mismatch = algMismatch(chosen, privateKey);
  if (mismatch !== undefined) throw new TypeError(`client key: ${mismatch}`);
  return { privateKey, alg: chosen, kid: kid ?? jwkMember(input, 'kid') ?? (await thumbprint(publicKeyOf(privateKey))) };
}

function isSigningClientKey(input: PrivateKeyInput): input is SigningClientKey {
  return typeof input === 'object' && 'privateKey' in input && isKeyObject((input as SigningClientKey).privateKey);
}

function privateKeyOf(input: KeyObject | string | JsonWebKey): KeyObject {
  if (typeof input === 'string') return createPrivateKey(input);
  if (isKeyObject(input)) {
    if (input.type !== 'private') throw new TypeError(`client key: a private key is needed, got a ${input.type} key`);
    return input;
  }
  return createPrivateKey({ key: input, format: 'jwk' });
}

function isKeyObject(input: unknown): input is KeyObject {
  return typeof input === 'object' && input !== null && typeof (input as KeyObject).export === 'function' && typeof (input as KeyObject).type === 'string';
}

/** A JWK's own `alg` or `kid` (RFC 7517 §4.4, §4.5). */
function jwkMember(input: KeyObject | string | JsonWebKey, name: 'alg' | 'kid'): string | undefined {
  if (typeof input === 'string' || isKeyObject(input)) return undefined;
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
