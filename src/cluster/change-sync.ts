/**
 * Keeps the configuration caches of every instance sharing one database coherent.
 *
 * A committed management write is applied to this process's caches at once, then published to
 * the other instances through the store's change feed (PostgreSQL `NOTIFY`), which apply it when
 * it arrives. While the feed is not listening (starting, or its connection lost) the caches are
 * bypassed; each time it (re)starts listening every cache is dropped, since whatever was
 * published in between was missed. A store without a feed (SQLite) has a single writer: its own
 * notifications are complete and the caches are always trusted.
 */
import type { ChangeListener } from '../management/context.js';
import type { ChangeFeed, ConfigChange, Store } from '../store/types.js';
import { LocalCaches, type CacheFactories, type LocalCachesOptions } from './local-caches.js';

export interface ChangeSyncLog {
  info(msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export class ChangeSync {
  readonly caches: LocalCaches;
  /** For the management services: called after each committed write. */
  readonly changes: ChangeListener;
  private feed: ChangeFeed | undefined;
  private listenedBefore = false;

  constructor(
    private readonly store: Store,
    factories: CacheFactories,
    base: Omit<LocalCachesOptions, 'trusted'>,
    private readonly log: ChangeSyncLog,
  ) {
    const shared = store.openChangeFeed !== undefined;
    this.caches = new LocalCaches(factories, { ...base, ...(shared ? { trusted: () => this.feed?.listening === true } : {}) });
    this.changes = {
      applicationChanged: (environmentId, applicationId) => this.committed({ kind: 'application', environmentId, applicationId }),
      environmentChanged: (environmentId) => this.committed({ kind: 'environment', environmentId }),
    };
  }

  /** Starts listening to the other instances (does nothing for a store without a change feed). */
  start(): void {
    if (this.feed || !this.store.openChangeFeed) return;
    this.feed = this.store.openChangeFeed({
      changed: (change) => this.caches.apply(change),
      listening: () => {
        this.caches.dropAll();
        if (this.listenedBefore) this.log.warn({}, 'configuration change feed listening again; every cached configuration was dropped');
        else this.log.info('configuration change feed listening');
        this.listenedBefore = true;
      },
      lost: (reason) =>
        this.log.warn({ reason }, 'configuration change feed lost its connection; caches are bypassed until it reconnects'),
      publishFailed: (change, reason) =>
        this.log.error({ change, reason }, 'could not publish a configuration change; other instances may serve it stale until their feed reconnects'),
    });
  }

  async close(): Promise<void> {
    await this.feed?.close();
  }

  private committed(change: ConfigChange): void {
    this.caches.apply(change);
    void this.feed?.publish(change);
  }
}
