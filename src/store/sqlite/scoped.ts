/**
 * The one place that scopes SQL by environment (house rule 2). Area modules never write the
 * `environment_id = ?` predicate or bind the environment id themselves: they name a table, pass
 * `environmentId` and add their own predicate, and this helper puts the environment first.
 */
import type { PageRequest, UpdateResult } from '../types.js';
import type { Connection, SqlValue } from './connection.js';

/** Environment-scoped tables and the column holding their environment id. */
const SCOPE_COLUMN = {
  environments: 'id',
  signing_keys: 'environment_id',
  populations: 'environment_id',
  applications: 'environment_id',
  application_secrets: 'environment_id',
  resources: 'environment_id',
  scopes: 'environment_id',
  grants: 'environment_id',
  role_assignments: 'environment_id',
} as const;

export type ScopedTable = keyof typeof SCOPE_COLUMN;

/**
 * Every table holding rows of an environment besides `environments` itself, children before
 * parents so that deleting in this order satisfies the foreign keys.
 */
export const ENVIRONMENT_CHILD_TABLES: readonly Exclude<ScopedTable, 'environments'>[] = [
  'role_assignments',
  'grants',
  'scopes',
  'application_secrets',
  'applications',
  'resources',
  'populations',
  'signing_keys',
];

export interface RowPage<R> {
  rows: R[];
  count: number;
  nextCursor?: string;
}

/** Every row stored with a `version` column. */
interface VersionedRow {
  version: number;
}

function where(table: ScopedTable, predicate: string): string {
  const scope = `${SCOPE_COLUMN[table]} = ?`;
  return predicate ? `${scope} AND ${predicate}` : scope;
}

export class EnvScoped {
  constructor(private readonly conn: Connection) {}

  /** `SELECT * FROM table WHERE <env> [AND predicate]`, first row. */
  one<R>(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): R | undefined {
    return this.conn.get<R>(`SELECT * FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params]);
  }

  /** `SELECT * FROM table WHERE <env> [AND predicate] ORDER BY <orderBy>`. */
  many<R>(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[], orderBy: string): R[] {
    return this.conn.all<R>(`SELECT * FROM ${table} WHERE ${where(table, predicate)} ORDER BY ${orderBy}`, [
      environmentId,
      ...params,
    ]);
  }

  /** One page ordered by id, `after` being the last id of the previous page; count is the total. */
  page<R extends { id: string }>(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
    page: PageRequest,
  ): RowPage<R> {
    return pageBy<R>(this.conn, table, where(table, predicate), [environmentId, ...params], page);
  }

  /** Inserts `row`, stamping the environment column with `environmentId`. */
  insert(table: ScopedTable, environmentId: string, row: Record<string, SqlValue>): void {
    const values: Record<string, SqlValue> = { ...row, [SCOPE_COLUMN[table]]: environmentId };
    const columns = Object.keys(values);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    this.conn.run(sql, Object.values(values));
  }

  /** Updates `set` columns of the matching rows; returns the number changed. */
  update(
    table: ScopedTable,
    environmentId: string,
    set: Record<string, SqlValue>,
    predicate: string,
    params: readonly SqlValue[],
  ): number {
    const columns = Object.keys(set);
    const sql = `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${where(table, predicate)}`;
    return this.conn.run(sql, [...Object.values(set), environmentId, ...params]);
  }

  /**
   * Conditional update of one row: sets `set`, bumps `version`, and tells `not_found` from
   * `conflict` (row there, version differs). Call inside a write transaction.
   */
  updateVersioned<R extends VersionedRow>(
    table: ScopedTable,
    environmentId: string,
    set: Record<string, SqlValue>,
    predicate: string,
    params: readonly SqlValue[],
    expectedVersion: number | undefined,
  ): UpdateResult<R> {
    const columns = Object.keys(set);
    const guard = expectedVersion === undefined ? predicate : [predicate, 'version = ?'].filter(Boolean).join(' AND ');
    const guardParams = expectedVersion === undefined ? params : [...params, expectedVersion];
    const sql =
      `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')}, version = version + 1 ` +
      `WHERE ${where(table, guard)} RETURNING *`;
    const row = this.conn.get<R>(sql, [...Object.values(set), environmentId, ...guardParams]);
    if (row) return { status: 'updated', record: row };
    return this.one(table, environmentId, predicate, params) ? { status: 'conflict' } : { status: 'not_found' };
  }

  /** Deletes the matching rows; returns how many. */
  delete(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): number {
    return this.conn.run(`DELETE FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params]);
  }
}

/** Keyset paging over `WHERE <condition>`, shared with the organization-scoped environment list. */
export function pageBy<R extends { id: string }>(
  conn: Connection,
  table: string,
  condition: string,
  params: readonly SqlValue[],
  page: PageRequest,
): RowPage<R> {
  const limit = page.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`page limit must be 1..1000, got ${limit}`);
  return conn.read(() => {
    // Every id is a non-empty string, so '' starts from the first row and keeps one statement.
    const rows = conn.all<R>(`SELECT * FROM ${table} WHERE ${condition} AND id > ? ORDER BY id LIMIT ?`, [
      ...params,
      page.after ?? '',
      limit + 1,
    ]);
    const counted = conn.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${condition}`, params);
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const result: RowPage<R> = { rows, count: counted?.n ?? 0 };
    const last = rows[rows.length - 1];
    if (more && last) result.nextCursor = last.id;
    return result;
  });
}

/**
 * A record's own environment id must match the scope it is written under; the helper stamps the
 * scope, so a mismatch is a caller bug that would otherwise be silently rewritten.
 */
export function assertInEnvironment(environmentId: string, recordEnvironmentId: string, what: string): void {
  if (recordEnvironmentId !== environmentId) {
    throw new TypeError(`${what} belongs to environment ${recordEnvironmentId}, not ${environmentId}`);
  }
}
