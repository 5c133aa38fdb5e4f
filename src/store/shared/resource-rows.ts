/** Rows ↔ records for resources and their scopes (every dialect). */
import type { ResourceType } from '../../domain/resource-type.js';
import type { ResourceRecord, ScopeRecord } from '../types.js';
import { json, parseJson, versioned, withOptional, type Columns, type VersionedColumns } from './rows.js';

export interface ResourceRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  type: ResourceType;
  description: string | null;
  audience: string;
  access_token_validity_seconds: number;
}

export interface ScopeRow extends VersionedColumns {
  environment_id: string;
  id: string;
  resource_id: string;
  name: string;
  description: string | null;
  /** JSON array of resource attribute ids; NULL when the scope maps none (migration 0013). */
  mapped_claims: string | null;
}

export function toResource(row: ResourceRow): ResourceRecord {
  const record: ResourceRecord = {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    type: row.type,
    audience: row.audience,
    accessTokenValiditySeconds: row.access_token_validity_seconds,
    ...versioned(row),
  };
  return withOptional(record, 'description', row.description);
}

/** The columns an update may change (not id, version or createdAt). */
export function resourceMutableColumns(r: ResourceRecord): Columns {
  return {
    name: r.name,
    type: r.type,
    description: r.description ?? null,
    audience: r.audience,
    access_token_validity_seconds: r.accessTokenValiditySeconds,
    updated_at: r.updatedAt,
  };
}

export function resourceInsertColumns(r: ResourceRecord): Columns {
  return { id: r.id, ...resourceMutableColumns(r), version: r.version, created_at: r.createdAt };
}

export function toScope(row: ScopeRow): ScopeRecord {
  const record: ScopeRecord = {
    id: row.id,
    environmentId: row.environment_id,
    resourceId: row.resource_id,
    name: row.name,
    ...versioned(row),
  };
  if (row.mapped_claims !== null) record.mappedClaims = parseJson<string[]>(row.mapped_claims);
  return withOptional(record, 'description', row.description);
}

/** The columns an update may change; the resource is part of the key, not changed. */
export function scopeMutableColumns(s: ScopeRecord): Columns {
  const mappedClaims = s.mappedClaims === undefined ? null : json(s.mappedClaims);
  return { name: s.name, description: s.description ?? null, mapped_claims: mappedClaims, updated_at: s.updatedAt };
}

export function scopeInsertColumns(s: ScopeRecord): Columns {
  return { id: s.id, resource_id: s.resourceId, ...scopeMutableColumns(s), version: s.version, created_at: s.createdAt };
}
