/**
 * Server defaults and bounds for OIDC applications (docs/pingone-reference.md §4.2, §4.4).
 * A PUT is a full replacement, so create and replace apply the same defaults.
 */
import type { ApplicationType } from '../../domain/applications/application-type.js';
import type { GrantType } from '../../domain/applications/grant-type.js';
import { RESPONSE_TYPES, type ResponseType } from '../../domain/applications/response-type.js';
import type { TokenEndpointAuthMethod } from '../../domain/applications/token-endpoint-auth-method.js';

export interface TypeDefaults {
  grantTypes: readonly GrantType[];
  responseTypes: readonly ResponseType[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
}

/** PingOne's "Application Management" table, one row per user-creatable type. */
export const TYPE_DEFAULTS: Readonly<Record<ApplicationType, TypeDefaults>> = {
  WEB_APP: { grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' },
  NATIVE_APP: {
    grantTypes: ['AUTHORIZATION_CODE', 'IMPLICIT'],
    responseTypes: ['TOKEN', 'ID_TOKEN', 'CODE'],
    tokenEndpointAuthMethod: 'NONE',
  },
  SINGLE_PAGE_APP: { grantTypes: ['IMPLICIT'], responseTypes: ['TOKEN', 'ID_TOKEN'], tokenEndpointAuthMethod: 'NONE' },
  WORKER: { grantTypes: ['CLIENT_CREDENTIALS'], responseTypes: ['TOKEN'], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' },
  SERVICE: { grantTypes: ['CLIENT_CREDENTIALS'], responseTypes: ['TOKEN'], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' },
  CUSTOM_APP: { grantTypes: ['DEVICE_CODE', 'REFRESH_TOKEN'], responseTypes: [], tokenEndpointAuthMethod: 'NONE' },
};

/** Defaults every OIDC application carries whatever its type. */
export const SCALAR_DEFAULTS = {
  pkceEnforcement: 'OPTIONAL',
  parRequirement: 'OPTIONAL',
  parTimeout: 60,
  devicePollingInterval: 5,
  deviceTimeout: 600,
  assignActorRoles: false,
  requestScopesForMultipleResourcesEnabled: false,
  hiddenFromAppPortal: false,
} as const;

/** Applied only when the effective grant types include REFRESH_TOKEN (see `refreshTokenDefaults`). */
export const REFRESH_TOKEN_DEFAULTS = {
  refreshTokenDuration: 2_592_000,
  refreshTokenRollingDuration: 15_552_000,
  additionalRefreshTokenReplayProtectionEnabled: true,
} as const;

/** Bounds (PingOne's where documented; Keyway's own otherwise, see README). */
export const LIMITS = {
  name: 256,
  description: 1024,
  url: 2048,
  redirectUris: 100,
  postLogoutRedirectUris: 100,
  corsOrigins: 20,
  id: 256,
  accessControlGroups: 100,
  parTimeout: [1, 600],
  devicePollingInterval: [1, 60],
  deviceTimeout: [1, 3600],
  refreshTokenDuration: [60, 2_147_483_647],
  refreshTokenRollingGracePeriodDuration: [0, 86_400],
} as const;

export const DEVICE_PATH_ID_PATTERN = /^[a-zA-Z0-9_-]{1,50}$/;

/**
 * Response types when the body omits them. With the type's default grant types (or none sent)
 * this is the type's default row. With other grant types it is derived from them: CODE for
 * AUTHORIZATION_CODE, TOKEN and ID_TOKEN for IMPLICIT, so a SINGLE_PAGE_APP sent with
 * `grantTypes: ["AUTHORIZATION_CODE"]` gets `["CODE"]` instead of a contradiction.
 */
export function defaultResponseTypes(type: ApplicationType, grantTypes: readonly GrantType[] | undefined): ResponseType[] {
  const row = TYPE_DEFAULTS[type];
  if (grantTypes === undefined || sameMembers(grantTypes, row.grantTypes)) return [...row.responseTypes];
  const wanted = new Set<ResponseType>();
  if (grantTypes.includes('IMPLICIT')) wanted.add('TOKEN').add('ID_TOKEN');
  if (grantTypes.includes('AUTHORIZATION_CODE')) wanted.add('CODE');
  return RESPONSE_TYPES.filter((r) => wanted.has(r));
}

/**
 * Refresh-token defaults are filled in only for applications that can receive refresh tokens
 * (REFRESH_TOKEN among the grant types), matching PingOne's responses, which omit them otherwise.
 * Values the client sent are always kept, with or without REFRESH_TOKEN.
 */
export function refreshTokenDefaults(grantTypes: readonly GrantType[]): Partial<typeof REFRESH_TOKEN_DEFAULTS> {
  return grantTypes.includes('REFRESH_TOKEN') ? { ...REFRESH_TOKEN_DEFAULTS } : {};
}

function sameMembers<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
