/** Shared plumbing of the store contract: how a backend plugs in, and small helpers. */
import assert from 'node:assert/strict';
import type { Page, PageRequest, Store, UpdateResult } from '../../src/store/types.js';
import { environmentBundle, organization } from '../support/store-fixtures.js';

/** A durable database a backend can open several stores on (a file, a PostgreSQL database). */
export interface SharedDatabase {
  /** Opens another store on this database, without migrating it. */
  open(): Promise<Store>;
}

export interface ContractOptions {
  /**
   * For durable backends: creates a fresh, empty, unmigrated database. Enables the persistence
   * and concurrent-migration cases; omitted for in-memory stores.
   */
  freshDatabase?: () => Promise<SharedDatabase>;
}

/** What each contract section sees: the store under test, fresh for every case. */
export interface ContractContext {
  store(): Store;
  options: ContractOptions;
}

export function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortedById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort(byId);
}

/** Asserts `result` is `updated` and returns its record. */
export function updated<T>(result: UpdateResult<T>): T {
  assert.equal(result.status, 'updated');
  return (result as { status: 'updated'; record: T }).record;
}

/** An organization with two environments A and B, each created from a standard bundle. */
export async function seedTwoEnvironments(store: Store) {
  const org = organization();
  await store.createOrganization(org);
  const a = environmentBundle(org.id, { name: 'Environment A' });
  const b = environmentBundle(org.id, { name: 'Environment B' });
  await store.createEnvironment(a);
  await store.createEnvironment(b);
  return { org, a, b, envA: a.environment.id, envB: b.environment.id };
}

/**
 * Walks every page with `limit` and checks the paging contract: ids ascending, `count` the
 * total on every page, `nextCursor` only while more rows exist. Returns the pages.
 */
export async function assertPaging<T extends { id: string }>(
  list: (page: PageRequest) => Promise<Page<T>>,
  expectedIds: readonly string[],
  limit: number,
): Promise<Page<T>[]> {
  const expected = [...expectedIds].sort();
  const pages: Page<T>[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list(after === undefined ? { limit } : { limit, after });
    pages.push(page);
    assert.equal(page.count, expected.length, 'count is the total, on every page');
    assert.ok(page.items.length <= limit);
    const seen = pages.flatMap((p) => p.items).length;
    if (seen < expected.length) {
      assert.equal(page.items.length, limit);
      assert.equal(page.nextCursor, page.items.at(-1)?.id, 'nextCursor is the last id of a full page');
      after = page.nextCursor;
    } else {
      assert.equal(page.nextCursor, undefined, 'no cursor on the last page');
      break;
    }
    assert.ok(pages.length <= expected.length + 1, 'paging terminates');
  }
  assert.deepEqual(
    pages.flatMap((p) => p.items.map((item) => item.id)),
    expected,
    'pages cover every id once, ascending',
  );
  return pages;
}
