/** Rows ↔ records for the organization, environments, signing keys and populations (every dialect). */
import type { EnvironmentSettings } from '../../domain/environment-settings.js';
import type { EnvironmentRecord, OrganizationRecord, PopulationRecord } from '../types.js';
import { flag, json, parseJson, versioned, withOptional, type Columns, type VersionedColumns } from './rows.js';

export interface OrganizationRow {
  id: string;
  name: string;
  license_id: string;
  created_at: string;
}

export function toOrganization(row: OrganizationRow): OrganizationRecord {
  return { id: row.id, name: row.name, licenseId: row.license_id, createdAt: row.created_at };
}

export function organizationColumns(org: OrganizationRecord): Columns {
  return { id: org.id, name: org.name, license_id: org.licenseId, created_at: org.createdAt };
}

export interface EnvironmentRow extends VersionedColumns {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  region: string;
  type: EnvironmentRecord['type'];
  license_id: string;
  status: EnvironmentRecord['status'];
  extras: string;
  settings: string;
}

export function toEnvironment(row: EnvironmentRow): EnvironmentRecord {
  const record: EnvironmentRecord = {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    region: row.region,
    type: row.type,
    licenseId: row.license_id,
    status: row.status,
    extras: parseJson<Record<string, unknown>>(row.extras),
    settings: parseJson<EnvironmentSettings>(row.settings),
    ...versioned(row),
  };
  return withOptional(record, 'description', row.description);
}

/** The columns an environment update may change (not organization, id or createdAt). */
export function environmentMutableColumns(env: EnvironmentRecord): Columns {
  return {
    name: env.name,
    description: env.description ?? null,
    region: env.region,
    type: env.type,
    license_id: env.licenseId,
    status: env.status,
    extras: json(env.extras),
    settings: json(env.settings),
    updated_at: env.updatedAt,
  };
}

/** Every column of a new environment except `id`, which the scoped insert stamps. */
export function environmentInsertColumns(env: EnvironmentRecord): Columns {
  return { organization_id: env.organizationId, ...environmentMutableColumns(env), version: env.version, created_at: env.createdAt };
}

export interface PopulationRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  description: string | null;
  /** SQLite INTEGER 0/1, PostgreSQL boolean. */
  is_default: number | boolean;
  /** Since migration 0008; NULL: the environment's default policy applies. */
  password_policy_id: string | null;
}

export function toPopulation(row: PopulationRow): PopulationRecord {
  const record: PopulationRecord = {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    default: flag(row.is_default),
    ...versioned(row),
  };
  withOptional(record, 'passwordPolicyId', row.password_policy_id);
  return withOptional(record, 'description', row.description);
}

/**
 * Every column but `is_default`, whose type differs per dialect (see PopulationRow).
 * `password_policy_id` only when set: its NULL default says the same, and an insert that does not
 * name it also runs on a database not yet at 0010 (the fixtures of earlier migrations write
 * populations through the store at their own version).
 */
export function populationColumns(p: PopulationRecord): Columns {
  const columns: Columns = {
    id: p.id,
    name: p.name,
    description: p.description ?? null,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
  if (p.passwordPolicyId !== undefined) columns.password_policy_id = p.passwordPolicyId;
  return columns;
}

/** The columns updatePopulation may change besides `is_default` (see PopulationRow). */
export function populationMutableColumns(p: PopulationRecord): Columns {
  return { name: p.name, description: p.description ?? null, password_policy_id: p.passwordPolicyId ?? null, updated_at: p.updatedAt };
}
