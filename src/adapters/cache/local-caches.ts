/**
 * This process's caches of configuration (client profiles, client keys, environment signing
 * keys, environment rows) behind stable views that the routes and services hold. The views let
 * the caches be dropped all at once (a new set replaces the old; loads still in flight land in
 * the old one and are discarded) and be bypassed.
 *
 * Bypass: while `trusted()` is false, i.e. while changes made by other instances might go
 * unseen (the change feed is not listening), every lookup is served by a throwaway cache, so
 * it reads the store. Nothing stale is served during an outage of the feed, and a database that
 * cannot be reached answers 503 instead of tokens issued from memory. The `jwksUrl` cache is
 * shared and kept: its entries are keyed by the URL taken from the (freshly read) client
 * profile, so no database change can make them stale, and refetching every remote set on each
 * reconnection would only hurt availability.
 */
import type { SigningKeySource } from '../../keys/signing-keys.js';
import type { ClientDirectory, ClientKeySource } from '../../protocol/client-auth/ports.js';
import type { ConfigChange, EnvironmentRecord } from '../../store/types.js';

/** A cache whose entries of one application, or of a whole environment, can be dropped. */
interface Forgetting {
  forget(environmentId: string, applicationId?: string): void;
}

/** One cache of each kind, as the views and `apply` use them. */
interface CacheSet {
  directory: ClientDirectory & Forgetting;
  clientKeys: ClientKeySource & Forgetting;
  keyRing: SigningKeySource & Forgetting;
  environments: { get(environmentId: string): Promise<EnvironmentRecord | undefined> } & Forgetting;
}

/** Makes one empty cache of each kind. */
export type CacheFactories = { [K in keyof CacheSet]: () => CacheSet[K] };

export interface LocalCachesOptions {
  /** Whether cached entries may be served; when false every lookup reads the store. Default: always. */
  trusted?: () => boolean;
}

export class LocalCaches {
  readonly directory: ClientDirectory;
  readonly clientKeys: ClientKeySource;
  readonly environments: { get(environmentId: string): Promise<EnvironmentRecord | undefined> };
  /** The environments' signing keys, from the current or a throwaway ring. */
  readonly keyRing: SigningKeySource;
  private current: CacheSet;
  private readonly trusted: () => boolean;

  constructor(
    private readonly make: CacheFactories,
    options: LocalCachesOptions = {},
  ) {
    this.trusted = options.trusted ?? (() => true);
    this.current = this.makeSet();
    this.directory = { find: (envId, clientId) => this.pick('directory').find(envId, clientId) };
    this.clientKeys = { keysFor: (client, opts) => this.pick('clientKeys').keysFor(client, opts) };
    this.environments = { get: (envId) => this.pick('environments').get(envId) };
    this.keyRing = { get: (envId) => this.pick('keyRing').get(envId) };
  }

  /** Applies a change committed here or reported by another instance. */
  apply(change: ConfigChange): void {
    const c = this.current;
    switch (change.kind) {
      case 'application':
        c.directory.forget(change.environmentId, change.applicationId);
        c.clientKeys.forget(change.environmentId, change.applicationId);
        return;
      case 'environment':
        c.directory.forget(change.environmentId);
        c.clientKeys.forget(change.environmentId);
        c.keyRing.forget(change.environmentId);
        c.environments.forget(change.environmentId);
        return;
      case 'all':
        this.dropAll();
    }
  }
  /** Replaces every cache with an empty one. */
  dropAll(): void {
    this.current = this.makeSet();
  }

  private makeSet(): CacheSet {
    return {
      directory: this.make.directory(),
      clientKeys: this.make.clientKeys(),
      keyRing: this.make.keyRing(),
      environments: this.make.environments(),
    };
  }

  private pick<K extends keyof CacheSet>(kind: K): CacheSet[K] {
    return this.trusted() ? this.current[kind] : this.make[kind]();
  }
}
