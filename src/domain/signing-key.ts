/**
 * An environment's token-signing key as stored: public JWK in the clear, private key sealed
 * with the master key (src/keys/).
 */

export interface SigningKeyRecord {
  /** The `kid`. */
  id: string;
  environmentId: string;
  algorithm: 'RS256';
  /** Public JWK as published in the JWKS (kty, n, e, kid, use, alg). */
  publicJwk: Record<string, unknown>;
  /** AES-256-GCM ciphertext of the PKCS#8 PEM private key (see src/keys/master-key.ts). */
  privateKeyCiphertext: string;
  status: 'ACTIVE' | 'RETIRED';
  createdAt: string;
}
