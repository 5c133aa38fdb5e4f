/**
 * Scope of a resource as PingOne returns it (OpenAPI `ResourceScope`).
 */
import type { ScopeRecord } from '../../store/types.js';
import { resourceHref } from '../resources/serialize.js';

export function toScopeResponse(scope: ScopeRecord, apiBase: string): Record<string, unknown> {
  const resource = resourceHref(apiBase, scope.environmentId, scope.resourceId);
  const body: Record<string, unknown> = {
    _links: {
      self: { href: `${resource}/scopes/${scope.id}` },
      resource: { href: resource },
    },
    id: scope.id,
    environment: { id: scope.environmentId },
    resource: { id: scope.resourceId },
    name: scope.name,
  };
  if (scope.description !== undefined) body.description = scope.description;
  body.createdAt = scope.createdAt;
  body.updatedAt = scope.updatedAt;
  return body;
}
