/**
 * The stored configuration of an OIDC application: every PingOne field the client may set,
 * after defaults were applied. Server-owned fields (id, environment, clientId, timestamps,
 * links) live on the record, not here. See reference/pingone-api.md §4.
 */
export const APPLICATION_TYPES = ['WEB_APP', 'NATIVE_APP', 'SINGLE_PAGE_APP', 'WORKER', 'SERVICE', 'CUSTOM_APP'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

export const GRANT_TYPES = [
  'AUTHORIZATION_CODE',
  'IMPLICIT',
  'REFRESH_TOKEN',
  'CLIENT_CREDENTIALS',
  'DEVICE_CODE',
  'TOKEN_EXCHANGE',
  'CIBA',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const RESPONSE_TYPES = ['TOKEN', 'ID_TOKEN', 'CODE'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'NONE',
  'CLIENT_SECRET_BASIC',
  'CLIENT_SECRET_POST',
  'PRIVATE_KEY_JWT',
  'CLIENT_SECRET_JWT',
] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

export type PkceEnforcement = 'OPTIONAL' | 'REQUIRED' | 'S256_REQUIRED';
export type ParRequirement = 'OPTIONAL' | 'REQUIRED';
export type RefreshTokenType = 'JSON_WEB_TOKEN' | 'OPAQUE_TOKEN';

/** Keyway extension (DESIGN.md): which `aud` forms a client assertion may use. */
export const CLIENT_ASSERTION_AUDIENCE_POLICIES = ['PINGONE_COMPATIBLE', 'ISSUER_ONLY', 'ISSUER_ONLY_STRING'] as const;
export type ClientAssertionAudiencePolicy = (typeof CLIENT_ASSERTION_AUDIENCE_POLICIES)[number];

export interface CorsSettings {
  behavior: 'ALLOW_NO_ORIGINS' | 'ALLOW_SPECIFIC_ORIGINS';
  origins?: string[];
}

export interface ApplicationConfig {
  name: string;
  description?: string;
  enabled: boolean;
  type: ApplicationType;
  protocol: 'OPENID_CONNECT';
  hiddenFromAppPortal?: boolean;
  icon?: { id: string; href: string };
  loginPageUrl?: string;
  homePageUrl?: string;
  initiateLoginUri?: string;
  targetLinkUri?: string;
  accessControl?: Record<string, unknown>;
  tags?: string[];
  assignActorRoles: boolean;
  grantTypes: GrantType[];
  responseTypes: ResponseType[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Kept as the exact string the client sent (DESIGN.md). */
  jwks?: string;
  jwksUrl?: string;
  pkceEnforcement: PkceEnforcement;
  parRequirement: ParRequirement;
  parTimeout: number;
  devicePollingInterval: number;
  deviceTimeout: number;
  devicePathId?: string;
  deviceCustomVerificationUri?: string;
  redirectUris?: string[];
  allowWildcardInRedirectUris?: boolean;
  postLogoutRedirectUris?: string[];
  refreshTokenDuration?: number;
  refreshTokenRollingDuration?: number;
  refreshTokenRollingGracePeriodDuration?: number;
  refreshTokenType?: RefreshTokenType;
  additionalRefreshTokenReplayProtectionEnabled?: boolean;
  requestScopesForMultipleResourcesEnabled: boolean;
  supportUnsignedRequestObject?: boolean;
  requireSignedRequestObject?: boolean;
  opSessionCheckEnabled?: boolean;
  idpSignoff?: boolean;
  includeX5t?: boolean;
  includeTyp?: boolean;
  corsSettings?: CorsSettings;
  signing?: { keyRotationPolicy: { id: string } };
  /** Keyway extension: pin for the client-assertion `alg`. */
  tokenEndpointAuthSigningAlg?: string;
  /** Keyway extension: per-application override of the environment's audience policy. */
  clientAssertionAudiencePolicy?: ClientAssertionAudiencePolicy;
}
