/** Records keyed by a jti that expire: client-assertion jtis (single use) and revoked access tokens. */
import { assertPositiveCount } from '../shared/client-auth-rows.js';
import type { Connection } from './connection.js';
import type { EnvScoped } from './scoped.js';

/** Tables whose rows expire at `expires_at` and are purged in batches. */
type ExpiringTable = 'assertion_jtis' | 'revoked_tokens';

export class TokenRecords {
  constructor(
    private readonly conn: Connection,
    private readonly scoped: EnvScoped,
  ) {}

  /**
   * Insert-if-absent in one statement (SQLite serialises writers, across processes too): a
   * clashing row is taken over only when it has expired by `now`. False means a replay.
   */
  recordJti(environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): boolean {
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
  revoke(environmentId: string, jti: string, expiresAt: string): void {
    this.scoped.upsert(
      'revoked_tokens',
      environmentId,
      { jti, expires_at: expiresAt },
      ['jti'],
      ['expires_at'],
      'revoked_tokens.expires_at < excluded.expires_at',
    );
  }

  isRevoked(environmentId: string, jti: string): boolean {
    return this.scoped.one('revoked_tokens', environmentId, 'jti = ?', [jti]) !== undefined;
  }

  /**
   * Deletes up to `limit` rows expired at or before `now`, in every environment: the one
   * deliberate unscoped write here, run by the background purger, never for a request.
   */
  purge(table: ExpiringTable, now: string, limit: number): number {
    assertPositiveCount('purge limit', limit);
    return this.conn.run(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ? LIMIT ?)`, [now, limit]);
  }
}
