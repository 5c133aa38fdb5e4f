/**
 * Client-assertion jtis on PostgreSQL, in batches (src/threads/batch-queue.ts): the records that
 * arrive while a batch is with the database travel together as the next one, in ONE statement.
 * One round trip, one parse and plan, and one commit then serve many token requests, where each
 * paid its own, on this process's event loop and in the database alike.
 *
 * The statement inserts from arrays (`unnest`) under the rule of recordJti (../areas/client-auth.ts):
 * a row already there is replaced only once it has expired, judged at the earliest `now` of the
 * batch, so no record is taken as expired sooner than its own request's clock says. It spans
 * environments, each row carrying its own. Within a batch a repeated (environment, client, jti)
 * is sent once (PostgreSQL refuses to touch one row twice in a statement): the first takes the row
 * or not, the others are replays. A statement fails whole, so when it fails for a record's sake
 * (a deleted environment's foreign key, say) each record is written again on its own (`one`, the
 * store's plain path), and only a record that fails alone fails. When the database is unavailable
 * (StoreUnavailable, a timeout included) every record of the batch fails with that at once: trying
 * each again would make its request wait a second query timeout, and a timeout that came after the
 * commit leaves rows that refuse those assertions later, which is the safe side.
 */
import { BatchQueue, type Outcome } from '../../threads/batch-queue.js';
import { assertStorableText } from '../shared/text.js';
import { StoreUnavailable } from '../types.js';
import { mapPostgresError } from './errors.js';
import type { Queryable } from './pool.js';

/** The most records one statement carries; more wait for the next. */
export const MAX_JTI_BATCH = 512;

export const RECORD_JTIS_SQL = `INSERT INTO assertion_jtis (environment_id, client_id, jti, expires_at)
SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[])
ON CONFLICT (environment_id, client_id, jti) DO UPDATE SET expires_at = excluded.expires_at
WHERE assertion_jtis.expires_at <= ?
RETURNING environment_id, client_id, jti`;

export interface JtiRecord {
  environmentId: string;
  clientId: string;
  jti: string;
  expiresAt: string;
  now: string;
}

interface Written {
  environment_id: string;
  client_id: string;
  jti: string;
}

/** One record's identity; U+0000 separates, since no stored text holds it. */
const identity = (environmentId: string, clientId: string, jti: string): string => `${environmentId}\u0000${clientId}\u0000${jti}`;

export class PgJtiBatches {
  private readonly batches: BatchQueue<JtiRecord, boolean>;

  constructor(
    private readonly db: Queryable,
    private readonly one: (record: JtiRecord) => Promise<boolean>,
  ) {
    this.batches = new BatchQueue((records) => this.commit(records), MAX_JTI_BATCH);
  }

  /** True when the record was written (first use), false for a replay of an unexpired one. */
  record(record: JtiRecord): Promise<boolean> {
    try {
      // The plain path's text rule, checked before the record joins a batch it would fail.
      assertStorableText('assertion_jtis', { client_id: record.clientId, jti: record.jti, expires_at: record.expiresAt, environment_id: record.environmentId });
    } catch (err) {
      return Promise.reject(err);
    }
    return this.batches.submit(record);
  }

  private async commit(records: readonly JtiRecord[]): Promise<Array<Outcome<boolean>>> {
    const ids = records.map((r) => identity(r.environmentId, r.clientId, r.jti));
    const first = new Map<string, number>();
    ids.forEach((id, i) => {
      if (!first.has(id)) first.set(id, i);
    });
    const unique = [...first.values()].map((i) => records[i] as JtiRecord);
    let written: Set<string>;
    try {
      written = await this.insert(unique);
    } catch (err) {
      const mapped = mapPostgresError(err);
      if (mapped instanceof StoreUnavailable) throw mapped;
      return Promise.all(records.map((r) => this.one(r).then((value): Outcome<boolean> => ({ ok: true, value }), (error: unknown): Outcome<boolean> => ({ ok: false, error }))));
    }
    return ids.map((id, i) => ({ ok: true, value: first.get(id) === i && written.has(id) }));
  }

  private async insert(records: readonly JtiRecord[]): Promise<Set<string>> {
    const now = records.reduce((earliest, r) => (r.now < earliest ? r.now : earliest), (records[0] as JtiRecord).now);
    const columns = [records.map((r) => r.environmentId), records.map((r) => r.clientId), records.map((r) => r.jti), records.map((r) => r.expiresAt)];
    const { rows } = await this.db.query<Written>(RECORD_JTIS_SQL, [...columns, now]);
    return new Set(rows.map((row) => identity(row.environment_id, row.client_id, row.jti)));
  }
}
