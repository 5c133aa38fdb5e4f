/**
 * Resource grant of an application as PingOne returns it (OpenAPI `ApplicationResourceGrant`).
 */
import type { GrantRecord } from '../../store/types.js';

export function grantsHref(apiBase: string, environmentId: string, applicationId: string): string {
  return `${apiBase}/environments/${environmentId}/applications/${applicationId}/grants`;
}

export function toGrantResponse(grant: GrantRecord, apiBase: string): Record<string, unknown> {
  const environment = `${apiBase}/environments/${grant.environmentId}`;
  return {
    _links: {
      self: { href: `${grantsHref(apiBase, grant.environmentId, grant.applicationId)}/${grant.id}` },
      environment: { href: environment },
      application: { href: `${environment}/applications/${grant.applicationId}` },
      resource: { href: `${environment}/resources/${grant.resourceId}` },
    },
    id: grant.id,
    environment: { id: grant.environmentId },
    application: { id: grant.applicationId },
    resource: { id: grant.resourceId },
    scopes: grant.scopeIds.map((id) => ({ id })),
    createdAt: grant.createdAt,
    updatedAt: grant.updatedAt,
  };
}
