/**
 * The stored configuration of an OIDC application: every PingOne field the client may set,
 * after defaults were applied. Server-owned fields (id, environment, clientId, timestamps,
 * links) live on the record, not here. See docs/pingone-reference.md §4.
 */
import type { ClientAssertionAudiencePolicy } from '../client-auth/audience-policy.js';
import type { ApplicationType } from './application-type.js';
import type { GrantType } from './grant-type.js';
import type { ParRequirement } from './par-requirement.js';
import type { PkceEnforcement } from './pkce-enforcement.js';
import type { ResponseType } from './response-type.js';
import type { TokenEndpointAuthMethod } from './token-endpoint-auth-method.js';

export const REFRESH_TOKEN_TYPES = ['JSON_WEB_TOKEN', 'OPAQUE_TOKEN'] as const;
export type RefreshTokenType = (typeof REFRESH_TOKEN_TYPES)[number];

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
  /** Kept as the exact string the client sent (docs/decisions.md, "Client keys are kept as sent"). */
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
