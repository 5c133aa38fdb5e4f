/**
 * The change feed of an SQLite file shared by several processes (KEYWAY_WORKERS): the
 * `config_changes` log of migration 0014, which the file's own triggers append to in the
 * transaction of each configuration write. There is no notification between processes, so the
 * log is read on demand: `catchUp()` runs before a cached entry is served (src/adapters/cache/),
 * one indexed range read that finds nothing almost always. A write committed by another process
 * before a request arrives is therefore applied before that request reads a cache: no delay.
 *
 * Rows are applied in `seq` order. A hole in the numbers (rows pruned before this process read
 * them) or more rows than `MAX_ROWS` at once drop every cache instead. A failed read reports the
 * feed lost: caches are bypassed (every lookup reads the store) until a read succeeds again,
 * which drops every cache, since whatever was committed in between may have been missed.
 */
import type { ChangeFeed, ChangeFeedEvents } from '../types.js';
import type { Connection } from './connection.js';

/** Rows applied one by one per read; more than this at once drops every cache. */
const MAX_ROWS = 256;

interface Row {
  seq: number;
  environment_id: string;
  application_id: string | null;
}

const LAST_SQL = "SELECT seq FROM sqlite_sequence WHERE name = 'config_changes'";
const NEXT_SQL = `SELECT seq, environment_id, application_id FROM config_changes WHERE seq > ? ORDER BY seq LIMIT ${MAX_ROWS + 1}`;

export class SqliteChangeLog implements ChangeFeed {
  private last: number | undefined;
  private closed = false;

  constructor(
    private readonly conn: Connection,
    private readonly events: ChangeFeedEvents,
  ) {}

  get listening(): boolean {
    return this.last !== undefined && !this.closed;
  }

  /** Starts at the end of the log: the caches start empty, so nothing before matters. */
  start(): this {
    this.catchUp();
    return this;
  }

  /** Applies what other processes committed since the last read. */
  catchUp(): void {
    if (this.closed) return;
    try {
      if (this.last === undefined) {
        this.last = this.lastSeq();
        this.events.listening();
        return;
      }
      this.apply(this.conn.all<Row>(NEXT_SQL, [this.last]));
    } catch (err) {
      if (this.last !== undefined) this.events.lost(err instanceof Error ? err.message : String(err));
      this.last = undefined;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private apply(rows: Row[]): void {
    const first = rows[0];
    if (!first) return;
    if (rows.length > MAX_ROWS || first.seq !== (this.last as number) + 1) {
      this.events.changed({ kind: 'all' });
      this.last = rows.length > MAX_ROWS ? this.lastSeq() : (rows[rows.length - 1] as Row).seq;
      return;
    }
    for (const row of rows) {
      this.events.changed(
        row.application_id === null
          ? { kind: 'environment', environmentId: row.environment_id }
          : { kind: 'application', environmentId: row.environment_id, applicationId: row.application_id },
      );
      this.last = row.seq;
    }
  }

  private lastSeq(): number {
    return this.conn.get<{ seq: number }>(LAST_SQL)?.seq ?? 0;
  }
}
