/**
 * A sign-in flow: an authorization request in progress, keyed by the hash of its id (PingOne's
 * flow API and the hosted sign-on page act on it).
 */
import type { AuthorizationRequest } from './authorization-request.js';
import type { WithIsoInstants } from './iso-instants.js';

export type FlowStatus = 'USERNAME_PASSWORD_REQUIRED' | 'COMPLETED' | 'FAILED' | 'EXPIRED';

export interface Flow {
  id: string;
  environmentId: string;
  applicationId: string;
  request: AuthorizationRequest;
  status: FlowStatus;
  /** Set when the user signed in (COMPLETED). */
  userId?: string;
  sessionId?: string;
  /** Double-submit value for the hosted page's form (hex). */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  version: number;
}

export type FlowRecord = WithIsoInstants<Flow, 'createdAt' | 'expiresAt'>;
