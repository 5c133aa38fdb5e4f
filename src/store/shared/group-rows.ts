/** Rows ↔ records for groups, and the SQL pieces the groups area shares between its methods. */
import type { GroupRecord } from '../group-types.js';
import type { FilterColumns } from './filter-sql.js';
import { json, parseJson, versioned, withOptional, type Columns, type VersionedColumns } from './rows.js';

export interface GroupRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  scope_key: string;
  population_id: string | null;
  description: string | null;
  user_filter: string | null;
  external_id: string | null;
  custom_data: string | null;
}

export function toGroup(row: GroupRow): GroupRecord {
  const record: GroupRecord = { id: row.id, environmentId: row.environment_id, name: row.name, ...versioned(row) };
  withOptional(record, 'populationId', row.population_id);
  withOptional(record, 'description', row.description);
  withOptional(record, 'userFilter', row.user_filter);
  withOptional(record, 'externalId', row.external_id);
  if (row.custom_data !== null) record.customData = parseJson<Record<string, unknown>>(row.custom_data);
  return record;
}

/** What a replace may change: never the population (PingOne sets it on create only). */
export function groupMutableColumns(g: GroupRecord): Columns {
  return {
    name: g.name,
    description: g.description ?? null,
    user_filter: g.userFilter ?? null,
    external_id: g.externalId ?? null,
    custom_data: g.customData === undefined ? null : json(g.customData),
    updated_at: g.updatedAt,
  };
}

export function groupInsertColumns(g: GroupRecord): Columns {
  return {
    id: g.id,
    ...groupMutableColumns(g),
    scope_key: g.populationId ?? '',
    population_id: g.populationId ?? null,
    version: g.version,
    created_at: g.createdAt,
  };
}

/** The columns behind the groups collection's filter (src/management/filter/spec.ts, GROUP_FILTER). */
export const GROUP_FILTER_COLUMNS: FilterColumns = {
  columns: {
    id: { column: 'id', type: 'string' },
    name: { column: 'name', type: 'string' },
    externalId: { column: 'external_id', type: 'string' },
    'population.id': { column: 'population_id', type: 'string' },
  },
};

/**
 * The ids of the groups `start` (a SELECT of group ids, bound by `startParams`) belongs to
 * through nesting, `start` included: a recursive walk up `group_nestings` (its primary key
 * serves each step). UNION, not UNION ALL, so each group is visited once.
 */
export function ancestorsSql(start: string): string {
  return (
    `WITH RECURSIVE up(id) AS (${start} ` +
    'UNION SELECT n.parent_id FROM group_nestings n JOIN up ON n.group_id = up.id WHERE n.environment_id = ?) SELECT id FROM up'
  );
}

/**
 * The ids of a group (bound as environment, id) and every group nested in it, at any depth
 * (group_nestings_parent serves each step); then the environment again for the walk.
 */
export const DESCENDANTS_SQL =
  'WITH RECURSIVE down(id) AS (SELECT id FROM groups WHERE environment_id = ? AND id = ? ' +
  'UNION SELECT n.group_id FROM group_nestings n JOIN down ON n.parent_id = down.id WHERE n.environment_id = ?) SELECT id FROM down';
