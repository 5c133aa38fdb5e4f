/** User populations: exactly one default per environment, the last and non-empty ones kept. */
import { populationColumns, populationMutableColumns, toPopulation, type PopulationRow } from '../shared/environment-rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import { populationDeleteBlocker } from '../shared/user-rows.js';
import type { PageRequest, PopulationDeleteResult, PopulationRecord, UpdateResult } from '../types.js';
import type { EnvScoped } from './scoped.js';

/** SQLite has no boolean type: the flag is stored as INTEGER 0/1. */
const bit = (value: boolean): number => (value ? 1 : 0);

const CLEAR_DEFAULT = 'is_default = 0, version = version + 1, updated_at = ?';

export class Populations {
  constructor(private readonly scoped: EnvScoped) {}

  list(environmentId: string, page: PageRequest): RowPage<PopulationRecord> {
    return mapRowPage(this.scoped.page<PopulationRow>('populations', environmentId, '', [], page), toPopulation);
  }

  get(environmentId: string, populationId: string): PopulationRecord | undefined {
    const row = this.scoped.one<PopulationRow>('populations', environmentId, 'id = ?', [populationId]);
    return row && toPopulation(row);
  }

  getDefault(environmentId: string): PopulationRecord | undefined {
    const row = this.scoped.one<PopulationRow>('populations', environmentId, 'is_default = 1');
    return row && toPopulation(row);
  }

  insert(environmentId: string, p: PopulationRecord): void {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    this.scoped.insert('populations', environmentId, { ...populationColumns(p), is_default: bit(p.default) });
  }

  /** Inserts, moving the default flag when `p` is the new default. Call inside a write transaction. */
  create(environmentId: string, p: PopulationRecord): void {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    if (p.default) this.clearDefault(environmentId, p.id, p.updatedAt);
    this.insert(environmentId, p);
  }

  /** Call inside a write transaction: the version check, the flag move and the update are one step. */
  update(environmentId: string, next: PopulationRecord, expectedVersion?: number): UpdateResult<PopulationRecord> {
    assertInEnvironment(environmentId, next.environmentId, `population ${next.id}`);
    const current = this.scoped.one<PopulationRow>('populations', environmentId, 'id = ?', [next.id]);
    if (!current) return { status: 'not_found' };
    if (expectedVersion !== undefined && current.version !== expectedVersion) return { status: 'conflict' };
    const isDefault = next.default || current.is_default === 1;
    if (isDefault) this.clearDefault(environmentId, next.id, next.updatedAt);
    const set = { ...populationMutableColumns(next), is_default: bit(isDefault) };
    const result = this.scoped.updateVersioned<PopulationRow>('populations', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toPopulation(result.record) } : result;
  }

  /** Call inside a write transaction. */
  delete(environmentId: string, populationId: string): PopulationDeleteResult {
    const rows = this.scoped.many<PopulationRow>('populations', environmentId, '', [], 'id');
    const users = this.scoped.count('users', environmentId, 'population_id = ?', [populationId]);
    const blocker = populationDeleteBlocker(rows, populationId, users);
    if (blocker) return blocker;
    this.scoped.delete('populations', environmentId, 'id = ?', [populationId]);
    return 'deleted';
  }

  /** The previous default (at most one, by the partial unique index) gives up the flag: a change, so a new version. */
  private clearDefault(environmentId: string, exceptId: string, at: string): void {
    this.scoped.updateReturning('populations', environmentId, CLEAR_DEFAULT, [at], 'is_default = 1 AND id <> ?', [exceptId]);
  }
}
