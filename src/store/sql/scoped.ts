/**
 * The one place that scopes SQL by environment (docs/architecture.md, rule 2). Area modules name
 * a table, pass `environmentId` and add their own predicate; this helper puts the environment
 * first and stamps it on inserts, so no statement can forget it.
 *
 * U+0000 (see ../shared/text.ts): a lookup whose key holds it matches no row and is not sent,
 * since no stored key can hold it (PostgreSQL would refuse the parameter); a write of text
 * holding it throws a TypeError.
 */
import type { ScopedTable } from '../registry.js';
import { assertPageLimit, scopeColumn, scopedWhere as where, toRowPage, type RowPage } from '../shared/scope.js';
import { assertStorableText, holdsNul, storableCursor } from '../shared/text.js';
import type { PageRequest, UpdateResult } from '../types.js';
import type { Dialect } from './dialect.js';
import { changes, row, rows, type Q, type SqlValue } from './statement.js';

/** True when some key holds U+0000, so no stored row can match. */
function matchesNothing(environmentId: string, params: readonly SqlValue[]): boolean {
  return holdsNul(environmentId) || params.some(holdsNul);
}

function assignments(columns: readonly string[]): string {
  return columns.map((c) => `${c} = ?`).join(', ');
}

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

export class EnvScoped {
  constructor(readonly dialect: Dialect) {}

  /** `SELECT * FROM table WHERE <env> [AND predicate]`, first row. */
  *one<R>(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): Q<R | undefined> {
    if (matchesNothing(environmentId, params)) return undefined;
    return yield* row<R>(`SELECT * FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params]);
  }

  /**
   * `SELECT * … ORDER BY <orderBy>`; with `lock`, the rows stay locked until the transaction ends
   * (`true`: for update; `'keyShare'`: the weakest lock, which only a row's deletion or a
   * `lockVersion` waits for).
   */
  *many<R>(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[], orderBy: string, lock: boolean | 'keyShare' = false): Q<R[]> {
    if (matchesNothing(environmentId, params)) return [];
    const clause = lock === 'keyShare' ? this.dialect.forKeyShare : lock ? this.dialect.forUpdate : '';
    const sql = `SELECT * FROM ${table} WHERE ${where(table, predicate)} ORDER BY ${orderBy}${clause}`;
    return yield* rows<R>(sql, [environmentId, ...params]);
  }

  /** `SELECT * … ORDER BY <orderBy> LIMIT <limit> OFFSET <offset>`: a window of the matching rows. */
  *slice<R>(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
    orderBy: string,
    limit: number,
    offset = 0,
  ): Q<R[]> {
    if (matchesNothing(environmentId, params)) return [];
    const sql = `SELECT * FROM ${table} WHERE ${where(table, predicate)} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
    return yield* rows<R>(sql, [environmentId, ...params, limit, offset]);
  }

  /** One page ordered by id, `after` being the last id of the previous page; count is the total. */
  page<R extends { id: string }>(
    table: ScopedTable,
    environmentId: string,
    predicate: string,
    params: readonly SqlValue[],
    page: PageRequest,
  ): Q<RowPage<R>> {
    return pageBy<R>(table, where(table, predicate), [environmentId, ...params], page);
  }

  /** Inserts `row`, stamping the environment column with `environmentId`. */
  *insert(table: ScopedTable, environmentId: string, columns: Record<string, SqlValue>): Q<void> {
    const values: Record<string, SqlValue> = { ...columns, [scopeColumn(table)]: environmentId };
    assertStorableText(table, values);
    yield* changes(insertSql(table, Object.keys(values)), Object.values(values));
  }

  /**
   * One atomic statement: inserts `row` (environment stamped) or, when a row with the same `key`
   * exists (the environment column is prepended to it), sets its `update` columns to the values
   * proposed, but only where `when` holds for the existing row (`params` bind it; `excluded.<col>`
   * names a proposed value). True when a row was inserted or updated, false when left alone.
   * Concurrent calls with one key serialise on the row: the later one sees the earlier's write.
   */
  *upsert(
    table: ScopedTable,
    environmentId: string,
    columns: Record<string, SqlValue>,
    key: readonly string[],
    update: readonly string[],
    when = '',
    params: readonly SqlValue[] = [],
  ): Q<boolean> {
    const values: Record<string, SqlValue> = { ...columns, [scopeColumn(table)]: environmentId };
    assertStorableText(table, values);
    const sql =
      `${insertSql(table, Object.keys(values))} ` +
      `ON CONFLICT (${[scopeColumn(table), ...key].join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` +
      `${when ? ` WHERE ${when}` : ''} RETURNING 1 AS written`;
    return (yield* row(sql, [...Object.values(values), ...params])) !== undefined;
  }

  /** Updates `set` columns of the matching rows; returns the number changed. */
  *update(table: ScopedTable, environmentId: string, set: Record<string, SqlValue>, predicate: string, params: readonly SqlValue[]): Q<number> {
    assertStorableText(table, set);
    if (matchesNothing(environmentId, params)) return 0;
    const sql = `UPDATE ${table} SET ${assignments(Object.keys(set))} WHERE ${where(table, predicate)}`;
    return yield* changes(sql, [...Object.values(set), environmentId, ...params]);
  }

  /**
   * Conditional update of one row: sets `set`, bumps `version`, and tells `not_found` from
   * `conflict` (row there, version differs) with a second look only when nothing was updated.
   */
  *updateVersioned<R extends { version: number }>(
    table: ScopedTable,
    environmentId: string,
    set: Record<string, SqlValue>,
    predicate: string,
    params: readonly SqlValue[],
    expectedVersion: number | undefined,
  ): Q<UpdateResult<R>> {
    assertStorableText(table, set);
    if (matchesNothing(environmentId, params)) return { status: 'not_found' };
    const guard = expectedVersion === undefined ? predicate : [predicate, 'version = ?'].filter(Boolean).join(' AND ');
    const guardParams = expectedVersion === undefined ? params : [...params, expectedVersion];
    const sql = `UPDATE ${table} SET ${assignments(Object.keys(set))}, version = version + 1 WHERE ${where(table, guard)} RETURNING *`;
    const updated = yield* row<R>(sql, [...Object.values(set), environmentId, ...guardParams]);
    if (updated) return { status: 'updated', record: updated };
    return (yield* this.one(table, environmentId, predicate, params)) ? { status: 'conflict' } : { status: 'not_found' };
  }

  /** The matching row's version, locked until the transaction ends (a read-then-delete stays atomic). */
  *lockVersion(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[]): Q<number | undefined> {
    if (matchesNothing(environmentId, params)) return undefined;
    const sql = `SELECT version FROM ${table} WHERE ${where(table, predicate)}${this.dialect.forUpdate}`;
    return (yield* row<{ version: number }>(sql, [environmentId, ...params]))?.version;
  }

  /** Key-share lock on the matching row (what a foreign-key check takes): true when it exists. */
  *lockKeyShare(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[]): Q<boolean> {
    if (matchesNothing(environmentId, params)) return false;
    const sql = `SELECT 1 AS present FROM ${table} WHERE ${where(table, predicate)}${this.dialect.forKeyShare}`;
    return (yield* row(sql, [environmentId, ...params])) !== undefined;
  }

  /** `count(*)` of the matching rows. */
  *count(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): Q<number> {
    if (matchesNothing(environmentId, params)) return 0;
    const sql = `SELECT CAST(count(*) AS INTEGER) AS n FROM ${table} WHERE ${where(table, predicate)}`;
    return (yield* row<{ n: number }>(sql, [environmentId, ...params]))?.n ?? 0;
  }

  /**
   * `UPDATE table SET <assignments> WHERE <env> AND predicate RETURNING *`, one statement whose
   * `assignments` are SQL over the row's current values (`failed_attempts + 1`), bound by
   * `assignmentParams`; the first row changed, or undefined. Concurrent calls on one row
   * serialise on its lock, each seeing the previous one's result.
   */
  *updateReturning<R>(
    table: ScopedTable,
    environmentId: string,
    assignmentSql: string,
    assignmentParams: readonly SqlValue[],
    predicate: string,
    params: readonly SqlValue[],
  ): Q<R | undefined> {
    assertStorableText(table, { ...assignmentParams });
    if (matchesNothing(environmentId, params)) return undefined;
    const sql = `UPDATE ${table} SET ${assignmentSql} WHERE ${where(table, predicate)} RETURNING *`;
    return yield* row<R>(sql, [...assignmentParams, environmentId, ...params]);
  }

  /** Deletes the matching rows; returns how many. */
  *delete(table: ScopedTable, environmentId: string, predicate = '', params: readonly SqlValue[] = []): Q<number> {
    if (matchesNothing(environmentId, params)) return 0;
    return yield* changes(`DELETE FROM ${table} WHERE ${where(table, predicate)}`, [environmentId, ...params]);
  }

  /** `DELETE FROM table WHERE <env> AND predicate RETURNING *`: the first row deleted, or undefined. */
  *deleteReturning<R>(table: ScopedTable, environmentId: string, predicate: string, params: readonly SqlValue[]): Q<R | undefined> {
    if (matchesNothing(environmentId, params)) return undefined;
    return yield* row<R>(`DELETE FROM ${table} WHERE ${where(table, predicate)} RETURNING *`, [environmentId, ...params]);
  }
}

/**
 * Keyset paging over `WHERE <condition>`, shared with the organization-scoped environment list.
 * One statement returns the total and the page together (one snapshot); the LEFT JOIN yields a
 * single all-NULL page row when the page is empty, so the total still arrives. Ids compare in
 * byte order on both engines (PostgreSQL's id columns are `COLLATE "C"`).
 */
export function* pageBy<R extends { id: string }>(
  table: string,
  condition: string,
  params: readonly SqlValue[],
  page: PageRequest,
): Q<RowPage<R>> {
  assertPageLimit(page.limit);
  if (params.some(holdsNul)) return { rows: [], count: 0 };
  const sql =
    `SELECT counted.keyway_count, item.* FROM (SELECT CAST(count(*) AS INTEGER) AS keyway_count FROM ${table} WHERE ${condition}) AS counted ` +
    `LEFT JOIN (SELECT * FROM ${table} WHERE ${condition} AND id > ? ORDER BY id LIMIT ?) AS item ON true ORDER BY item.id`;
  // Every id is a non-empty string, so '' starts from the first row.
  const values = [...params, ...params, storableCursor(page.after ?? ''), page.limit + 1];
  const found = yield* rows<R & { keyway_count: number }>(sql, values);
  const count = found[0]?.keyway_count ?? 0;
  return toRowPage(
    found.filter((r) => r.id !== null),
    count,
    page.limit,
  );
}
