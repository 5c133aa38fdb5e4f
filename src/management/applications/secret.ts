/**
 * Application secrets: generated for every OIDC application, encrypted at rest, rotated with an
 * optional grace period for the previous secret of at most 30 days
 * (docs/pingone-reference.md §5.1).
 */
import { randomBytes } from 'node:crypto';
import type { Sealer } from '../../keys/master-key.js';
import type { SecretRecord } from '../../store/types.js';

export const MAX_PREVIOUS_SECRET_DAYS = 30;

/** 64 characters of base64url: 384 bits of entropy. */
export function generateClientSecret(): string {
  return randomBytes(48).toString('base64url');
}

export function newSecretRecord(environmentId: string, applicationId: string, secret: string, sealer: Sealer, now: Date): SecretRecord {
  return { environmentId, applicationId, secretCiphertext: sealer.seal(secret), createdAt: now.toISOString() };
}
