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
import type { Queryable } from './pool.js';
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
    private readonly q: Queryable,
    private readonly scoped: EnvScoped,
    private readonly parts: EnvironmentParts,
  ) {}

  async getOrganization(): Promise<OrganizationRecord | undefined> {
    const { rows } = await this.q.query<OrganizationRow>('SELECT * FROM organization ORDER BY created_at, id LIMIT 1');
    return rows[0] && toOrganization(rows[0]);
  }

  async createOrganization(org: OrganizationRecord): Promise<void> {
    const columns = organizationColumns(org);
    assertStorableText('organization', columns);
    const names = Object.keys(columns);
    const sql = `INSERT INTO organization (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    await this.q.query(sql, Object.values(columns));
  }

  /** Environments of one organization: the only listing scoped by organization, not environment. */
  async list(organizationId: string, page: PageRequest): Promise<RowPage<EnvironmentRecord>> {
    return mapRowPage(await pageBy<EnvironmentRow>(this.q, 'environments', 'organization_id = ?', [organizationId], page), toEnvironment);
  }

  async get(environmentId: string): Promise<EnvironmentRecord | undefined> {
    const row = await this.scoped.one<EnvironmentRow>('environments', environmentId);
    return row && toEnvironment(row);
  }

  /** Writes the whole bundle. Call inside a transaction (all or nothing). */
  async create(bundle: NewEnvironmentBundle): Promise<void> {
    const env = bundle.environment;
    await this.scoped.insert('environments', env.id, environmentInsertColumns(env));
    await this.parts.signingKeys.insert(env.id, bundle.signingKey);
    await this.parts.populations.insert(env.id, bundle.population);
    for (const resource of bundle.resources) await this.parts.resources.insert(env.id, resource);
    for (const scope of bundle.scopes) await this.parts.resources.insertScope(env.id, scope);
    // The actor may live in another environment: each assignment is written under its own.
    for (const assignment of bundle.roleAssignments) await this.parts.roleAssignments.insert(assignment.environmentId, assignment);
  }

  async update(environmentId: string, next: EnvironmentRecord, expectedVersion?: number): Promise<UpdateResult<EnvironmentRecord>> {
    if (next.id !== environmentId) throw new TypeError(`environment ${next.id} passed as the update of ${environmentId}`);
    const result = await this.scoped.updateVersioned<EnvironmentRow>(
      'environments',
      environmentId,
      environmentMutableColumns(next),
      '',
      [],
      expectedVersion,
    );
    return result.status === 'updated' ? { status: 'updated', record: toEnvironment(result.record) } : result;
  }

  /**
   * Deletes every row of the environment and the roles granted over it. Call inside a
   * transaction. Locking the environment row first makes a concurrent insert of a child row wait
   * (its foreign-key check needs a share lock on that row) instead of failing this delete.
   */
  async delete(environmentId: string): Promise<boolean> {
    await this.scoped.lockVersion('environments', environmentId, '', []);
    await this.parts.roleAssignments.deleteByScope('ENVIRONMENT', environmentId);
    for (const table of ENVIRONMENT_CHILD_TABLES) await this.scoped.delete(table, environmentId);
    return (await this.scoped.delete('environments', environmentId)) > 0;
  }
}
