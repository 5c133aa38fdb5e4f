/** The organization and its environments, created and deleted with everything they hold. */
import {
  environmentInsertColumns,
  environmentMutableColumns,
  organizationColumns,
  toEnvironment,
  toOrganization,
  type EnvironmentRow,
  type OrganizationRow,
} from '../shared/environment-rows.js';
import { ENVIRONMENT_CHILD_TABLES, mapRowPage, type RowPage } from '../shared/scope.js';
import { assertStorableText } from '../shared/text.js';
import type { EnvironmentRecord, NewEnvironmentBundle, OrganizationRecord, PageRequest, UpdateResult } from '../types.js';
import type { Connection } from './connection.js';
import type { Populations } from './populations.js';
import type { Resources } from './resources.js';
import type { RoleAssignments } from './role-assignments.js';
import { pageBy, type EnvScoped } from './scoped.js';
import type { SigningKeys } from './signing-keys.js';

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
    return row && toOrganization(row);
  }

  createOrganization(org: OrganizationRecord): void {
    const columns = organizationColumns(org);
    assertStorableText('organization', columns);
    const names = Object.keys(columns);
    const sql = `INSERT INTO organization (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.conn.run(sql, Object.values(columns));
  }

  /** Environments of one organization: the only listing scoped by organization, not environment. */
  list(organizationId: string, page: PageRequest): RowPage<EnvironmentRecord> {
    return mapRowPage(pageBy<EnvironmentRow>(this.conn, 'environments', 'organization_id = ?', [organizationId], page), toEnvironment);
  }

  get(environmentId: string): EnvironmentRecord | undefined {
    const row = this.scoped.one<EnvironmentRow>('environments', environmentId);
    return row && toEnvironment(row);
  }

  /** Writes the whole bundle. Call inside a write transaction (all or nothing). */
  create(bundle: NewEnvironmentBundle): void {
    const env = bundle.environment;
    this.scoped.insert('environments', env.id, environmentInsertColumns(env));
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
      environmentMutableColumns(next),
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
