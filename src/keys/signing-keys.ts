/**
 * Environment keys: generated (RSA 2048/3072/4096 or EC P-256/P-384/P-521) with a self-signed
 * certificate, private key sealed with the master key, public part published at
 * `/{envId}/as/jwks`. Consumers take a SigningKeySource; the process caches loaded keys per
 * environment (src/adapters/cache/key-ring.ts).
 */
import type { JWK } from 'jose';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { newId } from '../domain/ids.js';
import type { KeyAlgorithm, KeyCertificate, KeyUsageType, SignatureAlgorithm, SigningKeyRecord } from '../domain/signing-key.js';
import type { TokenSigningAlg, VerificationKey } from '../jose/jwt.js';
import type { Store } from '../store/types.js';
import { certificateThumbprint, selfSignedCertificate } from './certificates.js';
import { newKeyPairOf, type KeyPair } from './key-pair.js';
import type { Sealer } from './master-key.js';

/** The key lengths Keyway generates for each key type (PingOne's `keyLength`). */
export const KEY_LENGTHS: Readonly<Record<KeyAlgorithm, readonly number[]>> = { RSA: [2048, 3072, 4096], EC: [256, 384, 521] };

export interface ActiveSigningKey {
  kid: string;
  alg: TokenSigningAlg;
  privateKey: KeyObject;
}

export interface EnvironmentKeys {
  /** The default signing key, which signs the environment's tokens. */
  active: ActiveSigningKey;
  /** Public keys by kid, for verifying tokens this environment issued: exactly those in `jwks`. */
  publicKeys: Map<string, VerificationKey>;
  /** The JWK Set document served at /as/jwks. */
  jwks: { keys: Record<string, unknown>[] };
  /** The algorithms of the published keys, the default key's first (discovery). */
  algorithms: TokenSigningAlg[];
  /** The CURRENT key of each key rotation policy, by policy id. */
  byPolicy: Map<string, ActiveSigningKey>;
  /** When the first retired key leaves the JWKS (epoch ms): the set must be read again then. */
  expiresAt?: number;
}

/** The public key of a stored key, from its published JWK. */
export function publicKeyOf(record: Pick<SigningKeyRecord, 'publicJwk'>): KeyObject {
  return createPublicKey({ key: record.publicJwk as JWK, format: 'jwk' });
}

/** A key pair for a new key. */
export type { KeyPair } from './key-pair.js';

/** Where the RSA 2048 key pair of a new environment's first key comes from (tests pass a fixed one). */
export type SigningKeyPairSource = () => Promise<KeyPair>;

/** A new key pair of the type and length (node's generator runs on the thread pool; ./key-pair.ts). */
export function newKeyPair(keyAlgorithm: KeyAlgorithm, keyLength: number): Promise<KeyPair> {
  return newKeyPairOf(keyAlgorithm === 'RSA' ? { type: 'rsa', modulusLength: keyLength } : { type: 'ec', namedCurve: `P-${keyLength}` });
}

/**
 * The JWS algorithm of the tokens a key signs (RFC 7518 §3.1): for RSA the certificate's hash
 * (SHA384withRSA → RS384); for EC the curve decides (ES256 is P-256 with SHA-256, §3.4), whatever
 * hash signed the certificate.
 */
export function jwsAlgorithm(keyAlgorithm: KeyAlgorithm, keyLength: number, signatureAlgorithm: SignatureAlgorithm): TokenSigningAlg {
  if (keyAlgorithm === 'EC') return keyLength === 256 ? 'ES256' : keyLength === 384 ? 'ES384' : 'ES512';
  return `RS${signatureAlgorithm.slice(3, 6)}` as TokenSigningAlg;
}

/** The published JWK: key material, kid, use, alg, and the certificate (RFC 7517 §4.7, §4.9). */
export function publicJwkOf(publicKey: KeyObject, kid: string, alg: TokenSigningAlg, usageType: KeyUsageType, certificate: KeyCertificate | undefined): Record<string, unknown> {
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const material = jwk.kty === 'RSA' ? { kty: 'RSA', e: jwk.e, n: jwk.n } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  const published: Record<string, unknown> = { ...material, kid, use: usageType === 'SIGNING' ? 'sig' : 'enc', alg };
  if (certificate) {
    published.x5c = [certificate.der];
    published['x5t#S256'] = certificateThumbprint(certificate);
  }
  return published;
}

export interface NewKeyRequest {
  name: string;
  keyAlgorithm: KeyAlgorithm;
  keyLength: number;
  signatureAlgorithm: SignatureAlgorithm;
  subject: ReadonlyArray<[string, string]>;
  validityDays: number;
  usageType: KeyUsageType;
  default: boolean;
}

/** A new key record with a self-signed certificate; `pair` replaces the generation (tests). */
export async function createKeyRecord(environmentId: string, request: NewKeyRequest, sealer: Sealer, now: Date, pair?: KeyPair): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = pair ?? (await newKeyPair(request.keyAlgorithm, request.keyLength));
  const certificate = await selfSignedCertificate({ publicKey, privateKey }, { ...request, startsAt: now });
  return keyRecord(environmentId, { publicKey, privateKey }, { ...request, certificate }, sealer, now);
}

/** A key record for a pair and its certificate (made here or imported). */
export function keyRecord(
  environmentId: string,
  pair: KeyPair,
  request: Omit<NewKeyRequest, 'subject' | 'validityDays'> & { certificate: KeyCertificate },
  sealer: Sealer,
  now: Date,
  id: string = newId(),
): SigningKeyRecord {
  const alg = jwsAlgorithm(request.keyAlgorithm, request.keyLength, request.signatureAlgorithm);
  return {
    id,
    environmentId,
    algorithm: alg,
    publicJwk: publicJwkOf(pair.publicKey, id, alg, request.usageType, request.certificate),
    privateKeyCiphertext: sealer.seal(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
    status: 'ACTIVE',
    createdAt: now.toISOString(),
    name: request.name,
    usageType: request.usageType,
    default: request.default,
    keyAlgorithm: request.keyAlgorithm,
    keyLength: request.keyLength,
    certificate: request.certificate,
  };
}

/** Validity of a new environment's first key, in days (PingOne's `validityPeriod`). */
const FIRST_KEY_VALIDITY_DAYS = 3650;

/**
 * The first key of a new environment: the default signing key, RSA 2048 with SHA256withRSA
 * (RS256), as PingOne gives a new environment. `keyPair` replaces the generation (tests).
 */
export async function generateSigningKey(environmentId: string, sealer: Sealer, now: Date, keyPair?: SigningKeyPairSource): Promise<SigningKeyRecord> {
  const request: NewKeyRequest = {
    name: 'Default signing key',
    keyAlgorithm: 'RSA',
    keyLength: 2048,
    signatureAlgorithm: 'SHA256withRSA',
    subject: [['CN', 'Keyway signing key'], ['OU', environmentId]],
    validityDays: FIRST_KEY_VALIDITY_DAYS,
    usageType: 'SIGNING',
    default: true,
  };
  return createKeyRecord(environmentId, request, sealer, now, keyPair ? await keyPair() : undefined);
}

/**
 * A certificate for a key written before migration 0012, which has none: self-signed, valid
 * from its creation, subject as for a new environment's key.
 */
export async function certificateForOlderKey(record: SigningKeyRecord, sealer: Sealer): Promise<KeyCertificate> {
  const privateKey = createPrivateKey(sealer.open(record.privateKeyCiphertext));
  const publicKey = createPublicKey(privateKey);
  return selfSignedCertificate(
    { publicKey, privateKey },
    {
      keyAlgorithm: record.keyAlgorithm,
      keyLength: record.keyLength,
      signatureAlgorithm: record.keyAlgorithm === 'EC' ? 'SHA256withECDSA' : 'SHA256withRSA',
      subject: [['CN', 'Keyway signing key'], ['OU', record.environmentId]],
      validityDays: FIRST_KEY_VALIDITY_DAYS,
      startsAt: new Date(record.createdAt),
    },
  );
}

/** The environment's keys of a store (a cache of `loadEnvironmentKeys`, src/adapters/cache/key-ring.ts). */
export interface SigningKeySource {
  /** The environment's keys, or undefined when it has none (unknown environment). */
  get(environmentId: string): Promise<EnvironmentKeys | undefined>;
}

/**
 * The keys the JWKS publishes at `now`: every active signing key, those of key rotation policies
 * included (NEXT before it signs, PREVIOUS until its `retireAt`).
 */
export function isPublished(record: SigningKeyRecord, now: Date): boolean {
  if (record.usageType !== 'SIGNING' || record.status !== 'ACTIVE') return false;
  return record.retireAt === undefined || Date.parse(record.retireAt) > now.getTime();
}

function activeKey(record: SigningKeyRecord, sealer: Sealer): ActiveSigningKey {
  return { kid: record.id, alg: record.algorithm as TokenSigningAlg, privateKey: createPrivateKey(sealer.open(record.privateKeyCiphertext)) };
}

/** Reads and opens the environment's keys, or undefined when it has no default signing key. */
export async function loadEnvironmentKeys(
  store: Pick<Store, 'listSigningKeys'>,
  sealer: Sealer,
  environmentId: string,
  now: Date,
): Promise<EnvironmentKeys | undefined> {
  const published = (await store.listSigningKeys(environmentId)).filter((r) => isPublished(r, now));
  const activeRecord = published.find((r) => r.default && r.rotationPolicyId === undefined);
  if (!activeRecord) return undefined;
  const ordered = [activeRecord, ...published.filter((r) => r !== activeRecord)];
  const publicKeys = new Map<string, VerificationKey>();
  for (const r of ordered) publicKeys.set(r.id, { key: publicKeyOf(r), alg: r.algorithm as TokenSigningAlg });
  const byPolicy = new Map<string, ActiveSigningKey>();
  for (const r of published) if (r.rotationPolicyId !== undefined && r.rotationState === 'CURRENT') byPolicy.set(r.rotationPolicyId, activeKey(r, sealer));
  const retirements = published.flatMap((r) => (r.retireAt === undefined ? [] : [Date.parse(r.retireAt)]));
  const keys: EnvironmentKeys = {
    active: activeKey(activeRecord, sealer),
    publicKeys,
    jwks: { keys: ordered.map((r) => ({ ...r.publicJwk })) },
    algorithms: [...new Set(ordered.map((r) => r.algorithm as TokenSigningAlg))],
    byPolicy,
  };
  if (retirements.length > 0) keys.expiresAt = Math.min(...retirements);
  return keys;
}
