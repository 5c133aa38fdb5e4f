/** User populations. */
import type { PageRequest, PopulationRecord } from '../types.js';
import { versioned, withOptional, type VersionedColumns } from './rows.js';
import { assertInEnvironment, type EnvScoped, type RowPage } from './scoped.js';

interface PopulationRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  description: string | null;
  is_default: number;
}

function toRecord(row: PopulationRow): PopulationRecord {
  const record: PopulationRecord = {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    default: row.is_default === 1,
    ...versioned(row),
  };
  return withOptional(record, 'description', row.description);
}

export class Populations {
  constructor(private readonly scoped: EnvScoped) {}

  list(environmentId: string, page: PageRequest): RowPage<PopulationRecord> {
    const result = this.scoped.page<PopulationRow>('populations', environmentId, '', [], page);
    return { ...result, rows: result.rows.map(toRecord) };
  }

  insert(environmentId: string, p: PopulationRecord): void {
    assertInEnvironment(environmentId, p.environmentId, `population ${p.id}`);
    this.scoped.insert('populations', environmentId, {
      id: p.id,
      name: p.name,
      description: p.description ?? null,
      is_default: p.default ? 1 : 0,
      version: p.version,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    });
  }
}
