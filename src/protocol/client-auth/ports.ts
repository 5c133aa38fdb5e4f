/**
 * What client authentication needs from the rest of Keyway: the client directory, the clients'
 * registered keys, single use of assertion `jti`s and the diagnostics sink. Declared here,
 * implemented in src/adapters/ over the store, with caching (docs/architecture.md, rule 1).
 */
import type { KeyObject } from 'node:crypto';
import type { ApplicationType } from '../../domain/applications/application-type.js';
import type { GrantType } from '../../domain/applications/grant-type.js';
import type { TokenEndpointAuthMethod } from '../../domain/applications/token-endpoint-auth-method.js';
import type { ClientAssertionAudiencePolicy } from '../../domain/client-auth/audience-policy.js';
import type { ResourceType } from '../../domain/resource-type.js';
import type { ClientPublicKey } from '../../jose/client-public-key.js';
import type { ClaimMapping } from '../claims/mapped-claims.js';

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
  /** Keyway extension: the only `alg` accepted for client assertions, when set. */
  tokenEndpointAuthSigningAlg?: string;
  /** Keyway extension: overrides the environment's audience policy for client assertions. */
  clientAssertionAudiencePolicy?: ClientAssertionAudiencePolicy;
  /** Inline `jwks`, parsed and validated once when the profile is loaded. */
  jwks?: readonly ClientPublicKey[];
  jwksUrl?: string;
  /** PingOne's `signing.keyRotationPolicy.id`: the policy whose CURRENT key signs the application's tokens. */
  signingPolicyId?: string;
}

/** A public key the client registered, ready for signature verification. */
export interface VerificationKey {
  kid?: string;
  kty: 'RSA' | 'EC' | 'OKP';
  /** EC / OKP curve. */
  crv?: string;
  /** `alg` named by the registered key, if any. */
  alg?: string;
  /** `use`, if registered; keys with `use: enc` never verify assertions. */
  use?: string;
  key: KeyObject;
  /** Where the key came from, for diagnostics. */
  source: 'jwks' | 'jwksUrl' | 'certificate';
}

/**
 * The client's registered keys: inline `jwks`, uploaded certificates valid now, or the set
 * fetched from `jwksUrl` (cached). Never keys named in a JWT header.
 */
export interface ClientKeySource {
  /**
   * Keys of the client. `refreshForKid` asks a remote set to be refetched because an assertion
   * named a kid it does not hold (rate-limited by the implementation).
   * @throws InvalidClient('JWKS_FETCH_FAILED') when the remote set cannot be had and none is cached.
   */
  keysFor(client: Client, opts: { now: Date; refreshForKid?: string }): Promise<readonly VerificationKey[]>;
}

/** Single use of client-assertion `jti`s per (environment, client), across endpoints and instances. */
export interface AssertionReplayStore {
  /**
   * Records the jti until `expiresAt`. Returns false when it is already recorded (a replay).
   * Throws when the store cannot record (the caller answers 503 and issues nothing).
   */
  record(environmentId: string, clientId: string, jti: string, expiresAt: Date): Promise<boolean>;
}

/**
 * Failed client authentications of one request's source address, counted so that a flood of
 * them is refused early (docs/decisions.md, "Failed authentications are rate limited"). Bound to
 * the environment and the address where the request enters; the client id, once the request names
 * one, narrows the count to that client.
 */
export interface ClientAuthAttempts {
  /**
   * Seconds the source must wait before authenticating again: as any client when `clientId` is
   * undefined, else as that client. 0 when it may go on; asking writes nothing.
   */
  waitSeconds(clientId?: string): number;
  /**
   * Counts one failure of the source (as `clientId`, when the request named one). Returns the
   * budget when this failure spent the last of the source's budget for that client, which
   * happens at most once per window; undefined otherwise.
   */
  failed(clientId: string | undefined): ClientAuthLimitReached | undefined;
}

/** What an administrator is told when one source spent a client's budget. */
export interface ClientAuthLimitReached {
  /** The source as counted: an IPv4 address or an IPv6 /64 prefix. */
  source: string;
  limit: number;
  windowSeconds: number;
}

/** How an accepted assertion named its audience, for diagnostics of legacy forms. */
export type AudienceForm = 'ISSUER_STRING' | 'ISSUER_ARRAY' | 'TOKEN_ENDPOINT' | 'ENDPOINT_URL' | 'ARRAY';

/** A client-authentication outcome worth recording for the application (never the assertion). */
export interface ClientAuthEvent {
  outcome: 'FAILURE' | 'LEGACY_SUCCESS';
  reason: string;
  method?: TokenEndpointAuthMethod;
  kid?: string;
  alg?: string;
  audienceForm?: AudienceForm | 'INVALID';
  /** Private detail, shown to admins only. */
  detail?: string;
  endpoint: string;
  at: Date;
}

export interface ClientAuthEventSink {
  /** Fire-and-forget: must not slow down or fail the request. */
  record(environmentId: string, applicationId: string, event: ClientAuthEvent): void;
}

export interface ClientSecrets {
  current: string;
  previous?: { secret: string; expiresAt: Date };
}

export interface GrantedResource {
  resourceId: string;
  type: ResourceType;
  audience: string;
  accessTokenValiditySeconds: number;
  scopes: readonly string[];
  /** The resource's custom attributes: claims of its access tokens, compiled once per load. */
  attributes?: readonly ClaimMapping[];
}

/** Everything about one client that token issuance reads, cached as one unit. */
export interface ClientProfile {
  client: Client;
  secrets: ClientSecrets | undefined;
  grants: readonly GrantedResource[];
  /** True when the application holds at least one administrator role assignment. */
  hasRoles: boolean;
  /**
   * The application's attribute mappings (ID token and userinfo claims), compiled once per
   * load; the core `sub` mapping only once its value was replaced. Empty or absent: none.
   */
  claimMappings?: readonly ClaimMapping[];
}

export interface ClientDirectory {
  /** The client in this environment, or undefined (unknown id, other environment). */
  find(environmentId: string, clientId: string): Promise<ClientProfile | undefined>;
}
