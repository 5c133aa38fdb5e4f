/**
 * User populations: exactly one default per environment, the last and non-empty ones kept.
 * Every write locks all the environment's population rows first (in id order), so writes of one
 * environment's populations run one after the other and each sees the default flag where the
 * previous one left it.
 */
import { populationColumns, populationMutableColumns, toPopulation, type PopulationRow } from '../shared/environment-rows.js';
import { assertInEnvironment, mapRowPage, toPage } from '../shared/scope.js';
import { flag } from '../shared/rows.js';
import { populationDeleteBlocker } from '../shared/user-rows.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import { filterPredicate, type FilterColumns } from '../shared/filter-sql.js';
import { MissingReference, type FilterExpression, type Page, type PageRequest, type PopulationDeleteResult, type PopulationRecord, type UpdateResult } from '../types.js';

export function* insertPopulation(db: Db, environmentId: string, p: PopulationRecord): Q<void> {
  assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
  yield* db.scoped.insert('populations', environmentId, { ...populationColumns(p), is_default: db.dialect.bool(p.default) });
}

/**
 * A population that names a password policy holds a key-share lock on it until the write
 * commits, so a concurrent deletePasswordPolicy (which locks the policy for update) waits and
 * then sees this population. Throws MissingReference('passwordPolicy') when there is none.
 */
function* lockPasswordPolicy(db: Db, environmentId: string, p: PopulationRecord): Q<void> {
  if (p.passwordPolicyId === undefined) return;
  if (!(yield* db.scoped.lockKeyShare('password_policies', environmentId, 'id = ?', [p.passwordPolicyId]))) {
    throw new MissingReference('passwordPolicy');
  }
}

function lockAll(db: Db, environmentId: string): Q<PopulationRow[]> {
  return db.scoped.many<PopulationRow>('populations', environmentId, '', [], 'id', true);
}

/** The previous default (at most one, by the partial unique index) gives up the flag: a change, so a new version. */
function* clearDefault(db: Db, environmentId: string, exceptId: string, at: string): Q<void> {
  const assignments = 'is_default = ?, version = version + 1, updated_at = ?';
  const predicate = `${db.dialect.isTrue('is_default')} AND id <> ?`;
  yield* db.scoped.updateReturning('populations', environmentId, assignments, [db.dialect.bool(false), at], predicate, [exceptId]);
}

/** The columns behind the populations collection's filter (src/management/filter/spec.ts, POPULATION_FILTER). */
const POPULATION_FILTER_COLUMNS: FilterColumns = {
  columns: { id: { column: 'id', type: 'string' }, name: { column: 'name', type: 'string' } },
};

export const populationMethods = {
  /** Ordered by id; `filter` narrows page and count, in SQL (names on their unique index). */
  listPopulations: plain(function* (db: Db, environmentId: string, page: PageRequest, filter?: FilterExpression): Q<Page<PopulationRecord>> {
    const [predicate, params] = filterPredicate(db.dialect, environmentId, POPULATION_FILTER_COLUMNS, filter);
    return toPage(mapRowPage(yield* db.scoped.page<PopulationRow>('populations', environmentId, predicate, params, page), toPopulation));
  }),

  getPopulation: plain(function* (db: Db, environmentId: string, populationId: string): Q<PopulationRecord | undefined> {
    const row = yield* db.scoped.one<PopulationRow>('populations', environmentId, 'id = ?', [populationId]);
    return row && toPopulation(row);
  }),

  getDefaultPopulation: plain(function* (db: Db, environmentId: string): Q<PopulationRecord | undefined> {
    const row = yield* db.scoped.one<PopulationRow>('populations', environmentId, db.dialect.isTrue('is_default'));
    return row && toPopulation(row);
  }),

  /**
   * Fails with UniqueViolation('name') when the name is taken in the environment, and with
   * MissingReference('passwordPolicy') when it names a policy the environment lacks. A new default
   * population takes the flag from the previous one in the same transaction.
   */
  createPopulation: atomic(function* (db: Db, environmentId: string, p: PopulationRecord): Q<void> {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    yield* lockAll(db, environmentId);
    yield* lockPasswordPolicy(db, environmentId, p);
    if (p.default) yield* clearDefault(db, environmentId, p.id, p.updatedAt);
    yield* insertPopulation(db, environmentId, p);
  }),

  /**
   * Replaces name and description when `expectedVersion` matches. `default: true` makes it the
   * environment's default and unsets the previous one, in one transaction; `default: false`
   * never unsets the current default (an environment always has exactly one).
   */
  updatePopulation: atomic(function* (
    db: Db,
    environmentId: string,
    next: PopulationRecord,
    expectedVersion?: number,
  ): Q<UpdateResult<PopulationRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `population ${next.id}`);
    const current = (yield* lockAll(db, environmentId)).find((row) => row.id === next.id);
    if (!current) return { status: 'not_found' };
    if (expectedVersion !== undefined && current.version !== expectedVersion) return { status: 'conflict' };
    yield* lockPasswordPolicy(db, environmentId, next);
    const becomesDefault = next.default || flag(current.is_default);
    if (becomesDefault) yield* clearDefault(db, environmentId, next.id, next.updatedAt);
    const set = { ...populationMutableColumns(next), is_default: db.dialect.bool(becomesDefault) };
    const result = yield* db.scoped.updateVersioned<PopulationRow>('populations', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toPopulation(result.record) } : result;
  }),

  /**
   * Deletes the population unless it is the default, the last one, or holds users or groups
   * (checked atomically: users and groups written meanwhile take a key-share lock on it and wait,
   * see users.ts and groups.ts).
   */
  deletePopulation: atomic(function* (db: Db, environmentId: string, populationId: string): Q<PopulationDeleteResult> {
    const rows = yield* lockAll(db, environmentId);
    const users = yield* db.scoped.count('users', environmentId, 'population_id = ?', [populationId]);
    const groups = yield* db.scoped.count('groups', environmentId, 'population_id = ?', [populationId]);
    const blocker = populationDeleteBlocker(rows, populationId, users, groups);
    if (blocker) return blocker;
    yield* db.scoped.delete('populations', environmentId, 'id = ?', [populationId]);
    return 'deleted';
  }),
};
