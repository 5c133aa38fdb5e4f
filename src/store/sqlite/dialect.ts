/** SQLite's side of the dialect (../sql/dialect.ts). */
import type { Dialect } from '../sql/dialect.js';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  forUpdate: '',
  forKeyShare: '',
  bool: (value) => (value ? 1 : 0),
  isTrue: (column) => `${column} = 1`,
  jsonArrayHas: (column) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`,
  inList: (column, values) => ({ predicate: `${column} IN (SELECT value FROM json_each(?))`, param: JSON.stringify(values) }),
  purgeExpired: (table, now, limit) => ({
    sql: `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ? LIMIT ?)`,
    params: [now, limit],
  }),
};
