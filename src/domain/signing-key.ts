/**
 * An environment's key pair as stored: public JWK in the clear, private key sealed with the
 * master key (src/keys/), and the self-signed or imported X.509 certificate that PingOne's keys
 * API describes (OpenAPI `Certificate`).
 */

/** PingOne's key types (`EnumCertificateKeyAlgorithm`, less `UNKNOWN`). */
export type KeyAlgorithm = 'RSA' | 'EC';

/** PingOne's certificate signature algorithms (`EnumCertificateKeySignagureAlgorithm`). */
export const SIGNATURE_ALGORITHMS = ['SHA256withRSA', 'SHA384withRSA', 'SHA512withRSA', 'SHA256withECDSA', 'SHA384withECDSA', 'SHA512withECDSA'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** The usages Keyway stores (`EnumCertificateKeyUsageType`): only SIGNING keys sign tokens. */
export const KEY_USAGE_TYPES = ['SIGNING', 'ENCRYPTION'] as const;
export type KeyUsageType = (typeof KEY_USAGE_TYPES)[number];

/** What the key's certificate says (absent on keys written before migration 0012 until one is made for them). */
export interface KeyCertificate {
  /** DER of the X.509 certificate, base64 (standard alphabet, as in `x5c`, RFC 7517 §4.7). */
  der: string;
  subjectDN: string;
  issuerDN: string;
  /** Decimal text: X.509 serial numbers may exceed 2^53. */
  serialNumber: string;
  startsAt: string;
  expiresAt: string;
  validityPeriod: number;
  signatureAlgorithm: SignatureAlgorithm;
}

export interface SigningKeyRecord {
  /** The key's id, which is also the `kid` of the tokens it signs. */
  id: string;
  environmentId: string;
  /** The JWS algorithm of the tokens it signs (RS256, ES256, ...). */
  algorithm: string;
  /** Public JWK as published in the JWKS (kty, key material, kid, use, alg). */
  publicJwk: Record<string, unknown>;
  /** AES-256-GCM ciphertext of the PKCS#8 PEM private key (see src/keys/master-key.ts). */
  privateKeyCiphertext: string;
  status: 'ACTIVE' | 'RETIRED';
  createdAt: string;
  /** PingOne's `name`; absent on keys written before migration 0012. */
  name?: string;
  usageType: KeyUsageType;
  /** The environment's default key of its usage type (the one that signs tokens for SIGNING). */
  default: boolean;
  keyAlgorithm: KeyAlgorithm;
  /** Bits of the RSA modulus, or the EC curve's size (256, 384, 521). */
  keyLength: number;
  certificate?: KeyCertificate;
  /** The key rotation policy that made the key (absent for the keys API's own keys). */
  rotationPolicyId?: string;
  /** Its place in the policy: CURRENT signs, NEXT signs after the next rotation, PREVIOUS only verifies. */
  rotationState?: RotationState;
  /** PREVIOUS keys: when the last token the key signed has expired, so the key leaves the JWKS. */
  retireAt?: string;
}

export type RotationState = 'CURRENT' | 'NEXT' | 'PREVIOUS';

/** A key as the keys API reads it: with its certificate (one is made for keys older than certificates). */
export type CertifiedSigningKey = SigningKeyRecord & { certificate: KeyCertificate };
