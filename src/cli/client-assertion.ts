/**
 * Builds a `private_key_jwt` client assertion (RFC 7523 §3, OpenID Connect Core §9): iss = sub =
 * the client id, one audience, a random `jti`, `iat` and a short `exp`. Shared by the
 * `assertion` and `token` verbs.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { algMismatch, inferAlg, isSigningAlg, publicKeyOf, readPrivateKey, thumbprint, SIGNING_ALGS, type SigningAlg } from './client-key.js';
import { UsageError } from './cli-io.js';

export const MAX_ASSERTION_LIFETIME = 3600;
export const DEFAULT_ASSERTION_LIFETIME = 60;

export interface AssertionInput {
  clientId: string;
  audience: string;
  privateKey: KeyObject;
  alg: SigningAlg;
  kid: string;
  /** Seconds from `iat` to `exp`. */
  lifetime: number;
  /** Unix seconds; defaults to now. */
  iat?: number;
}

export async function signClientAssertion(input: AssertionInput): Promise<string> {
  const iat = input.iat ?? Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: input.alg, kid: input.kid, typ: 'JWT' })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.lifetime)
    .sign(input.privateKey);
}

export interface SigningKey {
  privateKey: KeyObject;
  alg: SigningAlg;
  kid: string;
}

/**
 * Reads the key file and settles the alg (given, or inferred from the key) and kid (given, or the
 * RFC 7638 thumbprint of the public key, as `keys generate` sets it).
 */
export async function loadSigningKey(keyFile: string, alg: string | undefined, kid: string | undefined): Promise<SigningKey> {
  if (alg !== undefined && !isSigningAlg(alg)) throw new UsageError(`--alg must be one of ${SIGNING_ALGS.join(', ')}`);
  if (kid === '') throw new UsageError('--kid must not be empty');
  const privateKey = readPrivateKey(keyFile);
  const chosen = alg ?? inferAlg(privateKey);
  if (chosen === undefined) throw new Error(`${keyFile} holds a key type a client cannot sign assertions with (use RSA, EC P-256/384/521 or Ed25519)`);
  const mismatch = algMismatch(chosen, privateKey);
  // A given --alg that does not fit is a usage error; an unusable key file is a plain failure.
  if (mismatch !== undefined) throw alg === undefined ? new Error(`${keyFile}: ${mismatch}`) : new UsageError(mismatch);
  return { privateKey, alg: chosen, kid: kid ?? (await thumbprint(publicKeyOf(privateKey))) };
}
