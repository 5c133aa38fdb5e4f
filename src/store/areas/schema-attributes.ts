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

  /** Replaces the definition when `expectedVersion` matches (or is not given); the name stays. */
  updateSchemaAttribute: plain(function* (
    db: Db,
    environmentId: string,
    next: SchemaAttributeRecord,
    expectedVersion?: number,
  ): Q<UpdateResult<SchemaAttributeRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `schema attribute ${next.id}`);
    const set = { definition: json(next.settings), updated_at: next.updatedAt };
    const result = yield* db.scoped.updateVersioned<SchemaAttributeRow>('schema_attributes', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toSchemaAttribute(result.record) } : result;
  }),

  /** True when the attribute existed and is gone. */
  deleteSchemaAttribute: plain(function* (db: Db, environmentId: string, attributeId: string): Q<boolean> {
    return (yield* db.scoped.delete('schema_attributes', environmentId, 'id = ?', [attributeId])) > 0;
  }),
};
