/** A signed-in user's session (the `ST` cookie), keyed by the hash of the cookie value. */
import type { WithIsoInstants } from './iso-instants.js';

export interface Session {
  /** SHA-256 of the `ST` cookie value. */
  idHash: string;
  environmentId: string;
  userId: string;
  authTime: Date;
  amr: string[];
  acr?: string;
  expiresAt: Date;
}

export type SessionRecord = WithIsoInstants<Session, 'authTime' | 'expiresAt'>;
