/**
 * User populations: exactly one default per environment, the last and non-empty ones kept.
 * Every write locks all the environment's population rows first (FOR UPDATE, in id order), so
 * writes of one environment's populations run one after the other and each sees the default
 * flag where the previous one left it.
 */
import { populationColumns, populationMutableColumns, toPopulation, type PopulationRow } from '../shared/environment-rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import { populationDeleteBlocker } from '../shared/user-rows.js';
import type { PageRequest, PopulationDeleteResult, PopulationRecord, UpdateResult } from '../types.js';
import type { EnvScoped } from './scoped.js';

const CLEAR_DEFAULT = 'is_default = false, version = version + 1, updated_at = ?';

export class Populations {
  constructor(private readonly scoped: EnvScoped) {}

  async list(environmentId: string, page: PageRequest): Promise<RowPage<PopulationRecord>> {
    return mapRowPage(await this.scoped.page<PopulationRow>('populations', environmentId, '', [], page), toPopulation);
  }

  async get(environmentId: string, populationId: string): Promise<PopulationRecord | undefined> {
    const row = await this.scoped.one<PopulationRow>('populations', environmentId, 'id = ?', [populationId]);
    return row && toPopulation(row);
  }

  async getDefault(environmentId: string): Promise<PopulationRecord | undefined> {
    const row = await this.scoped.one<PopulationRow>('populations', environmentId, 'is_default');
    return row && toPopulation(row);
  }

  async insert(environmentId: string, p: PopulationRecord): Promise<void> {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    await this.scoped.insert('populations', environmentId, { ...populationColumns(p), is_default: p.default });
  }

  /** Inserts, moving the default flag when `p` is the new default. Call inside a transaction. */
  async create(environmentId: string, p: PopulationRecord): Promise<void> {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    await this.lockAll(environmentId);
    if (p.default) await this.clearDefault(environmentId, p.id, p.updatedAt);
    await this.insert(environmentId, p);
  }

  /** Call inside a transaction. */
  async update(environmentId: string, next: PopulationRecord, expectedVersion?: number): Promise<UpdateResult<PopulationRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `population ${next.id}`);
    const current = (await this.lockAll(environmentId)).find((row) => row.id === next.id);
    if (!current) return { status: 'not_found' };
    if (expectedVersion !== undefined && current.version !== expectedVersion) return { status: 'conflict' };
    const isDefault = next.default || current.is_default === true;
    if (isDefault) await this.clearDefault(environmentId, next.id, next.updatedAt);
    const set = { ...populationMutableColumns(next), is_default: isDefault };
    const result = await this.scoped.updateVersioned<PopulationRow>('populations', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toPopulation(result.record) } : result;
  }

  /** Call inside a transaction; users written meanwhile wait for it (see users.ts). */
  async delete(environmentId: string, populationId: string): Promise<PopulationDeleteResult> {
    const rows = await this.lockAll(environmentId);
    const users = await this.scoped.count('users', environmentId, 'population_id = ?', [populationId]);
    const blocker = populationDeleteBlocker(rows, populationId, users);
    if (blocker) return blocker;
    await this.scoped.delete('populations', environmentId, 'id = ?', [populationId]);
    return 'deleted';
  }

  private lockAll(environmentId: string): Promise<PopulationRow[]> {
    return this.scoped.many<PopulationRow>('populations', environmentId, '', [], 'id', true);
  }

  /** The previous default (at most one, by the partial unique index) gives up the flag: a change, so a new version. */
  private async clearDefault(environmentId: string, exceptId: string, at: string): Promise<void> {
    await this.scoped.updateReturning('populations', environmentId, CLEAR_DEFAULT, [at], 'is_default AND id <> ?', [exceptId]);
  }
}
