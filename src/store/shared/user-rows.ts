/**
 * Rows ↔ records for users, and the SQL pieces of the user store both dialects share: the
 * case-insensitive username key, the list filter, the failed-sign-in update and the rules that
 * keep a population in place.
 */
import type { CustomAttributeValues } from '../../domain/users/custom-attribute-values.js';
import type { SignInState } from '../../domain/users/sign-in-state.js';
import type { UserProfile } from '../../domain/users/user-profile.js';
import type { UserLifecycleStatus, UserRecord } from '../../domain/users/user.js';
import { UniqueViolation, type LockoutRule, type PopulationDeleteResult } from '../types.js';
import type { DynamicGroupRule } from '../group-types.js';
import type { Dialect } from '../sql/dialect.js';
import { filterPredicate, type FilterColumn, type FilterColumns, type MemberPredicate, type Predicate } from './filter-sql.js';
import type { PopulationRow } from './environment-rows.js';
import { flag, json, parseJson, versioned, type Columns, type VersionedColumns } from './rows.js';
import { USER_PROFILE_FILTER_ATTRIBUTES } from '../../domain/users/profile-filter-attributes.js';

export interface UserRow extends VersionedColumns {
  environment_id: string;
  id: string;
  population_id: string;
  username: string;
  username_lower: string;
  email: string;
  /** SQLite INTEGER 0/1, PostgreSQL boolean (as for every flag below). */
  enabled: number | boolean;
  lifecycle_status: UserLifecycleStatus;
  profile: string;
  password_hash: string | null;
  password_force_change: number | boolean;
  password_changed_at: string | null;
  failed_attempts: number;
  locked_until: string | null;
}


/**
 * The stored key that makes usernames unique and found case-insensitively: NFC (so composed and
 * decomposed accents are one name), then Unicode lower case (locale-independent).
 */
export function usernameKey(username: string): string {
  return username.normalize('NFC').toLowerCase();
}

/** The user of `row`, holding `customAttributes` (read beside it: ../areas/custom-values.ts). */
export function toUser(row: UserRow, customAttributes: CustomAttributeValues): UserRecord {
  const record: UserRecord = {
    id: row.id,
    environmentId: row.environment_id,
    populationId: row.population_id,
    username: row.username,
    email: row.email,
    enabled: flag(row.enabled),
    lifecycleStatus: row.lifecycle_status,
    profile: parseJson<UserProfile>(row.profile),
    customAttributes,
    signIn: toSignInState(row),
    ...versioned(row),
  };
  if (row.password_hash !== null) {
    record.password = {
      hash: row.password_hash,
      forceChange: flag(row.password_force_change),
      changedAt: row.password_changed_at ?? row.updated_at,
    };
  }
  return record;
}

export function toSignInState(row: Pick<UserRow, 'failed_attempts' | 'locked_until'>): SignInState {
  return row.locked_until === null ? { failedAttempts: row.failed_attempts } : { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until };
}

/** The columns replaceUser may change, except the `enabled` flag (typed per dialect). */
export function userMutableColumns(u: UserRecord): Columns {
  return {
    population_id: u.populationId,
    username: u.username,
    username_lower: usernameKey(u.username),
    email: u.email,
    lifecycle_status: u.lifecycleStatus,
    profile: json(u.profile),
    updated_at: u.updatedAt,
  };
}

/** Every column of a new user except the two flags (typed per dialect, see `userFlags`). */
export function userInsertColumns(u: UserRecord): Columns {
  return {
    id: u.id,
    ...userMutableColumns(u),
    password_hash: u.password?.hash ?? null,
    password_changed_at: u.password?.changedAt ?? null,
    failed_attempts: u.signIn.failedAttempts,
    locked_until: u.signIn.lockedUntil ?? null,
    version: u.version,
    created_at: u.createdAt,
  };
}

export function userFlags(u: UserRecord): { enabled: boolean; password_force_change: boolean } {
  return { enabled: u.enabled, password_force_change: u.password?.forceChange ?? false };
}


function profileColumn(attribute: string): FilterColumn {
  return { column: (dialect) => dialect.jsonText('profile', attribute.split('.')), type: 'string' };
}

/** `memberOfGroups[id eq]` without dynamic groups: the users added to the group (index of `user_groups` by group). */
const directMembers: MemberPredicate = (_dialect, environmentId, operator, value) => {
  if (operator !== 'eq' || typeof value !== 'string') throw new TypeError('memberOfGroups[id] supports eq on a string');
  return ['id IN (SELECT user_id FROM user_groups WHERE environment_id = ? AND group_id = ?)', [environmentId, value]];
};

/**
 * The columns behind the users collection's filter (src/management/filter/spec.ts, USER_FILTER):
 * username through its case-insensitive key, profile attributes as members of the profile's
 * JSON; `memberOfGroups[id eq]` as the users added to the group (the subquery names the
 * environment itself: docs/architecture.md, rule 2). A dynamic group's own `userFilter` is
 * compiled with these columns, so a `memberOfGroups` inside it never reaches another dynamic
 * group's filter (no filter can depend on itself).
 */
export const USER_FILTER_COLUMNS: FilterColumns = {
  columns: {
    id: { column: 'id', type: 'string' },
    username: { column: 'username_lower', type: 'string', key: usernameKey },
    email: { column: 'email', type: 'string' },
    'population.id': { column: 'population_id', type: 'string' },
    enabled: { column: 'enabled', type: 'boolean' },
    'lifecycle.status': { column: 'lifecycle_status', type: 'string' },
    ...Object.fromEntries(USER_PROFILE_FILTER_ATTRIBUTES.map((name) => [name, profileColumn(name)])),
  },
  members: { memberOfGroups: { id: directMembers } },
};

/** The users a dynamic group's filter matches, as a predicate over `users` (its population's only, for a population group). */
export function dynamicRulePredicate(dialect: Dialect, environmentId: string, rule: DynamicGroupRule): Predicate {
  const [matches, params] = filterPredicate(dialect, environmentId, USER_FILTER_COLUMNS, rule.filter);
  if (rule.populationId === undefined) return [`(${matches})`, params];
  return [`(${matches} AND population_id = ?)`, [...params, rule.populationId]];
}

/**
 * The users collection's filter columns when the environment has dynamic groups:
 * `memberOfGroups[id eq "G"]` also matches the users G's own `userFilter` matches. Members of
 * groups nested in G are not included (docs/decisions.md, "memberOfGroups filter").
 */
export function userFilterColumns(rules: readonly DynamicGroupRule[]): FilterColumns {
  if (rules.length === 0) return USER_FILTER_COLUMNS;
  const byId = new Map(rules.map((rule) => [rule.groupId, rule]));
  const members: MemberPredicate = (dialect, environmentId, operator, value) => {
    const [direct, directParams] = directMembers(dialect, environmentId, operator, value);
    const rule = typeof value === 'string' ? byId.get(value) : undefined;
    if (!rule) return [direct, directParams];
    const [dynamic, dynamicParams] = dynamicRulePredicate(dialect, environmentId, rule);
    return [`(${direct} OR ${dynamic})`, [...directParams, ...dynamicParams]];
  };
  return { columns: USER_FILTER_COLUMNS.columns, members: { memberOfGroups: { id: members } } };
}

/**
 * One failed sign-in as SQL over the row's current values (every right-hand side sees the row
 * before the update): while locked nothing changes; the failure reaching the threshold sets the
 * lock and restarts the count; otherwise the count goes up and an expired lock is cleared.
 */
export const FAILED_SIGN_IN_ASSIGNMENTS =
  'failed_attempts = CASE WHEN locked_until > ? THEN failed_attempts WHEN failed_attempts + 1 >= ? THEN 0 ELSE failed_attempts + 1 END, ' +
  'locked_until = CASE WHEN locked_until > ? THEN locked_until WHEN failed_attempts + 1 >= ? THEN ? ELSE NULL END';

export function failedSignInParams(rule: LockoutRule): [string, number, string, number, string] {
  return [rule.now, rule.threshold, rule.now, rule.threshold, rule.until];
}

/** The unique index is on `username_lower`; callers know the field as `username`. */
export function asUsernameClash(err: unknown): unknown {
  return err instanceof UniqueViolation && err.field === 'usernameLower' ? new UniqueViolation('username') : err;
}

/**
 * Whether the population `populationId` may be deleted, given every population row of its
 * environment (read under the transaction's lock) and how many users it holds.
 */
export function populationDeleteBlocker(
  rows: readonly PopulationRow[],
  populationId: string,
  userCount: number,
  groupCount = 0,
): PopulationDeleteResult | undefined {
  const target = rows.find((row) => row.id === populationId);
  if (!target) return 'not_found';
  if (rows.length === 1) return 'last';
  if (flag(target.is_default)) return 'default';
  if (userCount > 0) return 'has_users';
  if (groupCount > 0) return 'has_groups';
  return undefined;
}
