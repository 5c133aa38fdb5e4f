/** User populations. */
import { populationColumns, toPopulation, type PopulationRow } from '../shared/environment-rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import type { PageRequest, PopulationRecord } from '../types.js';
import type { EnvScoped } from './scoped.js';

export class Populations {
  constructor(private readonly scoped: EnvScoped) {}

  async list(environmentId: string, page: PageRequest): Promise<RowPage<PopulationRecord>> {
    return mapRowPage(await this.scoped.page<PopulationRow>('populations', environmentId, '', [], page), toPopulation);
  }

  async insert(environmentId: string, p: PopulationRecord): Promise<void> {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    await this.scoped.insert('populations', environmentId, { ...populationColumns(p), is_default: p.default });
  }
}
