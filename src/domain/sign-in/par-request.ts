/** A pushed authorization request (RFC 9126), used once before it expires. */
import type { WithIsoInstants } from './iso-instants.js';

export interface ParRequest {
  /** The `request_uri` is `urn:ietf:params:oauth:request_uri:<id>`. */
  id: string;
  environmentId: string;
  applicationId: string;
  params: Record<string, string>;
  expiresAt: Date;
}

export type ParRequestRecord = WithIsoInstants<ParRequest, 'expiresAt'>;
