/**
 * What token issuance and verification need from the rest of Keyway: the environments' signing
 * keys, the revocation list, and the per-request issuer facts. Declared here, implemented in
 * src/adapters/ and src/app.ts (docs/architecture.md, rule 1).
 */
import type { KeyObject } from 'node:crypto';
import type { TokenSigningAlg, VerificationKey } from '../../jose/jwt.js';

export interface IssuerKeys {
  /**
   * The key that signs for an application: the CURRENT key of the key rotation policy it names,
   * else (no policy, or one deleted since) the environment's default signing key; undefined for
   * an unknown environment.
   */
  activeKey(environmentId: string, signingPolicyId?: string): Promise<{ kid: string; alg: TokenSigningAlg; privateKey: KeyObject } | undefined>;
  /** The keys the environment publishes, by kid, each with its algorithm: all that verify its tokens. */
  publicKeys(environmentId: string): Promise<ReadonlyMap<string, VerificationKey>>;
}

/** Revoked access tokens (RFC 7009), by `jti`, kept until the token's own expiry. */
export interface TokenRevocations {
  revoke(environmentId: string, jti: string, expiresAt: Date): Promise<void>;
  isRevoked(environmentId: string, jti: string): Promise<boolean>;
}

/** Per-environment facts the protocol needs: issuer URL, organization, PingOne API audience. */
export interface IssuerContext {
  environmentId: string;
  organizationId: string;
  /** `{publicUrl}/{envId}/as` */
  issuer: string;
  /** Audience of the management API (the PingOne API resource). */
  managementAudience: string;
  now: Date;
}
