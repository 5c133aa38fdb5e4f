/** An authorization code, keyed by its hash; redeemed once at the token endpoint. */
import type { WithIsoInstants } from './iso-instants.js';

export interface AuthorizationCode {
  /** SHA-256 of the code. */
  codeHash: string;
  environmentId: string;
  applicationId: string;
  userId: string;
  sessionIdHash: string;
  redirectUri: string;
  scope: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  authTime: Date;
  amr: string[];
  acr?: string;
  /** Groups everything issued from this code, for revocation on a second redemption. */
  grantId: string;
  expiresAt: Date;
}

export type AuthorizationCodeRecord = WithIsoInstants<AuthorizationCode, 'authTime' | 'expiresAt'>;
