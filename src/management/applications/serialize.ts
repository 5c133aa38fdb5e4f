/**
 * The JSON body PingOne returns for an OIDC application, in PingOne's field order
 * (docs/pingone-reference.md §4.8). Built from a fixed list of config fields, so nothing
 * outside ApplicationConfig (and no secret) can reach the response.
 */
import type { ApplicationConfig } from '../../domain/applications/application-config.js';
import type { ApplicationRecord } from '../../store/types.js';
import { SCALAR_DEFAULTS } from './defaults.js';

/** Config fields before the server-owned `createdAt`, `updatedAt`, `clientId`. */
const HEAD = ['name', 'description', 'enabled', 'hiddenFromAppPortal', 'type', 'protocol'] as const;

/** Config fields after them: PingOne's order first, then the rest in a fixed order. */
const TAIL = [
  'assignActorRoles',
  'responseTypes',
  'grantTypes',
  'idpSignoff',
  'additionalRefreshTokenReplayProtectionEnabled',
  'jwks',
  'jwksUrl',
  'tokenEndpointAuthMethod',
  'pkceEnforcement',
  'requestScopesForMultipleResourcesEnabled',
  'parRequirement',
  'devicePollingInterval',
  'redirectUris',
  'parTimeout',
  'deviceTimeout',
  'devicePathId',
  'deviceCustomVerificationUri',
  'postLogoutRedirectUris',
  'allowWildcardInRedirectUris',
  'refreshTokenDuration',
  'refreshTokenRollingDuration',
  'refreshTokenRollingGracePeriodDuration',
  'refreshTokenType',
  'supportUnsignedRequestObject',
  'requireSignedRequestObject',
  'opSessionCheckEnabled',
  'includeX5t',
  'includeTyp',
  'homePageUrl',
  'loginPageUrl',
  'initiateLoginUri',
  'targetLinkUri',
  'icon',
  'accessControl',
  'corsSettings',
  'signing',
  'tags',
  'tokenEndpointAuthSigningAlg',
  'clientAssertionAudiencePolicy',
] as const;

type Listed = (typeof HEAD)[number] | (typeof TAIL)[number];
/** Compile-time guard: a field added to ApplicationConfig must be placed in HEAD or TAIL. */
const everyFieldListed: [Exclude<keyof ApplicationConfig, Listed>] extends [never] ? true : false = true;

/**
 * Serialises an application record. `apiBase` is the public management base including `/v1`,
 * e.g. `http://localhost:8080/v1`; `_links` hrefs are absolute.
 */
export function toApplicationResponse(record: ApplicationRecord, apiBase: string): Record<string, unknown> {
  void everyFieldListed;
  const config: ApplicationConfig = { ...record.config, hiddenFromAppPortal: record.config.hiddenFromAppPortal ?? SCALAR_DEFAULTS.hiddenFromAppPortal };
  const out: Record<string, unknown> = {
    _links: applicationLinks(apiBase, record.environmentId, record.id),
    environment: { id: record.environmentId },
    id: record.id,
  };
  copy(out, config, HEAD);
  out.createdAt = record.createdAt;
  out.updatedAt = record.updatedAt;
  out.clientId = record.id;
  copy(out, config, TAIL);
  return out;
}

export function applicationLinks(apiBase: string, environmentId: string, applicationId: string): Record<string, { href: string }> {
  const base = apiBase.replace(/\/+$/, '');
  const environment = `${base}/environments/${environmentId}`;
  const self = `${environment}/applications/${applicationId}`;
  // PingOne's responses also carry `metadata`, which names no operation of its management API
  // description; Keyway leaves it out so that every link it emits can be followed (README,
  // "Operations Keyway does not implement").
  return {
    self: { href: self },
    environment: { href: environment },
    attributes: { href: `${self}/attributes` },
    secret: { href: `${self}/secret` },
    grants: { href: `${self}/grants` },
  };
}

/** Copies the set fields in order, cloning objects and arrays so callers cannot alias the record. */
function copy(out: Record<string, unknown>, config: ApplicationConfig, keys: readonly (keyof ApplicationConfig)[]): void {
  for (const key of keys) {
    const value = config[key];
    if (value !== undefined) out[key] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }
}
