/**
 * Protocol settings of an application with their per-type defaults: grant and response types,
 * token endpoint authentication, PKCE, PAR, device authorization, refresh tokens and request
 * objects (docs/pingone-reference.md §4.2, §4.4).
 */
import { REFRESH_TOKEN_TYPES } from '../../domain/applications/application-config.js';
import type { ApplicationType } from '../../domain/applications/application-type.js';
import { GRANT_TYPES, type GrantType } from '../../domain/applications/grant-type.js';
import { PAR_REQUIREMENTS } from '../../domain/applications/par-requirement.js';
import { PKCE_ENFORCEMENTS } from '../../domain/applications/pkce-enforcement.js';
import { RESPONSE_TYPES } from '../../domain/applications/response-type.js';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../domain/applications/token-endpoint-auth-method.js';
import { detail } from '../errors.js';
import type { FieldReader } from '../fields.js';
import {
  DEVICE_PATH_ID_PATTERN,
  LIMITS,
  SCALAR_DEFAULTS,
  TYPE_DEFAULTS,
  defaultResponseTypes,
  refreshTokenDefaults,
} from './defaults.js';
import type { Section } from './general.js';
import { webUrlIssue } from './urls.js';

/**
 * `grantTypes`, `responseTypes` and `tokenEndpointAuthMethod`, each defaulted from the type's
 * row when omitted. A field that was sent but invalid stays `undefined`, and so does anything
 * whose default depends on it, so later rules do not report on guessed values.
 */
export function readGrantSettings(r: FieldReader, type: ApplicationType | undefined): Section {
  const row = type === undefined ? undefined : TYPE_DEFAULTS[type];
  const sentGrants = r.enumArray('grantTypes', GRANT_TYPES, { nonEmpty: true });
  const grantTypes = r.has('grantTypes') ? sentGrants : row && [...row.grantTypes];
  const sentResponses = r.enumArray('responseTypes', RESPONSE_TYPES);
  const canDeriveResponses = type !== undefined && (sentGrants !== undefined || !r.has('grantTypes'));
  const responseTypes = r.has('responseTypes')
    ? sentResponses
    : canDeriveResponses
      ? defaultResponseTypes(type, sentGrants)
      : undefined;
  const sentMethod = r.enumValue('tokenEndpointAuthMethod', TOKEN_ENDPOINT_AUTH_METHODS);
  const tokenEndpointAuthMethod = r.has('tokenEndpointAuthMethod') ? sentMethod : row?.tokenEndpointAuthMethod;
  return { grantTypes, responseTypes, tokenEndpointAuthMethod };
}

/** PKCE, PAR, device authorization and the multi-resource scope switch. */
export function readAuthorizationSettings(r: FieldReader): Section {
  const [parMin, parMax] = LIMITS.parTimeout;
  const [pollMin, pollMax] = LIMITS.devicePollingInterval;
  const [deviceMin, deviceMax] = LIMITS.deviceTimeout;
  return {
    pkceEnforcement: r.enumValue('pkceEnforcement', PKCE_ENFORCEMENTS) ?? orDefault(r, 'pkceEnforcement'),
    parRequirement: r.enumValue('parRequirement', PAR_REQUIREMENTS) ?? orDefault(r, 'parRequirement'),
    parTimeout: r.integer('parTimeout', parMin, parMax) ?? orDefault(r, 'parTimeout'),
    devicePollingInterval: r.integer('devicePollingInterval', pollMin, pollMax) ?? orDefault(r, 'devicePollingInterval'),
    deviceTimeout: r.integer('deviceTimeout', deviceMin, deviceMax) ?? orDefault(r, 'deviceTimeout'),
    devicePathId: readDevicePathId(r),
    deviceCustomVerificationUri: r.checkedString('deviceCustomVerificationUri', LIMITS.url, webUrlIssue),
    requestScopesForMultipleResourcesEnabled:
      r.boolean('requestScopesForMultipleResourcesEnabled') ?? orDefault(r, 'requestScopesForMultipleResourcesEnabled'),
  };
}

/** The scalar default, unless the field was sent (and so was invalid). */
function orDefault<K extends keyof typeof SCALAR_DEFAULTS>(r: FieldReader, key: K): (typeof SCALAR_DEFAULTS)[K] | undefined {
  return r.has(key) ? undefined : SCALAR_DEFAULTS[key];
}

function readDevicePathId(r: FieldReader): string | undefined {
  const value = r.string('devicePathId', 50);
  if (value === undefined || DEVICE_PATH_ID_PATTERN.test(value)) return value;
  r.report(
    detail.invalid('devicePathId', 'devicePathId must be 1 to 50 letters, digits, "_" or "-".', {
      allowedPattern: DEVICE_PATH_ID_PATTERN.source,
    }),
  );
  return undefined;
}

/**
 * Refresh-token settings. Defaults apply only with REFRESH_TOKEN (see `refreshTokenDefaults`);
 * `refreshTokenDuration` may not exceed the effective rolling duration, default included.
 */
export function readRefreshTokenSettings(r: FieldReader, grantTypes: readonly GrantType[] | undefined): Section {
  const [min, max] = LIMITS.refreshTokenDuration;
  const [graceMin, graceMax] = LIMITS.refreshTokenRollingGracePeriodDuration;
  const defaults = grantTypes ? refreshTokenDefaults(grantTypes) : {};
  const duration = r.integer('refreshTokenDuration', min, max);
  const rolling = r.integer('refreshTokenRollingDuration', min, max);
  const section: Section = {
    refreshTokenDuration: duration ?? (r.has('refreshTokenDuration') ? undefined : defaults.refreshTokenDuration),
    refreshTokenRollingDuration: rolling ?? (r.has('refreshTokenRollingDuration') ? undefined : defaults.refreshTokenRollingDuration),
    refreshTokenRollingGracePeriodDuration: r.integer('refreshTokenRollingGracePeriodDuration', graceMin, graceMax),
    refreshTokenType: r.enumValue('refreshTokenType', REFRESH_TOKEN_TYPES),
    additionalRefreshTokenReplayProtectionEnabled:
      r.boolean('additionalRefreshTokenReplayProtectionEnabled') ??
      (r.has('additionalRefreshTokenReplayProtectionEnabled') ? undefined : defaults.additionalRefreshTokenReplayProtectionEnabled),
  };
  const effectiveDuration = section.refreshTokenDuration;
  const effectiveRolling = section.refreshTokenRollingDuration;
  if (effectiveDuration !== undefined && effectiveRolling !== undefined && effectiveDuration > effectiveRolling) {
    const which = rolling === undefined ? ' (the default)' : '';
    r.report(
      detail.constraint(
        'refreshTokenDuration',
        `refreshTokenDuration (${effectiveDuration}) must be less than or equal to refreshTokenRollingDuration (${effectiveRolling}${which}).`,
      ),
    );
  }
  return section;
}

/** OIDC switches; the two request-object flags cannot both be true. */
export function readOidcSwitches(r: FieldReader): Section {
  const section: Section = {
    supportUnsignedRequestObject: r.boolean('supportUnsignedRequestObject'),
    requireSignedRequestObject: r.boolean('requireSignedRequestObject'),
    opSessionCheckEnabled: r.boolean('opSessionCheckEnabled'),
    idpSignoff: r.boolean('idpSignoff'),
    includeX5t: r.boolean('includeX5t'),
    includeTyp: r.boolean('includeTyp'),
  };
  if (section.supportUnsignedRequestObject === true && section.requireSignedRequestObject === true) {
    r.report(
      detail.constraint('requireSignedRequestObject', 'supportUnsignedRequestObject and requireSignedRequestObject cannot both be true.'),
    );
  }
  return section;
}
