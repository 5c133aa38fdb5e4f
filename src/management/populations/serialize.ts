/**
 * A population as PingOne returns it (OpenAPI `Population`), fields in PingOne's order, with its
 * computed `userCount` (read-only: the store counts the users of the population on each read).
 * PingOne's `passwordPolicy`, `theme`, `preferredLanguage` and `alternativeIdentifiers` are not
 * implemented, so never present.
 */
import type { PopulationRecord } from '../../store/types.js';

export function populationHref(apiBase: string, environmentId: string, populationId: string): string {
  return `${apiBase}/environments/${environmentId}/populations/${populationId}`;
}

export function toPopulationResponse(population: PopulationRecord, userCount: number, apiBase: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    _links: {
      self: { href: populationHref(apiBase, population.environmentId, population.id) },
      environment: { href: `${apiBase}/environments/${population.environmentId}` },
    },
    id: population.id,
    environment: { id: population.environmentId },
    name: population.name,
  };
  if (population.description !== undefined) body.description = population.description;
  Object.assign(body, {
    userCount,
    createdAt: population.createdAt,
    updatedAt: population.updatedAt,
    default: population.default,
  });
  return body;
}
