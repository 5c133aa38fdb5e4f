/**
 * Writes that wait for one another, for the token endpoint's one write (client-assertion jtis):
 * one batch is being committed at a time, and the items submitted meanwhile travel together as
 * the next one (at most `maxBatch`; more wait for the batch after). Under load a batch is as
 * large as what arrived during one commit, so a commit's fixed costs (a round trip, an fsync, a
 * wake-up of each thread) are shared by many callers instead of a few; an item waits at most for
 * the commit ahead of it. The first batch leaves at the end of the event loop's turn that
 * submitted it (setImmediate), so the items of one turn share it too.
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
  /** A batch is being committed: new items wait for the next one. */
  private busy = false;
  private closedWith: unknown;

  /**
   * `commit` writes one batch and answers an outcome per item, in order; when it rejects, every
   * item of the batch fails with that error (nobody's write is known to be durable).
   */
  constructor(
    private readonly commit: (items: readonly I[]) => Promise<ReadonlyArray<Outcome<R>>>,
    private readonly maxBatch: number,
  ) {}

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
    if (this.scheduled || this.busy || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    if (this.busy) return;
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.busy = true;
    let outcomes: ReadonlyArray<Outcome<R>>;
    try {
      outcomes = await this.commit(batch.map((w) => w.item));
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false, error }));
    }
    this.busy = false;
    this.schedule();
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) w.resolve(outcome.value);
      else w.reject(outcome === undefined ? new Error('the commit answered no outcome for this item') : outcome.error);
    });
  }
}
