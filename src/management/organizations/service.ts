/**
 * `GET /v1/organizations[/{orgId}]` and `GET .../licenses[/{licenseId}]`. PingOne lists these
 * permissions under Organization Admin ("Read organization", "Read license"); Keyway grants them
 * to Environment Admin too, who may create environments and so needs the license id
 * (docs/pingone-reference.md §5.5). An organization or license id other than the caller's answers
 * 404, whoever asks.
 */
import { NotFoundError } from '../../domain/pingone-error.js';
import type { FilterExpression } from '../../domain/scim-filter.js';
import type { OrganizationRecord } from '../../store/types.js';
import { forbidden } from '../access.js';
import { collection } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { matchesFilter, type FilterableRecord } from '../filter/match.js';
import { LICENSE_FILTER, ORGANIZATION_FILTER, parseCollectionFilter } from '../filter/spec.js';
import { canAnywhere, type Actor, type Permission } from '../roles.js';
import { organizationHref, toLicenseResponse, toOrganizationResponse } from './serialize.js';

export async function listOrganizations(deps: ManagementDeps, actor: Actor, rawFilter: unknown): Promise<Record<string, unknown>> {
  const filter = parseCollectionFilter(ORGANIZATION_FILTER, rawFilter);
  const org = await callerOrganization(deps, actor, 'organizations:read');
  const items = onlyMatching(filter, toOrganizationResponse(org, deps.apiBase));
  return collection(`${deps.apiBase}/organizations`, 'organizations', { items, count: items.length }, undefined);
}

export async function readOrganization(deps: ManagementDeps, actor: Actor, organizationId: string): Promise<Record<string, unknown>> {
  const org = await namedOrganization(deps, actor, organizationId, 'organizations:read');
  return toOrganizationResponse(org, deps.apiBase);
}

export async function listLicenses(deps: ManagementDeps, actor: Actor, organizationId: string, rawFilter: unknown): Promise<Record<string, unknown>> {
  const filter = parseCollectionFilter(LICENSE_FILTER, rawFilter);
  const org = await namedOrganization(deps, actor, organizationId, 'licenses:read');
  const items = onlyMatching(filter, toLicenseResponse(org, await environmentCount(deps, org), deps.apiBase));
  return collection(`${organizationHref(deps.apiBase, org.id)}/licenses`, 'licenses', { items, count: items.length }, undefined);
}

export async function readLicense(deps: ManagementDeps, actor: Actor, organizationId: string, licenseId: string): Promise<Record<string, unknown>> {
  const org = await namedOrganization(deps, actor, organizationId, 'licenses:read');
  if (licenseId !== org.licenseId) throw new NotFoundError();
  return toLicenseResponse(org, await environmentCount(deps, org), deps.apiBase);
}

/** The one-row collection's row, or nothing when the filter does not match it. */
function onlyMatching(filter: FilterExpression | undefined, row: Record<string, unknown>): Record<string, unknown>[] {
  const filterable: FilterableRecord = Object.fromEntries(
    Object.entries(row).filter((entry): entry is [string, string | boolean] => typeof entry[1] === 'string' || typeof entry[1] === 'boolean'),
  );
  return matchesFilter(filter, filterable) ? [row] : [];
}

async function callerOrganization(deps: ManagementDeps, actor: Actor, permission: Permission): Promise<OrganizationRecord> {
  const org = await deps.store.getOrganization();
  if (!org || org.id !== actor.organizationId) throw new NotFoundError();
  if (!canAnywhere(actor, permission)) throw forbidden();
  return org;
}

/** 404 for another organization's id, then 403, as for environments (src/management/access.ts). */
async function namedOrganization(deps: ManagementDeps, actor: Actor, organizationId: string, permission: Permission): Promise<OrganizationRecord> {
  if (organizationId !== actor.organizationId) throw new NotFoundError();
  return callerOrganization(deps, actor, permission);
}

/** A count query: the store counts the rows, it does not load them. */
async function environmentCount(deps: ManagementDeps, org: OrganizationRecord): Promise<number> {
  return (await deps.store.listEnvironments(org.id, { limit: 1 })).count;
}
