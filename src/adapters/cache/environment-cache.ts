/**
 * Environment rows read by the authorization server on every request, cached per process and
 * dropped when management changes or deletes the environment.
 */
import type { EnvironmentRecord, Store } from '../../store/types.js';

export class EnvironmentCache {
  private readonly cache = new Map<string, Promise<EnvironmentRecord | undefined>>();

  constructor(private readonly store: Store) {}

  get(environmentId: string): Promise<EnvironmentRecord | undefined> {
    let entry = this.cache.get(environmentId);
    if (!entry) {
      entry = this.store.getEnvironment(environmentId);
      // Unknown ids are not cached: they are unbounded and cost one indexed read.
      entry.then((env) => env ?? this.cache.delete(environmentId), () => this.cache.delete(environmentId));
      this.cache.set(environmentId, entry);
    }
    return entry;
  }

  forget(environmentId: string): void {
    this.cache.delete(environmentId);
  }
}
