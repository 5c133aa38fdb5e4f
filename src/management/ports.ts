/**
 * What the management services need from the rest of Keyway beyond the store and the keys,
 * declared here and implemented in src/adapters/ (wired in src/app.ts).
 */

/** Notified after a committed write so caches in this process drop stale entries. */
export interface ChangeListener {
  applicationChanged(environmentId: string, applicationId: string): void;
  environmentChanged(environmentId: string): void;
}

/** Admin view of the cached `jwksUrl` key sets (implemented over the authorization server's cache). */
export interface JwksCacheAdmin {
  /** What is cached for the application, or undefined when it has no jwksUrl. */
  read(environmentId: string, applicationId: string): Promise<Record<string, unknown> | undefined>;
  /** Fetches the set now (single flight), then returns the snapshot. */
  refresh(environmentId: string, applicationId: string): Promise<Record<string, unknown> | undefined>;
}

/**
 * Registration-time check of a `jwksUrl` host (implemented over the guarded fetcher's address
 * policy and KEYWAY_FETCH_ALLOW). Only literal addresses and `localhost` names can be judged here;
 * other names are resolved, and their addresses checked, when the fetcher connects.
 */
export interface JwksUrlHostPolicy {
  /** Why Keyway will not fetch from `hostname` (e.g. "loopback"), or undefined. `hostname` as `URL.hostname` gives it. */
  refusal(hostname: string): string | undefined;
}

/** The claims of a verified access token that decide whether it is a management-API token. */
export interface AccessTokenClaims {
  client_id: string;
  aud: readonly string[];
  env?: string;
  org?: string;
}

/**
 * Verifies access tokens this server issued, exactly as the authorization server does
 * (signature by the environment's keys, exact issuer, expiry, revocation).
 */
export interface AccessTokenVerifier {
  /** The claims of an active token issued by `environmentId`'s authorization server; undefined for anything else. */
  verify(environmentId: string, token: string, now: Date): Promise<AccessTokenClaims | undefined>;
}
