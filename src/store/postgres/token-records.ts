/** Records keyed by a jti that expire: client-assertion jtis (single use) and revoked access tokens. */
import { assertPositiveCount } from '../shared/client-auth-rows.js';
import type { Queryable } from './pool.js';
import type { EnvScoped } from './scoped.js';

/** Tables whose rows expire at `expires_at` and are purged in batches. */
type ExpiringTable = 'assertion_jtis' | 'revoked_tokens';

export class TokenRecords {
  constructor(
    private readonly q: Queryable,
    private readonly scoped: EnvScoped,
  ) {}

  /**
   * Insert-if-absent in one statement: concurrent inserts of one key (from any instance) wait on
   * each other's row, and the later one finds it unexpired, so exactly one gets true. A clashing
   * row is taken over only when it has expired by `now`. False means a replay.
   */
  recordJti(environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): Promise<boolean> {
    return this.scoped.upsert(
      'assertion_jtis',
      environmentId,
      { client_id: clientId, jti, expires_at: expiresAt },
      ['client_id', 'jti'],
      ['expires_at'],
      'assertion_jtis.expires_at <= ?',
      [now],
    );
  }

  /** Idempotent; a second revocation can only extend how long the record is kept. */
  async revoke(environmentId: string, jti: string, expiresAt: string): Promise<void> {
    await this.scoped.upsert(
      'revoked_tokens',
      environmentId,
      { jti, expires_at: expiresAt },
      ['jti'],
      ['expires_at'],
      'revoked_tokens.expires_at < excluded.expires_at',
    );
  }

  async isRevoked(environmentId: string, jti: string): Promise<boolean> {
    return (await this.scoped.one('revoked_tokens', environmentId, 'jti = ?', [jti])) !== undefined;
  }

  /**
   * Deletes up to `limit` rows expired at or before `now`, in every environment: the one
   * deliberate unscoped write here, run by the background purger, never for a request. The batch
   * is picked by physical row id (a TID scan: the cost stays bounded by `limit` however long
   * the backlog is). A row changed after the batch was picked (a jti taken over by a new
   * assertion) has a new row id and is re-checked against `expires_at`, so it is not deleted.
   */
  async purge(table: ExpiringTable, now: string, limit: number): Promise<number> {
    assertPositiveCount('purge limit', limit);
    const sql =
      `DELETE FROM ${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM ${table} WHERE expires_at <= ? LIMIT ?)) ` +
      'AND expires_at <= ?';
    return (await this.q.query(sql, [now, limit, now])).rowCount;
  }
}
