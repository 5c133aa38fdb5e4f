/**
 * Environment signing keys: RSA 2048 generated per environment, private key sealed with the
 * master key, public part published at `/{envId}/as/jwks`. Consumers take a SigningKeySource;
 * the process caches loaded keys per environment (src/adapters/cache/key-ring.ts).
 */
import { calculateJwkThumbprint, type JWK } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningKeyRecord } from '../domain/signing-key.js';
import type { Store } from '../store/types.js';
import type { Sealer } from './master-key.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface ActiveSigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: KeyObject;
}

export interface EnvironmentKeys {
  active: ActiveSigningKey;
  /** Public keys by kid, for verifying tokens this environment issued. */
  publicKeys: Map<string, KeyObject>;
  /** The JWK Set document served at /as/jwks. */
  jwks: { keys: Record<string, unknown>[] };
}

/** Where the RSA 2048 key pair of a new signing key comes from. */
export type SigningKeyPairSource = () => Promise<{ publicKey: KeyObject; privateKey: KeyObject }>;

const newRsaKeyPair: SigningKeyPairSource = () => generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });

/**
 * Generates a new RSA 2048 signing key record for an environment (kid = RFC 7638 thumbprint).
 * `keyPair` replaces the generation itself (tests); by default each call makes a new pair.
 */
export async function generateSigningKey(environmentId: string, sealer: Sealer, now: Date, keyPair: SigningKeyPairSource = newRsaKeyPair): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await keyPair();
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'sha256');
  return {
    id: kid,
    environmentId,
    algorithm: 'RS256',
    publicJwk: { kty: 'RSA', e: jwk.e, n: jwk.n, kid, use: 'sig', alg: 'RS256' },
    privateKeyCiphertext: sealer.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
    status: 'ACTIVE',
    createdAt: now.toISOString(),
  };
}

/** The signing keys of each environment (a cache of `loadEnvironmentKeys`, src/adapters/cache/key-ring.ts). */
export interface SigningKeySource {
  /** The environment's keys, or undefined when it has none (unknown environment). */
  get(environmentId: string): Promise<EnvironmentKeys | undefined>;
}

/** Reads and opens the environment's keys, or undefined when it has no active one. */
export async function loadEnvironmentKeys(
  store: Pick<Store, 'listSigningKeys'>,
  sealer: Sealer,
  environmentId: string,
): Promise<EnvironmentKeys | undefined> {
  const records = await store.listSigningKeys(environmentId);
  const activeRecord = records.find((r) => r.status === 'ACTIVE');
  if (!activeRecord) return undefined;
  const publicKeys = new Map<string, KeyObject>();
  for (const r of records) publicKeys.set(r.id, createPublicKey({ key: r.publicJwk as JWK, format: 'jwk' }));
  return {
    active: {
      kid: activeRecord.id,
      alg: 'RS256',
      privateKey: createPrivateKey(sealer.open(activeRecord.privateKeyCiphertext)),
    },
    publicKeys,
    jwks: { keys: records.map((r) => ({ ...r.publicJwk })) },
  };
}
