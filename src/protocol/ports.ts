/**
 * What the protocol layer needs from the rest of Keyway, declared where it is used
 * (house rule 1). Implemented in src/oauth/ over the store, with caching.
 */
import type { KeyObject } from 'node:crypto';
import type { ApplicationType, GrantType, TokenEndpointAuthMethod } from '../management/applications/model.js';

/** An application as the authorization server sees it. */
export interface Client {
  environmentId: string;
  id: string;
  enabled: boolean;
  type: ApplicationType;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: readonly GrantType[];
  requestScopesForMultipleResourcesEnabled: boolean;
  includeTyp: boolean;
}

export interface ClientSecrets {
  current: string;
  previous?: { secret: string; expiresAt: Date };
}

export interface GrantedResource {
  resourceId: string;
  type: 'OPENID_CONNECT' | 'PINGONE_API' | 'CUSTOM';
  audience: string;
  accessTokenValiditySeconds: number;
  scopes: readonly string[];
}

/** Everything about one client that token issuance reads, cached as one unit. */
export interface ClientProfile {
  client: Client;
  secrets: ClientSecrets | undefined;
  grants: readonly GrantedResource[];
  /** True when the application holds at least one administrator role assignment. */
  hasRoles: boolean;
}

export interface ClientDirectory {
  /** The client in this environment, or undefined (unknown id, other environment). */
  find(environmentId: string, clientId: string): Promise<ClientProfile | undefined>;
}

export interface IssuerKeys {
  /** The environment's active signing key, or undefined for an unknown environment. */
  activeKey(environmentId: string): Promise<{ kid: string; privateKey: KeyObject } | undefined>;
}

/** Per-environment facts the protocol needs: issuer URL, organization, PingOne API audience. */
export interface IssuerContext {
  environmentId: string;
  organizationId: string;
  /** `{publicUrl}/{envId}/as` */
  issuer: string;
  /** Audience of the management API (the PingOne API resource). */
  managementAudience: string;
  now: Date;
}
