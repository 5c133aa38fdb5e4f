/**
 * The one place that scopes SQLite SQL by environment (house rule 2). Area modules never write
 * the `environment_id = ?` predicate or bind the environment id themselves: they name a table,
 * pass `environmentId` and add their own predicate, and this helper puts the environment first
 * (the predicate text and the table list are shared with PostgreSQL, in ../shared/scope.ts).
 * Text holding U+0000 is refused on write, as PostgreSQL must (../shared/text.ts).
 */
import { assertPageLimit, scopedWhere as where, SCOPE_COLUMN, toRowPage, type RowPage, type ScopedTable } from '../shared/scope.js';
import { assertStorableText } from '../shared/text.js';
import type { PageRequest, UpdateResult } from '../types.js';
import type { Connection, SqlValue } from './connection.js';

// These moved to ../shared/scope.ts; re-exported so modules importing them from here keep working.
export { assertInEnvironment, ENVIRONMENT_CHILD_TABLES, type RowPage, type ScopedTable } from '../shared/scope.js';

/** Every row stored with a `version` column. */
interface VersionedRow {
  version: number;
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

  /** `SELECT * … ORDER BY <orderBy> LIMIT <limit> OFFSET <offset>`: a window of the matching rows. */
  slice<R>(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
    orderBy: string,
    limit: number,
    offset = 0,
  ): R[] {
    const sql = `SELECT * FROM ${table} WHERE ${where(table, predicate)} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
    return this.conn.all<R>(sql, [environmentId, ...params, limit, offset]);
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
    assertStorableText(table, values);
    const columns = Object.keys(values);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    this.conn.run(sql, Object.values(values));
  }

  /**
   * One atomic statement: inserts `row` (environment stamped) or, when a row with the same `key`
   * exists (the environment column is prepended to it), sets its `update` columns to the values
   * proposed, but only where `when` holds for the existing row (`params` bind it; `excluded.<col>`
   * names a proposed value). True when a row was inserted or updated, false when left alone.
   */
  upsert(
    table: ScopedTable,
    environmentId: string,
    row: Record<string, SqlValue>,
    key: readonly string[],
    update: readonly string[],
    when = '',
    params: readonly SqlValue[] = [],
  ): boolean {
    const values: Record<string, SqlValue> = { ...row, [SCOPE_COLUMN[table]]: environmentId };
    assertStorableText(table, values);
    const columns = Object.keys(values);
    const sql =
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
      `ON CONFLICT (${[SCOPE_COLUMN[table], ...key].join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` +
      `${when ? ` WHERE ${when}` : ''} RETURNING 1 AS written`;
    return this.conn.get(sql, [...Object.values(values), ...params]) !== undefined;
  }

  /** Updates `set` columns of the matching rows; returns the number changed. */
  update(
    table: ScopedTable,
    environmentId: string,
    set: Record<string, SqlValue>,
    predicate: string,
    params: readonly SqlValue[],
  ): number {
    assertStorableText(table, set);
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
    assertStorableText(table, set);
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

  /** `count(*)` of the matching rows. */
  count(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): number {
    return this.conn.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params])?.n ?? 0;
  }

  /**
   * `UPDATE table SET <assignments> WHERE <env> AND predicate RETURNING *`, one statement whose
   * `assignments` are SQL over the row's current values (`failed_attempts + 1`), bound by
   * `assignmentParams`; the first row changed, or undefined.
   */
  updateReturning<R>(
    table: ScopedTable,
    environmentId: string,
    assignments: string,
    assignmentParams: readonly SqlValue[],
    predicate: string,
    params: readonly SqlValue[],
  ): R | undefined {
    assertStorableText(table, { ...assignmentParams });
    const sql = `UPDATE ${table} SET ${assignments} WHERE ${where(table, predicate)} RETURNING *`;
    return this.conn.get<R>(sql, [...assignmentParams, environmentId, ...params]);
  }

  /** Deletes the matching rows; returns how many. */
  delete(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): number {
    return this.conn.run(`DELETE FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params]);
  }

  /** `DELETE FROM table WHERE <env> AND predicate RETURNING *`: the first row deleted, or undefined. */
  deleteReturning<R>(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[]): R | undefined {
    return this.conn.get<R>(`DELETE FROM ${table} WHERE ${where(table, predicate)} RETURNING *`, [environmentId, ...params]);
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
  assertPageLimit(limit);
  return conn.read(() => {
    // Every id is a non-empty string, so '' starts from the first row and keeps one statement.
    const rows = conn.all<R>(`SELECT * FROM ${table} WHERE ${condition} AND id > ? ORDER BY id LIMIT ?`, [
      ...params,
      page.after ?? '',
      limit + 1,
    ]);
    const counted = conn.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${condition}`, params);
    return toRowPage(rows, counted?.n ?? 0, limit);
  });
}
