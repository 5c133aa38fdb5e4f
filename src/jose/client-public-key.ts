/** A validated public key of a client, ready for `crypto.createPublicKey({ key: jwk, format: 'jwk' })`. */
export interface ClientPublicKey {
  kid?: string;
  kty: 'RSA' | 'EC' | 'OKP';
  /** `alg` when the JWK names one. */
  alg?: string;
  use?: string;
  /** EC / OKP curve. */
  crv?: string;
  /** The public JWK members exactly as sent (public members only). */
  jwk: Record<string, unknown>;
}
