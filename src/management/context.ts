/**
 * Dependencies of the management services, built once in src/app.ts.
 */
import type { SigningKeyPairSource } from '../keys/signing-keys.js';
import type { Sealer } from '../keys/master-key.js';
import type { Store } from '../store/types.js';
import type { ChangeListener, JwksCacheAdmin, JwksUrlHostPolicy } from './ports.js';

export interface ManagementDeps {
  store: Store;
  sealer: Sealer;
  now(): Date;
  /** `{publicUrl}/v1`, the base of every `_links` href. */
  apiBase: string;
  publicUrl: string;
  changes: ChangeListener;
  jwksCache: JwksCacheAdmin;
  /** Refuses a `jwksUrl` naming a loopback, private or other blocked address unless allowed. */
  jwksUrlHosts: JwksUrlHostPolicy;
  /** Key pairs of new environments' signing keys (tests); default: a new RSA 2048 pair each. */
  signingKeyPair?: SigningKeyPairSource;
}
