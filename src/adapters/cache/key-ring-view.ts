/**
 * A KeyRing (the type the services and routes take) whose lookups are delegated, so the ring
 * behind it can be replaced or bypassed (see local-caches.ts). Its own cache stays empty.
 */
import type { Sealer } from '../../keys/master-key.js';
import { KeyRing, type EnvironmentKeys } from '../../keys/signing-keys.js';
import type { Store } from '../../store/types.js';

export interface KeyRingLookups {
  get(environmentId: string): Promise<EnvironmentKeys | undefined>;
  forget(environmentId: string): void;
}

export class KeyRingView extends KeyRing {
  constructor(
    store: Store,
    sealer: Sealer,
    private readonly lookups: KeyRingLookups,
  ) {
    super(store, sealer);
  }

  override get(environmentId: string): Promise<EnvironmentKeys | undefined> {
    return this.lookups.get(environmentId);
  }

  override forget(environmentId: string): void {
    this.lookups.forget(environmentId);
  }
}
