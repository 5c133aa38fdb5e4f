/**
 * An access token issued by a user grant (code or refresh), remembered until it expires so that
 * revoking its grant or refresh family revokes it too (RFC 6749 §4.1.2, §10.4; RFC 9700 §4.14.2).
 */
import type { WithIsoInstants } from './iso-instants.js';

export interface GrantAccessToken {
  jti: string;
  grantId: string;
  /** The refresh-token family it was issued with, when there is one. */
  familyId?: string;
  expiresAt: Date;
}

export type GrantAccessTokenRecord = WithIsoInstants<GrantAccessToken, 'expiresAt'>;
