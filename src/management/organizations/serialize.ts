/**
 * The organization and its license as PingOne returns them (OpenAPI schemas `Organization` and
 * `License`; docs/pingone-reference.md §5.5). A Keyway deployment has one organization holding
 * one license, created at first start; the license's entitlements are fixed, because Keyway
 * meters nothing.
 */
import type { OrganizationRecord } from '../../store/types.js';
import { REGIONS } from '../environments/parse.js';

/**
 * `INTERNAL` of PingOne's EnumOrganizationType: the organization is neither a paid nor a trial
 * account of a vendor, it belongs to whoever runs the deployment.
 */
const ORGANIZATION_TYPE = 'INTERNAL';

/** The license package's name: a self-hosted deployment has one package only. */
export const LICENSE_PACKAGE = 'KEYWAY';

export function organizationHref(apiBase: string, organizationId: string): string {
  return `${apiBase}/organizations/${organizationId}`;
}

export function licenseHref(apiBase: string, organizationId: string, licenseId: string): string {
  return `${organizationHref(apiBase, organizationId)}/licenses/${licenseId}`;
}

export function toOrganizationResponse(org: OrganizationRecord, apiBase: string): Record<string, unknown> {
  const self = organizationHref(apiBase, org.id);
  return {
    _links: {
      self: { href: self },
      environments: { href: `${apiBase}/environments` },
      licenses: { href: `${self}/licenses` },
    },
    id: org.id,
    name: org.name,
    type: ORGANIZATION_TYPE,
    billingConnections: [],
    createdAt: org.createdAt,
    // The organization is never changed through the API, so it was last updated when created.
    updatedAt: org.createdAt,
  };
}

/** `environmentCount`: the organization's environments, all of which hold this license. */
export function toLicenseResponse(org: OrganizationRecord, environmentCount: number, apiBase: string): Record<string, unknown> {
  return {
    _links: {
      self: { href: licenseHref(apiBase, org.id, org.licenseId) },
      organization: { href: organizationHref(apiBase, org.id) },
    },
    id: org.licenseId,
    name: 'Keyway',
    package: LICENSE_PACKAGE,
    status: 'ACTIVE',
    organization: { id: org.id },
    beginsAt: org.createdAt,
    assignedEnvironmentsCount: environmentCount,
    environments: {
      allowProduction: true,
      allowAddResources: true,
      allowCustomSchema: true,
      allowConnections: false,
      allowCustomDomain: false,
      // The license names North America `NORTH_AMERICA` where an environment says `NA` (OpenAPI `License_environments`).
      regions: REGIONS.map((region) => (region === 'NA' ? 'NORTH_AMERICA' : region)),
    },
    users: {
      allowPasswordManagement: true,
      allowPasswordOnlyAuthentication: true,
      allowPasswordPolicy: true,
      allowIdentityProviders: false,
      allowMyAccount: false,
      allowProvisioning: false,
      allowRoleAssignment: true,
      allowUpdateSelf: false,
      allowVerificationFlow: false,
    },
  };
}
