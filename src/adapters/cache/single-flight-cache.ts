/**
 * A cache of asynchronous lookups by key, one flight per key: callers asking for a key whose
 * load is under way share that load. A load that rejects is never kept, so the next call tries
 * again; a resolved value is kept unless `keep` refuses it (unknown ids, say, which are unbounded
 * and cheap to look up again). Dropping an entry while its load is in flight lets the next call
 * start a fresh load; the old one settles without touching the new entry.
 */
export interface SingleFlightCacheOptions<V> {
  /** Entries held at most; the whole cache is cleared before one more is added (default: unbounded). */
  maxEntries?: number;
  /** Whether a loaded value stays cached (default: every value). */
  keep?: (value: V) => boolean;
}

export class SingleFlightCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  private readonly maxEntries: number;
  private readonly keep: (value: V) => boolean;

  constructor(options: SingleFlightCacheOptions<V> = {}) {
    this.maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
    this.keep = options.keep ?? (() => true);
  }

  /** The cached or in-flight value of `key`, else the value `load` produces. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const entry = load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, entry);
    entry.then(
      (value) => {
        if (!this.keep(value)) this.drop(key, entry);
      },
      () => this.drop(key, entry),
    );
    return entry;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose key starts with `prefix`. */
  deletePrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private drop(key: string, entry: Promise<V>): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
