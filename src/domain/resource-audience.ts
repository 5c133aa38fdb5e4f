/**
 * The audience a resource's access tokens carry (RFC 9068 §3, `aud`). The two built-in
 * resources name this deployment itself, so their audiences are derived from the public URL as it
 * is now, not stored: what was stored at environment creation goes stale when KEYWAY_PUBLIC_URL
 * changes, while the issuer (and so the tokens' `iss`) follows it at once. The OpenID Connect
 * resource's audience is the environment's issuer, `{publicUrl}/{envId}/as`; the PingOne API's is
 * the public URL, the management API's base. A CUSTOM resource's audience is its own setting.
 */
import type { ResourceType } from './resource-type.js';

export interface AudienceSource {
  type: ResourceType;
  environmentId: string;
  /** As stored; used for CUSTOM resources only. */
  audience: string;
}

export function resourceAudience(resource: AudienceSource, publicUrl: string): string {
  switch (resource.type) {
    case 'OPENID_CONNECT':
      return `${publicUrl}/${resource.environmentId}/as`;
    case 'PINGONE_API':
      return publicUrl;
    case 'CUSTOM':
      return resource.audience;
  }
}
