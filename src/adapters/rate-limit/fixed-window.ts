/**
 * Failures counted per key in fixed windows: a key may fail `limit` times in the window that its
 * first failure opened; after that it waits until the window ends. Only failures create entries,
 * so asking whether a key may go on costs one Map lookup and writes nothing.
 *
 * Memory is bounded because keys come from the network (addresses, client ids): entries are kept
 * in the order their windows opened, so the oldest entry is always the next to expire. Expired
 * entries are dropped from the front as new ones arrive, and at `maxEntries` the oldest live one
 * goes too: the limit then fails open for that key, which is better than growing without bound.
 *
 * With a `shared` channel (./failure-channel.ts) the counter is one of several processes' alike
 * (the workers of KEYWAY_WORKERS, the instances on one database): each failure counted here is
 * announced to the others, and each one they announce is counted here, so a key's budget is one
 * for all of them.
 */
import type { FailureChannel } from './failure-channel.js';

/** The window of every limit Keyway keeps: failures per minute. */
export const WINDOW_MS = 60_000;
/** Entries per counter; a few hundred bytes each at most. */
export const MAX_ENTRIES = 50_000;

export interface FixedWindowOptions {
  /** Failures a key may have per window (at least 1). */
  limit: number;
  windowMs?: number;
  /** Entries kept at most. */
  maxEntries?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now: () => number;
  /** The other processes' counters of the same name, whose failures count here too. */
  shared?: { channel: FailureChannel; name: string };
}

interface Window {
  openedAt: number;
  failures: number;
}

export class FixedWindowCounter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly windows = new Map<string, Window>();
  private readonly announce: ((key: string) => void) | undefined;

  constructor(options: FixedWindowOptions) {
    if (!(Number.isInteger(options.limit) && options.limit >= 1)) throw new RangeError('limit must be a positive integer');
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? WINDOW_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? MAX_ENTRIES);
    this.now = options.now;
    const shared = options.shared;
    if (shared) {
      shared.channel.listen(shared.name, (key) => void this.count(key));
      this.announce = (key) => shared.channel.send(shared.name, key);
    }
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    const window = this.windows.get(key);
    if (window === undefined || window.failures < this.limit) return 0;
    return Math.max(0, window.openedAt + this.windowMs - this.now());
  }

  /**
   * Whole seconds until `key` may try again, rounded up so that a client told to wait
   * (Retry-After, RFC 9110 §10.2.3) never comes back early; 0 when it may now.
   */
  waitSeconds(key: string): number {
    return Math.ceil(this.waitMs(key) / 1000);
  }

  /**
   * Counts one failure of `key`. Returns true when this failure used the last of the key's
   * budget, which happens once per window (the moment worth one diagnostic).
   */
  fail(key: string): boolean {
    this.announce?.(key);
    return this.count(key);
  }

  /** Entries held (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  /** One failure of `key`, seen by this process or announced by another. */
  private count(key: string): boolean {
    const now = this.now();
    const window = this.windows.get(key);
    if (window !== undefined && !this.expired(window, now)) {
      window.failures += 1;
      return window.failures === this.limit;
    }
    // A renewed window moves to the end, keeping the Map in order of opening.
    this.windows.delete(key);
    this.makeRoom(now);
    this.windows.set(key, { openedAt: now, failures: 1 });
    return this.limit === 1;
  }

  private expired(window: Window, now: number): boolean {
    return now - window.openedAt >= this.windowMs;
  }

  private makeRoom(now: number): void {
    for (const [key, window] of this.windows) {
      if (this.windows.size < this.maxEntries && !this.expired(window, now)) return;
      this.windows.delete(key);
    }
  }
}
