/**
 * Attribute mappings: an application's (the claims of its ID tokens and userinfo) and a
 * resource's (the claims of its access tokens). Names are unique per application or resource;
 * the settings are one JSON column, read and written whole.
 */
import type { Versioned } from '../../domain/versioned.js';
import { assertInEnvironment } from '../shared/scope.js';
import { json, parseJson, versioned, type VersionedColumns } from '../shared/rows.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import type { UpdateResult } from '../types.js';
import type { ScopeRow } from '../shared/resource-rows.js';

/** PingOne's `EnumAttributeMappingType`. */
export type AttributeMappingType = 'CORE' | 'SCOPE' | 'CUSTOM';

export interface ApplicationAttributeSettings {
  /** The mapping value: text with `${expression}` placeholders (PingOne expression language). */
  value: string;
  required: boolean;
  mappingType: AttributeMappingType;
  idToken: boolean;
  userInfo: boolean;
  /** Scope ids of the `openid` resource the mapping is released for; absent: `openid`. */
  oidcScopes?: string[];
}

export interface ApplicationAttributeRecord extends Versioned {
  id: string;
  environmentId: string;
  applicationId: string;
  name: string;
  settings: ApplicationAttributeSettings;
}

/** PingOne's `EnumResourceAttributeType`. */
export type ResourceAttributeType = 'CORE' | 'CUSTOM' | 'PREDEFINED';

export interface ResourceAttributeSettings {
  value: string;
  type: ResourceAttributeType;
  idToken?: boolean;
  userInfo?: boolean;
}

export interface ResourceAttributeRecord extends Versioned {
  id: string;
  environmentId: string;
  resourceId: string;
  name: string;
  settings: ResourceAttributeSettings;
}

interface MappingRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  definition: string;
}
interface ApplicationAttributeRow extends MappingRow {
  application_id: string;
}
interface ResourceAttributeRow extends MappingRow {
  resource_id: string;
}

function toApplicationAttribute(row: ApplicationAttributeRow): ApplicationAttributeRecord {
  return { id: row.id, environmentId: row.environment_id, applicationId: row.application_id, name: row.name, settings: parseJson<ApplicationAttributeSettings>(row.definition), ...versioned(row) };
}

function toResourceAttribute(row: ResourceAttributeRow): ResourceAttributeRecord {
  return { id: row.id, environmentId: row.environment_id, resourceId: row.resource_id, name: row.name, settings: parseJson<ResourceAttributeSettings>(row.definition), ...versioned(row) };
}

export const attributeMappingMethods = {
  /** Every mapping of the application, by name (PingOne does not page them). */
  listApplicationAttributes: plain(function* (db: Db, environmentId: string, applicationId: string): Q<ApplicationAttributeRecord[]> {
    const rows = yield* db.scoped.many<ApplicationAttributeRow>('application_attributes', environmentId, 'application_id = ?', [applicationId], 'name, id');
    return rows.map(toApplicationAttribute);
  }),

  getApplicationAttribute: plain(function* (db: Db, environmentId: string, applicationId: string, id: string): Q<ApplicationAttributeRecord | undefined> {
    const row = yield* db.scoped.one<ApplicationAttributeRow>('application_attributes', environmentId, 'application_id = ? AND id = ?', [applicationId, id]);
    return row && toApplicationAttribute(row);
  }),

  /** Fails with UniqueViolation('name') when the application has a mapping of that name. */
  createApplicationAttribute: atomic(function* (db: Db, environmentId: string, a: ApplicationAttributeRecord): Q<void> {
    assertInEnvironment(environmentId, a.environmentId, `application attribute ${a.id}`);
    yield* db.scoped.insert('application_attributes', environmentId, {
      id: a.id,
      application_id: a.applicationId,
      name: a.name,
      definition: json(a.settings),
      version: a.version,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    });
  }),

  /** Replaces name and settings when `expectedVersion` matches (or is not given). */
  updateApplicationAttribute: plain(function* (db: Db, environmentId: string, next: ApplicationAttributeRecord, expectedVersion?: number): Q<UpdateResult<ApplicationAttributeRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `application attribute ${next.id}`);
    const set = { name: next.name, definition: json(next.settings), updated_at: next.updatedAt };
    const result = yield* db.scoped.updateVersioned<ApplicationAttributeRow>('application_attributes', environmentId, set, 'application_id = ? AND id = ?', [next.applicationId, next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toApplicationAttribute(result.record) } : result;
  }),

  /** True when the mapping existed and is gone. */
  deleteApplicationAttribute: plain(function* (db: Db, environmentId: string, applicationId: string, id: string): Q<boolean> {
    return (yield* db.scoped.delete('application_attributes', environmentId, 'application_id = ? AND id = ?', [applicationId, id])) > 0;
  }),

  /** Every attribute of the resource, by name. */
  listResourceAttributes: plain(function* (db: Db, environmentId: string, resourceId: string): Q<ResourceAttributeRecord[]> {
    const rows = yield* db.scoped.many<ResourceAttributeRow>('resource_attributes', environmentId, 'resource_id = ?', [resourceId], 'name, id');
    return rows.map(toResourceAttribute);
  }),

  getResourceAttribute: plain(function* (db: Db, environmentId: string, resourceId: string, id: string): Q<ResourceAttributeRecord | undefined> {
    const row = yield* db.scoped.one<ResourceAttributeRow>('resource_attributes', environmentId, 'resource_id = ? AND id = ?', [resourceId, id]);
    return row && toResourceAttribute(row);
  }),

  /** Fails with UniqueViolation('name') when the resource has an attribute of that name. */
  createResourceAttribute: atomic(function* (db: Db, environmentId: string, a: ResourceAttributeRecord): Q<void> {
    assertInEnvironment(environmentId, a.environmentId, `resource attribute ${a.id}`);
    yield* db.scoped.insert('resource_attributes', environmentId, {
      id: a.id,
      resource_id: a.resourceId,
      name: a.name,
      definition: json(a.settings),
      version: a.version,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    });
  }),

  updateResourceAttribute: plain(function* (db: Db, environmentId: string, next: ResourceAttributeRecord, expectedVersion?: number): Q<UpdateResult<ResourceAttributeRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `resource attribute ${next.id}`);
    const set = { name: next.name, definition: json(next.settings), updated_at: next.updatedAt };
    const result = yield* db.scoped.updateVersioned<ResourceAttributeRow>('resource_attributes', environmentId, set, 'resource_id = ? AND id = ?', [next.resourceId, next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toResourceAttribute(result.record) } : result;
  }),

  /** True when the attribute existed and is gone; it leaves the `mappedClaims` of every scope in the same transaction. */
  deleteResourceAttribute: atomic(function* (db: Db, environmentId: string, resourceId: string, id: string): Q<boolean> {
    if ((yield* db.scoped.delete('resource_attributes', environmentId, 'resource_id = ? AND id = ?', [resourceId, id])) === 0) return false;
    yield* removeClaimFromScopes(db, environmentId, resourceId, id);
    return true;
  }),
};

function* removeClaimFromScopes(db: Db, environmentId: string, resourceId: string, attributeId: string): Q<void> {
  const predicate = `resource_id = ? AND mapped_claims IS NOT NULL AND ${db.dialect.jsonArrayHas('scopes.mapped_claims')}`;
  const holders = yield* db.scoped.many<ScopeRow>('scopes', environmentId, predicate, [resourceId, attributeId], 'id', true);
  for (const row of holders) {
    const remaining = parseJson<string[]>(row.mapped_claims as string).filter((claim) => claim !== attributeId);
    const set = { mapped_claims: remaining.length === 0 ? null : json(remaining), version: row.version + 1, updated_at: db.now() };
    yield* db.scoped.update('scopes', environmentId, set, 'id = ?', [row.id]);
  }
}
