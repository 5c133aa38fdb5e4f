/**
 * Group commit for small single-row writes on the hot path (client-assertion jtis). Writes
 * submitted while the event loop is busy are committed together in ONE `BEGIN IMMEDIATE`
 * transaction when it next turns, so one fsync (synchronous=FULL) covers them all, and no caller
 * hears "recorded" before its row is durable. Each row runs in its own savepoint, so one bad row
 * fails only its own caller.
 */
import type { Connection } from './connection.js';

interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/** A batch larger than this is split, bounding how long one transaction holds the write lock. */
const MAX_BATCH = 256;

export class GroupCommit<I, R> {
  private pending: Pending<I, R>[] = [];
  private scheduled = false;

  constructor(
    private readonly conn: Connection,
    private readonly writeOne: (item: I) => R,
    private readonly mapError: (err: unknown) => unknown,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) this.commit(this.pending.splice(0, MAX_BATCH));
  }

  private commit(batch: Pending<I, R>[]): void {
    const outcomes: Array<{ ok: true; result: R } | { ok: false; err: unknown }> = [];
    try {
      this.conn.write(() => {
        for (const entry of batch) outcomes.push(this.savepoint(entry.item));
      });
    } catch (err) {
      // The transaction itself failed (I/O, lock timeout): nobody's row is durable.
      const mapped = this.mapError(err);
      for (const entry of batch) entry.reject(mapped);
      return;
    }
    batch.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) entry.resolve(outcome.result);
      else entry.reject(this.mapError(outcome?.err));
    });
  }

  private savepoint(item: I): { ok: true; result: R } | { ok: false; err: unknown } {
    try {
      return { ok: true, result: this.conn.write(() => this.writeOne(item)) };
    } catch (err) {
      return { ok: false, err };
    }
  }
}
