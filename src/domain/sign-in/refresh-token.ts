/** A refresh token, keyed by its hash; rotated on every use within its family. */
import type { WithIsoInstants } from './iso-instants.js';

export interface RefreshToken {
  /** SHA-256 of the token. */
  tokenHash: string;
  environmentId: string;
  applicationId: string;
  userId: string;
  sessionIdHash: string;
  grantId: string;
  /** All rotations of one original token share the family id. */
  familyId: string;
  scope: string[];
  authTime: Date;
  amr: string[];
  acr?: string;
  createdAt: Date;
  /** Absolute end of this token: refreshTokenDuration after the family started (PingOne). */
  expiresAt: Date;
}

export type RefreshTokenRecord = WithIsoInstants<RefreshToken, 'authTime' | 'createdAt' | 'expiresAt'>;
