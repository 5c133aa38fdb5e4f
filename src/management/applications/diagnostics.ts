/**
 * Keyway extensions under an application for client-authentication diagnostics:
 * the recorded events (`.../clientAuthEvents`) and the cached `jwksUrl` set (`.../jwksCache`).
 * Failure reasons are never in public `/as` errors; admins read them here.
 */
import { NotFoundError } from '../../domain/pingone-error.js';
import type { ManagementDeps } from '../context.js';
import type { Actor } from '../roles.js';
import type { ClientAuthEventRecord } from '../../store/types.js';
import { requireApplication } from './service.js';

export const MAX_EVENTS_PAGE = 200;

export async function listClientAuthEvents(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string, limit: number) {
  await requireApplication(deps, actor, 'applications:read', environmentId, applicationId);
  const events = await deps.store.listClientAuthEvents(environmentId, applicationId, Math.min(limit, MAX_EVENTS_PAGE));
  const self = `${deps.apiBase}/environments/${environmentId}/applications/${applicationId}/clientAuthEvents`;
  const items = events.map(toEventResponse);
  return { _links: { self: { href: self } }, _embedded: { clientAuthEvents: items }, count: items.length, size: items.length };
}

function toEventResponse(e: ClientAuthEventRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { id: e.id, at: e.at, outcome: e.outcome, reason: e.reason, endpoint: e.endpoint };
  for (const key of ['method', 'kid', 'alg', 'audienceForm', 'detail'] as const) {
    if (e[key] !== undefined) body[key] = e[key];
  }
  return body;
}

export async function readJwksCache(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string, refresh: boolean) {
  await requireApplication(deps, actor, refresh ? 'applications:write' : 'applications:read', environmentId, applicationId);
  const snapshot = refresh
    ? await deps.jwksCache.refresh(environmentId, applicationId)
    : await deps.jwksCache.read(environmentId, applicationId);
  if (!snapshot) throw new NotFoundError('The application has no jwksUrl.');
  return snapshot;
}
