/** The organization and its environments, created and deleted with everything they hold. */
import type {
  EnvironmentRecord,
  EnvironmentSettings,
  NewEnvironmentBundle,
  OrganizationRecord,
  PageRequest,
  UpdateResult,
} from '../types.js';
import type { Connection } from './connection.js';
import type { Populations } from './populations.js';
import type { Resources } from './resources.js';
import type { RoleAssignments } from './role-assignments.js';
import { json, parseJson, versioned, withOptional, type VersionedColumns } from './rows.js';
import { ENVIRONMENT_CHILD_TABLES, pageBy, type EnvScoped, type RowPage } from './scoped.js';
import type { SigningKeys } from './signing-keys.js';

interface OrganizationRow {
  id: string;
  name: string;
  license_id: string;
  created_at: string;
}

interface EnvironmentRow extends VersionedColumns {
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

function toEnvironment(row: EnvironmentRow): EnvironmentRecord {
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
function mutableColumns(env: EnvironmentRecord): Record<string, string | null> {
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

export interface EnvironmentParts {
  signingKeys: SigningKeys;
  populations: Populations;
  resources: Resources;
  roleAssignments: RoleAssignments;
}

export class Environments {
  constructor(
    private readonly conn: Connection,
    private readonly scoped: EnvScoped,
    private readonly parts: EnvironmentParts,
  ) {}

  getOrganization(): OrganizationRecord | undefined {
    const row = this.conn.get<OrganizationRow>('SELECT * FROM organization ORDER BY created_at, id LIMIT 1');
    return row && { id: row.id, name: row.name, licenseId: row.license_id, createdAt: row.created_at };
  }

  createOrganization(org: OrganizationRecord): void {
    this.conn.run('INSERT INTO organization (id, name, license_id, created_at) VALUES (?, ?, ?, ?)', [
      org.id,
      org.name,
      org.licenseId,
      org.createdAt,
    ]);
  }

  /** Environments of one organization: the only listing scoped by organization, not environment. */
  list(organizationId: string, page: PageRequest): RowPage<EnvironmentRecord> {
    const result = pageBy<EnvironmentRow>(this.conn, 'environments', 'organization_id = ?', [organizationId], page);
    return { ...result, rows: result.rows.map(toEnvironment) };
  }

  get(environmentId: string): EnvironmentRecord | undefined {
    const row = this.scoped.one<EnvironmentRow>('environments', environmentId);
    return row && toEnvironment(row);
  }

  /** Writes the whole bundle. Call inside a write transaction (all or nothing). */
  create(bundle: NewEnvironmentBundle): void {
    const env = bundle.environment;
    this.scoped.insert('environments', env.id, {
      organization_id: env.organizationId,
      ...mutableColumns(env),
      version: env.version,
      created_at: env.createdAt,
    });
    this.parts.signingKeys.insert(env.id, bundle.signingKey);
    this.parts.populations.insert(env.id, bundle.population);
    for (const resource of bundle.resources) this.parts.resources.insert(env.id, resource);
    for (const scope of bundle.scopes) this.parts.resources.insertScope(env.id, scope);
    // The actor may live in another environment: each assignment is written under its own.
    for (const assignment of bundle.roleAssignments) this.parts.roleAssignments.insert(assignment.environmentId, assignment);
  }

  /** Call inside a write transaction. */
  update(environmentId: string, next: EnvironmentRecord, expectedVersion?: number): UpdateResult<EnvironmentRecord> {
    if (next.id !== environmentId) throw new TypeError(`environment ${next.id} passed as the update of ${environmentId}`);
    const result = this.scoped.updateVersioned<EnvironmentRow>(
      'environments',
      environmentId,
      mutableColumns(next),
      '',
      [],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toEnvironment(result.record) } : result;
  }

  /** Deletes every row of the environment and the roles granted over it. Call inside a write transaction. */
  delete(environmentId: string): boolean {
    this.parts.roleAssignments.deleteByScope('ENVIRONMENT', environmentId);
    for (const table of ENVIRONMENT_CHILD_TABLES) this.scoped.delete(table, environmentId);
    return this.scoped.delete('environments', environmentId) > 0;
  }
}
