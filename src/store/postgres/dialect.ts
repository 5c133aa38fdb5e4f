/** PostgreSQL's side of the dialect (../sql/dialect.ts). */
import type { Dialect } from '../sql/dialect.js';

export const postgresDialect: Dialect = {
  name: 'postgres',
  forUpdate: ' FOR UPDATE',
  forKeyShare: ' FOR KEY SHARE',
  bool: (value) => value,
  isTrue: (column) => column,
  // JSON arrays are stored as text (../shared/rows.ts); the cast lets PostgreSQL test membership with @>.
  jsonArrayHas: (column) => `${column}::jsonb @> jsonb_build_array(?::text)`,
  inList: (column, values) => ({ predicate: `${column} = ANY(?::text[])`, param: values }),
  // A TID scan bounded by `limit`; the repeated predicate keeps a row updated meanwhile.
  purgeExpired: (table, now, limit) => ({
    sql: `DELETE FROM ${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM ${table} WHERE expires_at <= ? LIMIT ?)) AND expires_at <= ?`,
    params: [now, limit, now],
  }),
};
