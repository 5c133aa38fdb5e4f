/** The organization, its environments (created and deleted with everything they hold) and their signing keys. */
import {
  environmentInsertColumns,
  environmentMutableColumns,
  organizationColumns,
  toEnvironment,
  toOrganization,
  type EnvironmentRow,
  type OrganizationRow,
} from '../shared/environment-rows.js';
import { mapRowPage, toPage } from '../shared/scope.js';
import { assertStorableText } from '../shared/text.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import { pageBy } from '../sql/scoped.js';
import { filterPredicate, type FilterColumns } from '../shared/filter-sql.js';
import { changes, row, type Q, type SqlValue } from '../sql/statement.js';
import type {
  EnvironmentRecord,
  NewEnvironmentBundle,
  OrganizationRecord,
  Page,
  PageRequest,
  UpdateResult,
  FilterExpression,
} from '../types.js';
import { insertPasswordPolicy } from './password-policies.js';
import { insertPopulation } from './populations.js';
import { insertSigningKey } from './signing-keys.js';
import { insertResource, insertScope } from './resources.js';
import { deleteRoleAssignmentsOver, insertRoleAssignment } from './role-assignments.js';

/** The columns behind the environments collection's filter (src/management/filter/spec.ts, ENVIRONMENT_FILTER). */
const ENVIRONMENT_FILTER_COLUMNS: FilterColumns = {
  columns: {
    id: { column: 'id', type: 'string' },
    name: { column: 'name', type: 'string' },
    'organization.id': { column: 'organization_id', type: 'string' },
    'license.id': { column: 'license_id', type: 'string' },
  },
};

export const environmentMethods = {
  /** The organization (one per deployment). */
  getOrganization: plain(function* (): Q<OrganizationRecord | undefined> {
    const found = yield* row<OrganizationRow>('SELECT * FROM organization ORDER BY created_at, id LIMIT 1');
    return found && toOrganization(found);
  }),

  createOrganization: plain(function* (_db: Db, org: OrganizationRecord): Q<void> {
    const columns = organizationColumns(org);
    assertStorableText('organization', columns);
    const names = Object.keys(columns);
    yield* changes(`INSERT INTO organization (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, Object.values(columns));
  }),

  /** Environments of one organization: the only listing scoped by organization, not environment. */
  /**
   * The organization's environments ordered by id; `filter` (checked against the environments
   * collection's spec) narrows page and count in SQL (names on the unique (organization, name)
   * index); `within`, when given, keeps only those ids (an actor holding roles on some
   * environments only).
   */
  listEnvironments: plain(function* (
    db: Db,
    organizationId: string,
    page: PageRequest,
    filter?: FilterExpression,
    within?: readonly string[],
  ): Q<Page<EnvironmentRecord>> {
    // The organization, not an environment, scopes this list: filterPredicate's environment is unused here.
    const [predicate, params] = filterPredicate(db.dialect, '', ENVIRONMENT_FILTER_COLUMNS, filter);
    let condition = predicate ? `organization_id = ? AND ${predicate}` : 'organization_id = ?';
    const values: SqlValue[] = [organizationId, ...params];
    if (within !== undefined) {
      const { predicate: inIds, param } = db.dialect.inList('id', within);
      condition = `${condition} AND ${inIds}`;
      values.push(param);
    }
    return toPage(mapRowPage(yield* pageBy<EnvironmentRow>('environments', condition, values, page), toEnvironment));
  }),

  getEnvironment: plain(function* (db: Db, environmentId: string): Q<EnvironmentRecord | undefined> {
    const found = yield* db.scoped.one<EnvironmentRow>('environments', environmentId);
    return found && toEnvironment(found);
  }),

  /** Writes the whole bundle, all or nothing. Fails with UniqueViolation('name') when the name is taken in the organization. */
  createEnvironment: atomic(function* (db: Db, bundle: NewEnvironmentBundle): Q<void> {
    const env = bundle.environment;
    yield* db.scoped.insert('environments', env.id, environmentInsertColumns(env));
    yield* insertSigningKey(db, env.id, bundle.signingKey);
    yield* insertPopulation(db, env.id, bundle.population);
    for (const resource of bundle.resources) yield* insertResource(db, env.id, resource);
    for (const scope of bundle.scopes) yield* insertScope(db, env.id, scope);
    // The actor may live in another environment: each assignment is written under its own.
    for (const assignment of bundle.roleAssignments) yield* insertRoleAssignment(db, assignment.environmentId, assignment);
    for (const policy of bundle.passwordPolicies ?? []) yield* insertPasswordPolicy(db, env.id, policy);
  }),

  /** Replaces the environment when `expectedVersion` matches (or is undefined). */
  updateEnvironment: atomic(function* (
    db: Db,
    environmentId: string,
    next: EnvironmentRecord,
    expectedVersion?: number,
  ): Q<UpdateResult<EnvironmentRecord>> {
    if (next.id !== environmentId) throw new TypeError(`environment ${next.id} passed as the update of ${environmentId}`);
    const set = environmentMutableColumns(next);
    const result = yield* db.scoped.updateVersioned<EnvironmentRow>('environments', environmentId, set, '', [], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toEnvironment(result.record) } : result;
  }),

  /**
   * Deletes the environment, every row scoped by it and the roles granted over it. Locking the
   * environment row first makes a concurrent insert of a child row wait (its foreign-key check
   * needs a share lock on that row) instead of failing this delete.
   */
  deleteEnvironment: atomic(function* (db: Db, environmentId: string): Q<boolean> {
    yield* db.scoped.lockVersion('environments', environmentId, '', []);
    yield* deleteRoleAssignmentsOver('ENVIRONMENT', environmentId);
    for (const table of db.environmentTables) yield* db.scoped.delete(table, environmentId);
    return (yield* db.scoped.delete('environments', environmentId)) > 0;
  }),
};
