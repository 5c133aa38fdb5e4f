/**
 * Storage for client authentication: assertion replay records, revoked access tokens, uploaded
 * certificates and diagnostics events.
 */
import {
  assertPositiveCount,
  clientAuthEventColumns,
  clientCertificateColumns,
  EVENTS_AFTER,
  EVENTS_NEWEST_FIRST,
  toClientAuthEvent,
  toClientCertificate,
  type ClientAuthEventRow,
  type ClientCertificateRow,
} from '../shared/client-auth-rows.js';
import { assertInEnvironment, assertPageLimit } from '../shared/scope.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import type { ClientAuthEventRecord, ClientCertificateRecord } from '../types.js';
import { purgeExpired } from './expiry.js';

/** Tables whose rows expire at `expires_at` and are purged in batches. */
type ExpiringTable = 'assertion_jtis' | 'revoked_tokens';

/**
 * Insert-if-absent in one statement: concurrent inserts of one key (from any instance or
 * process) wait on each other, and the later one finds the row unexpired, so exactly one gets
 * true. A clashing row is taken over only when it has expired by `now`. False means a replay.
 */
export function recordJti(db: Db, environmentId: string, clientId: string, jti: string, expiresAt: string, now: string): Q<boolean> {
  const columns = { client_id: clientId, jti, expires_at: expiresAt };
  return db.scoped.upsert('assertion_jtis', environmentId, columns, ['client_id', 'jti'], ['expires_at'], 'assertion_jtis.expires_at <= ?', [now]);
}

const purgeMethod = (table: ExpiringTable) =>
  plain(function* (db: Db, limit: number): Q<number> {
    return yield* purgeExpired(db, table, limit);
  });

export const clientAuthMethods = {
  /**
   * Atomic insert-if-absent of (environment, client, jti). Returns false when an unexpired
   * record exists (replay). An expired record with the same key is replaced. Throws
   * StoreUnavailable when it cannot record.
   */
  recordAssertionJti: plain(recordJti),

  /**
   * Deletes up to `limit` records that expired at least the clock-skew margin before the
   * database's clock (any environment; ./expiry.ts); returns how many.
   */
  purgeExpiredAssertionJtis: purgeMethod('assertion_jtis'),

  listClientCertificates: plain(function* (db: Db, environmentId: string, applicationId: string): Q<ClientCertificateRecord[]> {
    const predicate = 'application_id = ?';
    const rows = yield* db.scoped.many<ClientCertificateRow>('client_certificates', environmentId, predicate, [applicationId], 'created_at, id');
    return rows.map(toClientCertificate);
  }),

  getClientCertificate: plain(function* (
    db: Db,
    environmentId: string,
    applicationId: string,
    keyId: string,
  ): Q<ClientCertificateRecord | undefined> {
    const row = yield* db.scoped.one<ClientCertificateRow>('client_certificates', environmentId, 'application_id = ? AND id = ?', [applicationId, keyId]);
    return row && toClientCertificate(row);
  }),

  /** Fails with UniqueViolation('id') when the application already has a key with that id. */
  createClientCertificate: plain(function* (db: Db, environmentId: string, record: ClientCertificateRecord): Q<void> {
    assertInEnvironment(environmentId, record.environmentId, `certificate ${record.id}`);
    yield* db.scoped.insert('client_certificates', environmentId, clientCertificateColumns(record));
  }),

  deleteClientCertificate: plain(function* (db: Db, environmentId: string, applicationId: string, keyId: string): Q<boolean> {
    return (yield* db.scoped.delete('client_certificates', environmentId, 'application_id = ? AND id = ?', [applicationId, keyId])) > 0;
  }),

  /**
   * Appends an event and keeps only the newest `keep` events of that application. Concurrent
   * writers each cut below the `keep`-th newest event they can see, which is never above the
   * true one: they may briefly leave one event too many, never drop a kept one.
   */
  recordClientAuthEvent: atomic(function* (db: Db, environmentId: string, event: ClientAuthEventRecord, keep: number): Q<void> {
    assertInEnvironment(environmentId, event.environmentId, `event ${event.id}`);
    assertPositiveCount('events kept', keep);
    yield* db.scoped.insert('client_auth_events', environmentId, clientAuthEventColumns(event));
    const predicate = 'application_id = ?';
    const params = [event.applicationId];
    const [last] = yield* db.scoped.slice<ClientAuthEventRow>('client_auth_events', environmentId, predicate, params, EVENTS_NEWEST_FIRST, 1, keep - 1);
    if (!last) return;
    yield* db.scoped.delete('client_auth_events', environmentId, `${predicate} AND ${EVENTS_AFTER}`, [...params, last.at, last.at, last.id]);
  }),

  /** Newest first. */
  listClientAuthEvents: plain(function* (db: Db, environmentId: string, applicationId: string, limit: number): Q<ClientAuthEventRecord[]> {
    assertPageLimit(limit);
    const predicate = 'application_id = ?';
    const rows = yield* db.scoped.slice<ClientAuthEventRow>('client_auth_events', environmentId, predicate, [applicationId], EVENTS_NEWEST_FIRST, limit);
    return rows.map(toClientAuthEvent);
  }),

  /** Revoked access tokens (RFC 7009), kept until the token would have expired anyway; idempotent. */
  revokeToken: plain(function* (db: Db, environmentId: string, jti: string, expiresAt: string): Q<void> {
    const when = 'revoked_tokens.expires_at < excluded.expires_at';
    yield* db.scoped.upsert('revoked_tokens', environmentId, { jti, expires_at: expiresAt }, ['jti'], ['expires_at'], when);
  }),

  isTokenRevoked: plain(function* (db: Db, environmentId: string, jti: string): Q<boolean> {
    return (yield* db.scoped.one('revoked_tokens', environmentId, 'jti = ?', [jti])) !== undefined;
  }),

  /** Deletes up to `limit` revocation records, with the cut-off of purgeExpiredAssertionJtis; returns how many. */
  purgeExpiredRevocations: purgeMethod('revoked_tokens'),
};
