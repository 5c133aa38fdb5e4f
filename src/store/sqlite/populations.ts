/** User populations. */
import { populationColumns, toPopulation, type PopulationRow } from '../shared/environment-rows.js';
import { assertInEnvironment, mapRowPage, type RowPage } from '../shared/scope.js';
import type { PageRequest, PopulationRecord } from '../types.js';
import type { EnvScoped } from './scoped.js';

export class Populations {
  constructor(private readonly scoped: EnvScoped) {}

  list(environmentId: string, page: PageRequest): RowPage<PopulationRecord> {
    return mapRowPage(this.scoped.page<PopulationRow>('populations', environmentId, '', [], page), toPopulation);
  }

  insert(environmentId: string, p: PopulationRecord): void {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    // SQLite has no boolean type: the flag is stored as INTEGER 0/1.
    this.scoped.insert('populations', environmentId, { ...populationColumns(p), is_default: p.default ? 1 : 0 });
  }
}
