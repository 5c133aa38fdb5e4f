/**
 * The one place that scopes PostgreSQL SQL by environment (house rule 2), the twin of
 * ../sqlite/scoped.ts: area modules name a table, pass `environmentId` and add their own
 * predicate; the environment predicate itself comes from ../shared/scope.ts.
 *
 * U+0000 (see ../shared/text.ts): a lookup whose key holds it matches no row and is not sent,
 * since PostgreSQL would refuse the parameter; a write of text holding it throws a TypeError.
 */
import { assertPageLimit, SCOPE_COLUMN, scopedWhere as where, toRowPage, type RowPage, type ScopedTable } from '../shared/scope.js';
import { assertStorableText, holdsNul, storableCursor } from '../shared/text.js';
import type { PageRequest, UpdateResult } from '../types.js';
import type { Queryable, SqlValue } from './pool.js';

/** True when some key holds U+0000, so no stored row can match. */
function matchesNothing(environmentId: string, params: readonly SqlValue[]): boolean {
  return holdsNul(environmentId) || params.some(holdsNul);
}

function assignments(columns: readonly string[]): string {
  return columns.map((c) => `${c} = ?`).join(', ');
}

export class EnvScoped {
  constructor(private readonly q: Queryable) {}

  /** `SELECT * FROM table WHERE <env> [AND predicate]`, first row. */
  async one<R>(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): Promise<R | undefined> {
    if (matchesNothing(environmentId, params)) return undefined;
    const { rows } = await this.q.query<R>(`SELECT * FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params]);
    return rows[0];
  }

  /** `SELECT * … ORDER BY <orderBy>`; with `lock`, the rows stay locked until the transaction ends. */
  async many<R>(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
    orderBy: string,
    lock = false,
  ): Promise<R[]> {
    if (matchesNothing(environmentId, params)) return [];
    const sql = `SELECT * FROM ${table} WHERE ${where(table, predicate)} ORDER BY ${orderBy}${lock ? ' FOR UPDATE' : ''}`;
    return (await this.q.query<R>(sql, [environmentId, ...params])).rows;
  }

  /** `SELECT * … ORDER BY <orderBy> LIMIT <limit> OFFSET <offset>`: a window of the matching rows. */
  async slice<R>(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
    orderBy: string,
    limit: number,
    offset = 0,
  ): Promise<R[]> {
    if (matchesNothing(environmentId, params)) return [];
    const sql = `SELECT * FROM ${table} WHERE ${where(table, predicate)} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
    return (await this.q.query<R>(sql, [environmentId, ...params, limit, offset])).rows;
  }

  /** One page ordered by id, `after` being the last id of the previous page; count is the total. */
  page<R extends { id: string }>(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
    page: PageRequest,
  ): Promise<RowPage<R>> {
    return pageBy<R>(this.q, table, where(table, predicate), [environmentId, ...params], page);
  }

  /** Inserts `row`, stamping the environment column with `environmentId`. */
  async insert(table: ScopedTable, environmentId: string, row: Record<string, SqlValue>): Promise<void> {
    const values: Record<string, SqlValue> = { ...row, [SCOPE_COLUMN[table]]: environmentId };
    assertStorableText(table, values);
    const columns = Object.keys(values);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    await this.q.query(sql, Object.values(values));
  }

  /**
   * One atomic statement: inserts `row` (environment stamped) or, when a row with the same `key`
   * exists (the environment column is prepended to it), sets its `update` columns to the values
   * proposed, but only where `when` holds for the existing row (`params` bind it; `excluded.<col>`
   * names a proposed value). True when a row was inserted or updated, false when left alone.
   * Concurrent calls with one key serialise on the row: the later one sees the earlier's write.
   */
  async upsert(
    table: ScopedTable,
    environmentId: string,
    row: Record<string, SqlValue>,
    key: readonly string[],
    update: readonly string[],
    when = '',
    params: readonly SqlValue[] = [],
  ): Promise<boolean> {
    const values: Record<string, SqlValue> = { ...row, [SCOPE_COLUMN[table]]: environmentId };
    assertStorableText(table, values);
    const columns = Object.keys(values);
    const sql =
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
      `ON CONFLICT (${[SCOPE_COLUMN[table], ...key].join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` +
      `${when ? ` WHERE ${when}` : ''} RETURNING 1 AS written`;
    return (await this.q.query(sql, [...Object.values(values), ...params])).rows.length > 0;
  }

  /** Updates `set` columns of the matching rows; returns the number changed. */
  async update(
    table: ScopedTable,
    environmentId: string,
    set: Record<string, SqlValue>,
    predicate: string,
    params: readonly SqlValue[],
  ): Promise<number> {
    assertStorableText(table, set);
    if (matchesNothing(environmentId, params)) return 0;
    const sql = `UPDATE ${table} SET ${assignments(Object.keys(set))} WHERE ${where(table, predicate)}`;
    return (await this.q.query(sql, [...Object.values(set), environmentId, ...params])).rowCount;
  }

  /**
   * Conditional update of one row: sets `set`, bumps `version`, and tells `not_found` from
   * `conflict` (row there, version differs) with a second look only when nothing was updated.
   */
  async updateVersioned<R extends { version: number }>(
    table: ScopedTable,
    environmentId: string,
    set: Record<string, SqlValue>,
    predicate: string,
    params: readonly SqlValue[],
    expectedVersion: number | undefined,
  ): Promise<UpdateResult<R>> {
    assertStorableText(table, set);
    if (matchesNothing(environmentId, params)) return { status: 'not_found' };
    const guard = expectedVersion === undefined ? predicate : [predicate, 'version = ?'].filter(Boolean).join(' AND ');
    const guardParams = expectedVersion === undefined ? params : [...params, expectedVersion];
    const sql = `UPDATE ${table} SET ${assignments(Object.keys(set))}, version = version + 1 WHERE ${where(table, guard)} RETURNING *`;
    const { rows } = await this.q.query<R>(sql, [...Object.values(set), environmentId, ...guardParams]);
    const row = rows[0];
    if (row) return { status: 'updated', record: row };
    return (await this.one(table, environmentId, predicate, params)) ? { status: 'conflict' } : { status: 'not_found' };
  }

  /** The matching row's version, locked until the transaction ends (a read-then-delete stays atomic). */
  async lockVersion(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
  ): Promise<number | undefined> {
    if (matchesNothing(environmentId, params)) return undefined;
    const sql = `SELECT version FROM ${table} WHERE ${where(table, predicate)} FOR UPDATE`;
    return (await this.q.query<{ version: number }>(sql, [environmentId, ...params])).rows[0]?.version;
  }

  /** `count(*)` of the matching rows. */
  async count(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): Promise<number> {
    if (matchesNothing(environmentId, params)) return 0;
    const sql = `SELECT count(*)::integer AS n FROM ${table} WHERE ${where(table, predicate)}`;
    return (await this.q.query<{ n: number }>(sql, [environmentId, ...params])).rows[0]?.n ?? 0;
  }

  /**
   * `UPDATE table SET <assignments> WHERE <env> AND predicate RETURNING *`, one statement whose
   * `assignments` are SQL over the row's current values (`failed_attempts + 1`), bound by
   * `assignmentParams`; the first row changed, or undefined. Concurrent calls on one row
   * serialise on its lock, each seeing the previous one's result.
   */
  async updateReturning<R>(
    table: ScopedTable,
    environmentId: string,
    assignments: string,
    assignmentParams: readonly SqlValue[],
    predicate: string,
    params: readonly SqlValue[],
  ): Promise<R | undefined> {
    assertStorableText(table, { ...assignmentParams });
    if (matchesNothing(environmentId, params)) return undefined;
    const sql = `UPDATE ${table} SET ${assignments} WHERE ${where(table, predicate)} RETURNING *`;
    return (await this.q.query<R>(sql, [...assignmentParams, environmentId, ...params])).rows[0];
  }

  /** Key-share lock on the matching row (what a foreign-key check takes): true when it exists. */
  async lockKeyShare(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[]): Promise<boolean> {
    if (matchesNothing(environmentId, params)) return false;
    const sql = `SELECT 1 AS present FROM ${table} WHERE ${where(table, predicate)} FOR KEY SHARE`;
    return (await this.q.query(sql, [environmentId, ...params])).rows.length > 0;
  }

  /** Deletes the matching rows; returns how many. */
  async delete(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): Promise<number> {
    if (matchesNothing(environmentId, params)) return 0;
    return (await this.q.query(`DELETE FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params])).rowCount;
  }

  /** `DELETE FROM table WHERE <env> AND predicate RETURNING *`: the first row deleted, or undefined. */
  async deleteReturning<R>(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[]): Promise<R | undefined> {
    if (matchesNothing(environmentId, params)) return undefined;
    const sql = `DELETE FROM ${table} WHERE ${where(table, predicate)} RETURNING *`;
    return (await this.q.query<R>(sql, [environmentId, ...params])).rows[0];
  }
}

/**
 * Keyset paging over `WHERE <condition>`, shared with the organization-scoped environment list.
 * One statement returns the total and the page together (one snapshot, one round trip); the
 * LEFT JOIN yields a single all-NULL page row when the page is empty, so the total still arrives.
 * Ids are `COLLATE "C"` columns, so `id > ?` and ORDER BY id follow SQLite's byte order.
 */
export async function pageBy<R extends { id: string }>(
  q: Queryable,
  table: string,
  condition: string,
  params: readonly SqlValue[],
  page: PageRequest,
): Promise<RowPage<R>> {
  assertPageLimit(page.limit);
  if (params.some(holdsNul)) return { rows: [], count: 0 };
  const sql =
    `SELECT counted.keyway_count, item.* FROM (SELECT count(*)::integer AS keyway_count FROM ${table} WHERE ${condition}) AS counted ` +
    `LEFT JOIN LATERAL (SELECT * FROM ${table} WHERE ${condition} AND id > ? ORDER BY id LIMIT ?) AS item ON true ORDER BY item.id`;
  const values = [...params, ...params, storableCursor(page.after ?? ''), page.limit + 1];
  const { rows } = await q.query<R & { keyway_count: number }>(sql, values);
  const count = rows[0]?.keyway_count ?? 0;
  return toRowPage(rows.filter((row) => row.id !== null), count, page.limit);
}
