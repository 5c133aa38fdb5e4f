/**
 * Environment rows read by the authorization server on every request, cached per process and
 * dropped when management changes or deletes the environment.
 */
import type { EnvironmentRecord, Store } from '../../store/types.js';
import { SingleFlightCache } from './single-flight-cache.js';

export class EnvironmentCache {
  /** Unknown ids are not cached: they are unbounded and cost one indexed read. */
  private readonly cache = new SingleFlightCache<EnvironmentRecord | undefined>({ keep: (env) => env !== undefined });

  constructor(private readonly store: Pick<Store, 'getEnvironment'>) {}

  get(environmentId: string): Promise<EnvironmentRecord | undefined> {
    return this.cache.get(environmentId, () => this.store.getEnvironment(environmentId));
  }

  forget(environmentId: string): void {
    this.cache.delete(environmentId);
  }
}
