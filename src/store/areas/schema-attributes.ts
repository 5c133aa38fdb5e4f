/**
 * Custom attributes of the environment's user schema. Names are unique per environment without
 * regard to case; a name never changes once created (PingOne: "Custom attributes … can be
 * modified except for the name, type and schema"), so an update writes the definition only.
 */
import type { CustomAttributeSettings } from '../../domain/users/custom-attribute.js';
import type { Versioned } from '../../domain/versioned.js';
import { assertInEnvironment } from '../shared/scope.js';
import { json, parseJson, versioned, type VersionedColumns } from '../shared/rows.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import { applyUniqueness, deleteAttributeValues } from './custom-values.js';
import type { Q } from '../sql/statement.js';
import { UniqueViolation, type UpdateResult } from '../types.js';

export interface SchemaAttributeRecord extends Versioned {
  id: string;
  environmentId: string;
  name: string;
  settings: CustomAttributeSettings;
}

interface SchemaAttributeRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  name_lower: string;
  definition: string;
}

function toSchemaAttribute(row: SchemaAttributeRow): SchemaAttributeRecord {
  return { id: row.id, environmentId: row.environment_id, name: row.name, settings: parseJson<CustomAttributeSettings>(row.definition), ...versioned(row) };
}

/**
 * In updateSchemaAttribute only turning `unique` on inserts rows, into `user_unique_values`,
 * whose primary key is the values' key: callers know its clash as `values`.
 */
function asValuesClash(err: unknown): unknown {
  return err instanceof UniqueViolation && err.field === 'id' ? new UniqueViolation('values') : err;
}

/** The unique index is on `name_lower`; callers know the field as `name`. */
function asNameClash(err: unknown): unknown {
  return err instanceof UniqueViolation && err.field === 'nameLower' ? new UniqueViolation('name') : err;
}

export const schemaAttributeMethods = {
  /** Every custom attribute of the environment, by name (PingOne does not page a schema's attributes). */
  listSchemaAttributes: plain(function* (db: Db, environmentId: string): Q<SchemaAttributeRecord[]> {
    return (yield* db.scoped.many<SchemaAttributeRow>('schema_attributes', environmentId, '', [], 'name_lower, id')).map(toSchemaAttribute);
  }),

  getSchemaAttribute: plain(function* (db: Db, environmentId: string, attributeId: string): Q<SchemaAttributeRecord | undefined> {
    const row = yield* db.scoped.one<SchemaAttributeRow>('schema_attributes', environmentId, 'id = ?', [attributeId]);
    return row && toSchemaAttribute(row);
  }),

  /** Fails with UniqueViolation('name') when the environment has an attribute of that name in any case. */
  createSchemaAttribute: atomic(function* (db: Db, environmentId: string, a: SchemaAttributeRecord): Q<void> {
    assertInEnvironment(environmentId, a.environmentId, `schema attribute ${a.id}`);
    yield* db.scoped.insert('schema_attributes', environmentId, {
      id: a.id,
      name: a.name,
      name_lower: a.name.toLowerCase(),
      definition: json(a.settings),
      version: a.version,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    });
  }, asNameClash),

  /**
   * Replaces the definition when `expectedVersion` matches (or is not given); the name stays.
   * When `unique` turns on, the values users hold become unique in the same transaction: fails
   * with UniqueViolation('values') when two users hold equal ones.
   */
  updateSchemaAttribute: atomic(function* (
    db: Db,
    environmentId: string,
    next: SchemaAttributeRecord,
    expectedVersion?: number,
  ): Q<UpdateResult<SchemaAttributeRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `schema attribute ${next.id}`);
    const [before] = yield* db.scoped.many<SchemaAttributeRow>('schema_attributes', environmentId, 'id = ?', [next.id], 'id', true);
    const set = { definition: json(next.settings), updated_at: next.updatedAt };
    const result = yield* db.scoped.updateVersioned<SchemaAttributeRow>('schema_attributes', environmentId, set, 'id = ?', [next.id], expectedVersion);
    if (result.status !== 'updated') return result;
    const wasUnique = before !== undefined && toSchemaAttribute(before).settings.unique;
    if (wasUnique !== next.settings.unique) yield* applyUniqueness(db, environmentId, next.id, next.settings.unique);
    return { status: 'updated', record: toSchemaAttribute(result.record) };
  }, asValuesClash),

  /**
   * True when the attribute existed and is gone, with every value users held of it (in the same
   * transaction; README, "Custom attribute values").
   */
  deleteSchemaAttribute: atomic(function* (db: Db, environmentId: string, attributeId: string): Q<boolean> {
    if ((yield* db.scoped.lockVersion('schema_attributes', environmentId, 'id = ?', [attributeId])) === undefined) return false;
    yield* deleteAttributeValues(db, environmentId, attributeId);
    return (yield* db.scoped.delete('schema_attributes', environmentId, 'id = ?', [attributeId])) > 0;
  }),
};
