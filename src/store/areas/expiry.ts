/**
 * Rows that expire (`expires_at`): the background purge shared by every such table, and the
 * database's clock its cut-off is taken from. The cut-off is the database's clock less the
 * tolerated skew (../shared/clock-margin.ts), never the clock of the instance that purges, so
 * that instances whose clocks differ agree on it and no record that an instance could still
 * need is removed.
 */
import { assertPositiveCount } from '../shared/client-auth-rows.js';
import { CLOCK_SKEW_MARGIN_SECONDS } from '../shared/clock-margin.js';
import { plain, type Db } from '../sql/methods.js';
import { changes, row, type Q } from '../sql/statement.js';

/** SQL text: the instant at or before which a row may be purged (or counted as long expired). */
export function purgeCutoff(db: Db): string {
  return db.dialect.clockText(CLOCK_SKEW_MARGIN_SECONDS);
}

/**
 * Deletes up to `limit` rows of `table` that expired at least the margin before the database's
 * clock, in every environment: a deliberate unscoped write, run by the background purger, never
 * for a request.
 */
export function* purgeExpired(db: Db, table: string, limit: number): Q<number> {
  assertPositiveCount('purge limit', limit);
  const { sql, params } = db.dialect.purgeExpired(table, purgeCutoff(db), limit);
  return yield* changes(sql, params);
}

export const expiryMethods = {
  /**
   * The database's clock now, as ISO-8601 text (`YYYY-MM-DDTHH:MM:SS.sssZ`): the clock purge
   * cut-offs are computed from, which the purger compares with its instance's clock.
   */
  databaseClock: plain(function* (db: Db): Q<string> {
    // Not environment data: a read of the server's clock.
    const found = yield* row<{ now: string }>(`SELECT ${db.dialect.clockText(0)} AS now`);
    if (!found) throw new Error('the database returned no clock reading');
    return found.now;
  }),
};
