/**
 * Work that waits for one another, handed off the event loop in batches: the token endpoint's
 * one write (client-assertion jtis, on either engine) and its key operations (./key-operations.ts).
 * Each of `lanes` (a thread, or the one database connection) has one batch at a time, and the
 * items submitted meanwhile travel together as the next one (at most `maxBatch`; more wait for
 * the batch after). Under load a batch is as large as what arrived during one commit, so a
 * commit's fixed costs (a round trip, an fsync, a wake-up of each thread) are shared by many
 * callers instead of a few; an item waits at most for the batch ahead of it. What waits when lanes
 * fall free is shared evenly among them, so that a batch does not wait behind one lane while
 * another idles. The first batch leaves at the end of the event loop's turn that submitted it
 * (setImmediate), so the items of one turn share it too.
 */

/** What a commit answers for one item: its result, or the error that failed it alone. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (err: unknown) => void;
}

export class BatchQueue<I, R> {
  private queue: Array<Waiting<I, R>> = [];
  /** A flush is due at the end of this turn of the loop. */
  private scheduled = false;
  /** The lanes committing a batch: new items wait for one of them to answer. */
  private readonly busy: boolean[];
  private closedWith: unknown;

  /**
   * `commit` writes one batch on `lane` (0 to lanes - 1) and answers an outcome per item, in
   * order; when it rejects, every item of the batch fails with that error (nobody's write is
   * known to be durable).
   */
  constructor(
    private readonly commit: (items: readonly I[], lane: number) => Promise<ReadonlyArray<Outcome<R>>>,
    private readonly maxBatch: number,
    lanes = 1,
  ) {
    if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`lanes: ${lanes} is not a positive integer`);
    this.busy = new Array<boolean>(lanes).fill(false);
  }

  submit(item: I): Promise<R> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Refuses new items with `err` and fails those still waiting for a batch with it. */
  close(err: unknown): void {
    this.closedWith = err;
    this.failWaiting(err);
  }

  /** Fails the items waiting for a batch (not the one being committed) with `err`. */
  failWaiting(err: unknown): void {
    const waiting = this.queue;
    this.queue = [];
    for (const w of waiting) w.reject(err);
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || !this.busy.includes(false)) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Shares what waits evenly among the free lanes. */
  private flush(): void {
    this.scheduled = false;
    const free = this.busy.flatMap((busy, lane) => (busy ? [] : [lane]));
    const share = Math.min(this.maxBatch, Math.ceil(this.queue.length / Math.max(1, free.length)));
    for (const lane of free) {
      if (this.queue.length === 0) break;
      void this.run(lane, this.queue.splice(0, share));
    }
  }

  private async run(lane: number, batch: Array<Waiting<I, R>>): Promise<void> {
    this.busy[lane] = true;
    let outcomes: ReadonlyArray<Outcome<R>>;
    try {
      outcomes = await this.commit(batch.map((w) => w.item), lane);
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false, error }));
    }
    this.busy[lane] = false;
    this.schedule();
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) w.resolve(outcome.value);
      else w.reject(outcome === undefined ? new Error('the commit answered no outcome for this item') : outcome.error);
    });
  }
}
