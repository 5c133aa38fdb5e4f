/**
 * The environments' signing keys, parsed once and cached per environment; `forget(envId)` drops
 * them when keys change or the environment goes. A failed load and an environment without keys
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
  ) {}

  get(environmentId: string): Promise<EnvironmentKeys | undefined> {
    return this.cache.get(environmentId, () => loadEnvironmentKeys(this.store, this.sealer, environmentId));
  }

  forget(environmentId: string): void {
    this.cache.delete(environmentId);
  }
}
