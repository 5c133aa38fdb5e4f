/**
 * Resource as PingOne returns it (OpenAPI `Resource`).
 */
import type { ResourceRecord } from '../../store/types.js';

export function resourceHref(apiBase: string, environmentId: string, resourceId: string): string {
  return `${apiBase}/environments/${environmentId}/resources/${resourceId}`;
}

/**
 * @param publicUrl the PingOne API resource's audience is always the current public URL: the stored
 * value was written at seed time and goes stale when KEYWAY_PUBLIC_URL changes.
 */
export function toResourceResponse(resource: ResourceRecord, apiBase: string, publicUrl: string): Record<string, unknown> {
  const self = resourceHref(apiBase, resource.environmentId, resource.id);
  const body: Record<string, unknown> = {
    _links: {
      self: { href: self },
      environment: { href: `${apiBase}/environments/${resource.environmentId}` },
      scopes: { href: `${self}/scopes` },
    },
    id: resource.id,
    environment: { id: resource.environmentId },
    name: resource.name,
  };
  if (resource.description !== undefined) body.description = resource.description;
  Object.assign(body, {
    type: resource.type,
    audience: resource.type === 'PINGONE_API' ? publicUrl : resource.audience,
    accessTokenValiditySeconds: resource.accessTokenValiditySeconds,
    createdAt: resource.createdAt,
    updatedAt: resource.updatedAt,
  });
  return body;
}
