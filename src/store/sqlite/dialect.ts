/** SQLite's side of the dialect (../sql/dialect.ts). */
import { jsonPath, wholeSeconds, type Dialect } from '../sql/dialect.js';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  forUpdate: '',
  forKeyShare: '',
  bool: (value) => (value ? 1 : 0),
  isTrue: (column) => `${column} = 1`,
  jsonArrayHas: (column) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`,
  // json_extract yields a number for a JSON number; only strings compare with the bound text.
  jsonText: (column, path) => {
    const at = `'$.${jsonPath(path).join('.')}'`;
    return `(CASE WHEN json_type(${column}, ${at}) = 'text' THEN json_extract(${column}, ${at}) END)`;
  },
  inList: (column, values) => ({ predicate: `${column} IN (SELECT value FROM json_each(?))`, param: JSON.stringify(values) }),
  // 'now' is the machine's clock, one instant per statement; %f is seconds with milliseconds (SS.SSS).
  clockText: (secondsBack) => `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-${wholeSeconds(secondsBack)} seconds')`,
  purgeExpired: (table, cutoff, limit) => ({
    sql: `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ${cutoff} LIMIT ?)`,
    params: [limit],
  }),
};
