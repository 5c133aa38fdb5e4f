/**
 * Group commit for small single-row writes on the hot path (client-assertion jtis) on a
 * connection of the event loop's thread (an in-memory database, which has no jti writer thread).
 * The writes a batch carries (src/threads/batch-queue.ts) are committed in ONE `BEGIN IMMEDIATE`
 * transaction, so one fsync (synchronous=FULL) covers them all, and no caller hears "recorded"
 * before its row is durable. Each row runs in its own savepoint, so one bad row fails only its
 * own caller.
 */
import { BatchQueue, type Outcome } from '../../threads/batch-queue.js';
import type { Connection } from './connection.js';

/** A batch larger than this is split, bounding how long one transaction holds the write lock. */
const MAX_BATCH = 256;

export class GroupCommit<I, R> {
  private readonly batches: BatchQueue<I, R>;

  constructor(
    private readonly conn: Connection,
    private readonly writeOne: (item: I) => R,
    private readonly mapError: (err: unknown) => unknown,
  ) {
    this.batches = new BatchQueue((items) => Promise.resolve(this.commit(items)), MAX_BATCH);
  }

  submit(item: I): Promise<R> {
    return this.batches.submit(item);
  }

  private commit(items: readonly I[]): Array<Outcome<R>> {
    const outcomes: Array<Outcome<R>> = [];
    try {
      this.conn.write(() => {
        for (const item of items) outcomes.push(this.savepoint(item));
      });
    } catch (err) {
      // The transaction itself failed (I/O, lock timeout): nobody's row is durable.
      throw this.mapError(err);
    }
    return outcomes;
  }

  private savepoint(item: I): Outcome<R> {
    try {
      return { ok: true, value: this.conn.write(() => this.writeOne(item)) };
    } catch (err) {
      return { ok: false, error: this.mapError(err) };
    }
  }
}
