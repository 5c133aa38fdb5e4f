/** PostgreSQL's side of the dialect (../sql/dialect.ts). */
import { jsonPath, wholeSeconds, type Dialect } from '../sql/dialect.js';

export const postgresDialect: Dialect = {
  name: 'postgres',
  forUpdate: ' FOR UPDATE',
  forKeyShare: ' FOR KEY SHARE',
  bool: (value) => value,
  isTrue: (column) => column,
  // JSON arrays are stored as text (../shared/rows.ts); the cast lets PostgreSQL test membership with @>.
  jsonArrayHas: (column) => `${column}::jsonb @> jsonb_build_array(?::text)`,
  // #>> yields the text of any JSON value; only strings compare with the bound text.
  jsonText: (column, path) => {
    const at = `'{${jsonPath(path).join(',')}}'`;
    return `(CASE WHEN jsonb_typeof(${column}::jsonb #> ${at}) = 'string' THEN (${column}::jsonb #>> ${at}) COLLATE "C" END)`;
  },
  inList: (column, values) => ({ predicate: `${column} = ANY(?::text[])`, param: values }),
  // statement_timestamp(): one instant for the whole statement, taken from the server's clock;
  // to_char's MS is zero-padded milliseconds, as in the stored text.
  clockText: (secondsBack) =>
    `to_char(statement_timestamp() AT TIME ZONE 'UTC' - make_interval(secs => ${wholeSeconds(secondsBack)}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  // A TID scan bounded by `limit`; the repeated predicate keeps a row updated meanwhile.
  purgeExpired: (table, cutoff, limit) => ({
    sql: `DELETE FROM ${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM ${table} WHERE expires_at <= ${cutoff} LIMIT ?)) AND expires_at <= ${cutoff}`,
    params: [limit],
  }),
};
