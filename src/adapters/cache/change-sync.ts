/**
 * Keeps the configuration caches of every instance sharing one database coherent.
 *
 * A committed management write is applied to this process's caches at once, so the next request
 * here sees it. Every instance, this one included, also hears of it through the store's change
 * feed: on PostgreSQL the write's own transaction announces it (triggers calling `pg_notify`,
 * delivered if and only if it commits), so nothing is published from here and a change cannot
 * be lost between commit and publication. Hearing one's own change applies it twice, which only
 * drops entries a second time. SQLite shared by several processes (KEYWAY_WORKERS) has no
 * notifications: its feed is the file's change log, written by triggers in the same way and read
 * before each cached entry is served (catchUp), so another process's committed change is applied
 * before the next request here. While the feed is not listening (starting, or its connection
 * lost) the caches are bypassed; each time it (re)starts listening every cache is dropped, since
 * whatever was committed in between was missed. A store without a feed (SQLite in one process)
 * has a single writer: its own notifications are complete and the caches are always trusted.
 */
import type { ChangeListener } from '../../management/ports.js';
import type { ChangeFeed, Store } from '../../store/types.js';
import { LocalCaches, type CacheFactories } from './local-caches.js';

export interface ChangeSyncLog {
  info(msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
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
    private readonly log: ChangeSyncLog,
  ) {
    const shared = store.openChangeFeed !== undefined;
    this.caches = new LocalCaches(factories, shared ? { trusted: () => this.trusted() } : {});
    this.changes = {
      applicationChanged: (environmentId, applicationId) => this.caches.apply({ kind: 'application', environmentId, applicationId }),
      environmentChanged: (environmentId) => this.caches.apply({ kind: 'environment', environmentId }),
    };
  }

  /** Cached entries may be served: a feed read on demand has caught up, and the feed listens. */
  private trusted(): boolean {
    const feed = this.feed;
    if (!feed) return false;
    feed.catchUp?.();
    return feed.listening;
  }

  /** Whether the change feed listens now; undefined for a store without one (one process on SQLite). */
  get listening(): boolean | undefined {
    if (!this.store.openChangeFeed) return undefined;
    return this.feed?.listening === true;
  }

  /** Starts listening for committed changes (does nothing for a store without a change feed). */
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
    });
  }

  async close(): Promise<void> {
    await this.feed?.close();
  }
}
