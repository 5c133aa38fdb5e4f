/**
 * The environments' signing keys, parsed once and cached per environment; `forget(envId)` drops
 * them when keys change or the environment goes, and a set is read again when a retired key in
 * it reaches its `retireAt`. A failed load and an environment without keys
 * are not cached.
 */
import type { Sealer } from '../../keys/master-key.js';
import { loadEnvironmentKeys, type EnvironmentKeys, type SigningKeySource } from '../../keys/signing-keys.js';
import type { Store } from '../../store/types.js';
import { SingleFlightCache } from './single-flight-cache.js';

export class KeyRing implements SigningKeySource {
  private readonly cache = new SingleFlightCache<EnvironmentKeys | undefined>({ keep: (keys) => keys !== undefined });

  constructor(
    private readonly store: Pick<Store, 'listSigningKeys'>,
    private readonly sealer: Sealer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A set holding a retired key is read again once that key's `retireAt` has passed, so it leaves the JWKS then. */
  async get(environmentId: string): Promise<EnvironmentKeys | undefined> {
    const load = () => loadEnvironmentKeys(this.store, this.sealer, environmentId, this.now());
    const keys = await this.cache.get(environmentId, load);
    if (keys?.expiresAt === undefined || keys.expiresAt > this.now().getTime()) return keys;
    this.cache.delete(environmentId);
    return this.cache.get(environmentId, load);
  }

  forget(environmentId: string): void {
    this.cache.delete(environmentId);
  }
}
