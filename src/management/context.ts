/**
 * Dependencies of the management services, built once in src/app.ts.
 */
import type { KeyRing, SigningKeyPairSource } from '../keys/signing-keys.js';
import type { Sealer } from '../keys/master-key.js';
import type { Store } from '../store/types.js';

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

export interface ManagementDeps {
  store: Store;
  sealer: Sealer;
  keyRing: KeyRing;
  now(): Date;
  /** `{publicUrl}/v1`, the base of every `_links` href. */
  apiBase: string;
  publicUrl: string;
  changes: ChangeListener;
  jwksCache: JwksCacheAdmin;
  /** Key pairs of new environments' signing keys (tests); default: a new RSA 2048 pair each. */
  signingKeyPair?: SigningKeyPairSource;
}
