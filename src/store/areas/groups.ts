/**
 * Groups, their nesting and users' direct memberships. Indirect memberships are never stored:
 * they are walked from `group_nestings` when read, so removing a nesting takes effect at once.
 *
 * Writes that name another row take a key-share lock on it (what a foreign-key check takes):
 * a group on its population, a membership on its user and group, a nesting on both groups; the
 * deletes of those rows lock them for update and remove the links first (or refuse, for
 * populations), so a race ends in a clean refusal instead of a foreign-key failure.
 *
 * Nesting writes of one environment run one after another (they lock the environment row), so
 * two concurrent nestings cannot close a cycle that neither saw.
 */
import type { AddMembershipResult, AddNestingResult, DynamicGroupRule, GroupMemberCounts, GroupRecord, UserGroupAttributes, UserGroupMembership } from '../group-types.js';
import { filterPredicate, type Predicate } from '../shared/filter-sql.js';
import { dynamicRulePredicate } from '../shared/user-rows.js';
import type { SqlValue } from '../sql/statement.js';
import { ancestorsSql, DESCENDANTS_SQL, GROUP_FILTER_COLUMNS, groupInsertColumns, groupMutableColumns, toGroup, type GroupRow } from '../shared/group-rows.js';
import { assertInEnvironment, mapRowPage, toPage } from '../shared/scope.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import { row, rows, type Q } from '../sql/statement.js';
import { MissingReference, NAME_ACROSS_SCOPES, UniqueViolation, type FilterExpression, type Page, type PageRequest, type UpdateResult } from '../types.js';

/** A user's direct groups, bound as (environment, user): where the walk up starts. */
const DIRECT_GROUPS = 'SELECT group_id FROM user_groups WHERE environment_id = ? AND user_id = ?';

/**
 * The groups a user belongs to before nesting: those it was added to, and the dynamic groups
 * whose filter its row matches (one primary-key lookup per dynamic group, in the database).
 */
function ownGroups(db: Db, environmentId: string, userId: string, rules: readonly DynamicGroupRule[]): Predicate {
  if (rules.length === 0) return [DIRECT_GROUPS, [environmentId, userId]];
  const parts = [DIRECT_GROUPS];
  const params: SqlValue[] = [environmentId, userId];
  for (const rule of rules) {
    const [matches, matchParams] = dynamicRulePredicate(db.dialect, environmentId, rule);
    // CAST: PostgreSQL needs the parameter's type to unite it with the text column.
    parts.push(`SELECT CAST(? AS TEXT) AS group_id FROM users WHERE environment_id = ? AND id = ? AND ${matches}`);
    params.push(rule.groupId, environmentId, userId, ...matchParams);
  }
  return [`SELECT group_id FROM (${parts.join(' UNION ALL ')}) AS own_groups`, params];
}

/** Every group the user belongs to, at any depth: the ids as a SELECT, with its parameters. */
function allGroups(db: Db, environmentId: string, userId: string, rules: readonly DynamicGroupRule[]): Predicate {
  const [start, params] = ownGroups(db, environmentId, userId, rules);
  return [ancestorsSql(start), [...params, environmentId]];
}

function* lockNestings(db: Db, environmentId: string): Q<boolean> {
  return (yield* db.scoped.lockVersion('environments', environmentId, '', [])) !== undefined;
}

/**
 * Refuses a name that a group of the other kind already has: PingOne lets population groups
 * share a name with each other, never with an environment group (OpenAPI `Group.name`:
 * "Population groups cannot share a group name with an environment group"). The environment
 * row's lock runs such writes one after another, so two concurrent creates cannot both pass;
 * names within one scope stay with the unique index.
 */
function* assertNameFreeAcrossScopes(db: Db, environmentId: string, group: GroupRecord): Q<void> {
  yield* db.scoped.lockVersion('environments', environmentId, '', []);
  const otherKind = group.populationId === undefined ? 'population_id IS NOT NULL' : 'population_id IS NULL';
  if (yield* db.scoped.one('groups', environmentId, `name = ? AND ${otherKind} AND id <> ?`, [group.name, group.id])) {
    throw new UniqueViolation(NAME_ACROSS_SCOPES);
  }
}

export const groupMethods = {
  /** Ordered by id; `filter` (checked against the groups collection's spec) narrows page and count, in SQL. */
  listGroups: plain(function* (db: Db, environmentId: string, page: PageRequest, filter?: FilterExpression): Q<Page<GroupRecord>> {
    const [predicate, params] = filterPredicate(db.dialect, environmentId, GROUP_FILTER_COLUMNS, filter);
    return toPage(mapRowPage(yield* db.scoped.page<GroupRow>('groups', environmentId, predicate, params, page), toGroup));
  }),

  getGroup: plain(function* (db: Db, environmentId: string, groupId: string): Q<GroupRecord | undefined> {
    const found = yield* db.scoped.one<GroupRow>('groups', environmentId, 'id = ?', [groupId]);
    return found && toGroup(found);
  }),

  /** The groups with a `userFilter` (dynamic groups), ordered by id. */
  listDynamicGroups: plain(function* (db: Db, environmentId: string): Q<GroupRecord[]> {
    return (yield* db.scoped.many<GroupRow>('groups', environmentId, 'user_filter IS NOT NULL', [], 'id')).map(toGroup);
  }),

  /**
   * Fails with UniqueViolation('name') when the name is taken in the group's scope (the
   * environment, or its population), with UniqueViolation(NAME_ACROSS_SCOPES) when a group of
   * the other kind has it, and with MissingReference('population') when the
   * population does not exist in the environment.
   */
  createGroup: atomic(function* (db: Db, environmentId: string, group: GroupRecord): Q<void> {
    assertInEnvironment(environmentId, group.environmentId, `group ${group.id}`);
    if (group.populationId !== undefined && !(yield* db.scoped.lockKeyShare('populations', environmentId, 'id = ?', [group.populationId]))) {
      throw new MissingReference('population');
    }
    yield* assertNameFreeAcrossScopes(db, environmentId, group);
    yield* db.scoped.insert('groups', environmentId, groupInsertColumns(group));
  }),

  /**
   * Replaces every attribute but the population when `expectedVersion` matches or is undefined.
   * `next.populationId` must be the stored one (the name check reads it). Fails like createGroup.
   */
  updateGroup: atomic(function* (db: Db, environmentId: string, next: GroupRecord, expectedVersion?: number): Q<UpdateResult<GroupRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `group ${next.id}`);
    yield* assertNameFreeAcrossScopes(db, environmentId, next);
    const result = yield* db.scoped.updateVersioned<GroupRow>('groups', environmentId, groupMutableColumns(next), 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toGroup(result.record) } : result;
  }),

  /** Deletes the group with its memberships and nestings (either side); false when there is none. */
  deleteGroup: atomic(function* (db: Db, environmentId: string, groupId: string): Q<boolean> {
    if ((yield* db.scoped.lockVersion('groups', environmentId, 'id = ?', [groupId])) === undefined) return false;
    yield* db.scoped.delete('user_groups', environmentId, 'group_id = ?', [groupId]);
    yield* db.scoped.delete('group_nestings', environmentId, 'group_id = ? OR parent_id = ?', [groupId, groupId]);
    yield* db.scoped.delete('groups', environmentId, 'id = ?', [groupId]);
    return true;
  }),

  /**
   * `direct`: users added to the group. `total`: users added to it or to any group nested in it,
   * and users matched by the `userFilter` of it or of a dynamic group nested in it (`rules`: the
   * environment's dynamic groups), each counted once (PingOne "Group Membership": dynamic members
   * count in the total, not in the direct count).
   */
  countGroupMembers: plain(function* (db: Db, environmentId: string, groupId: string, rules: readonly DynamicGroupRule[] = []): Q<GroupMemberCounts> {
    const direct = yield* db.scoped.count('user_groups', environmentId, 'group_id = ?', [groupId]);
    const added = `SELECT user_id FROM user_groups WHERE environment_id = ? AND group_id IN (${DESCENDANTS_SQL})`;
    const addedParams = [environmentId, environmentId, groupId, environmentId];
    const inside = rules.length === 0 ? new Set<string>() : new Set((yield* rows<{ id: string }>(DESCENDANTS_SQL, [environmentId, groupId, environmentId])).map((r) => r.id));
    const applicable = rules.filter((rule) => inside.has(rule.groupId));
    if (applicable.length === 0) {
      const total = yield* row<{ n: number }>(`SELECT CAST(count(DISTINCT user_id) AS INTEGER) AS n FROM (${added}) AS added`, addedParams);
      return { direct, total: total?.n ?? 0 };
    }
    const predicates = applicable.map((rule) => dynamicRulePredicate(db.dialect, environmentId, rule));
    const sql =
      `SELECT CAST(count(*) AS INTEGER) AS n FROM users WHERE environment_id = ? AND (id IN (${added}) OR ` +
      `${predicates.map(([p]) => p).join(' OR ')})`;
    const total = yield* row<{ n: number }>(sql, [environmentId, ...addedParams, ...predicates.flatMap(([, p]) => p)]);
    return { direct, total: total?.n ?? 0 };
  }),

  /**
   * Makes `groupId` a member of `parentId`. Refuses (`cycle`) when the parent is the group itself
   * or already a member of it at any depth, since a group would then contain itself.
   */
  addGroupNesting: atomic(function* (db: Db, environmentId: string, groupId: string, parentId: string, at: string): Q<AddNestingResult> {
    if (!(yield* lockNestings(db, environmentId))) return 'no_group';
    if (!(yield* db.scoped.lockKeyShare('groups', environmentId, 'id = ?', [groupId]))) return 'no_group';
    if (!(yield* db.scoped.lockKeyShare('groups', environmentId, 'id = ?', [parentId]))) return 'no_parent';
    if (yield* db.scoped.one('group_nestings', environmentId, 'group_id = ? AND parent_id = ?', [groupId, parentId])) return 'exists';
    const start = 'SELECT id FROM groups WHERE environment_id = ? AND id = ?';
    const ancestorsOfParent = yield* rows<{ id: string }>(ancestorsSql(start), [environmentId, parentId, environmentId]);
    if (ancestorsOfParent.some((a) => a.id === groupId)) return 'cycle';
    yield* db.scoped.insert('group_nestings', environmentId, { group_id: groupId, parent_id: parentId, created_at: at });
    return 'added';
  }),

  /** Ends the nesting; false when there was none. */
  removeGroupNesting: plain(function* (db: Db, environmentId: string, groupId: string, parentId: string): Q<boolean> {
    return (yield* db.scoped.delete('group_nestings', environmentId, 'group_id = ? AND parent_id = ?', [groupId, parentId])) > 0;
  }),

  /** Whether `groupId` is directly nested in `parentId`. */
  hasGroupNesting: plain(function* (db: Db, environmentId: string, groupId: string, parentId: string): Q<boolean> {
    return (yield* db.scoped.one('group_nestings', environmentId, 'group_id = ? AND parent_id = ?', [groupId, parentId])) !== undefined;
  }),

  /** The groups `groupId` is directly nested in, ordered by id. */
  listGroupParents: plain(function* (db: Db, environmentId: string, groupId: string, page: PageRequest): Q<Page<GroupRecord>> {
    const predicate = 'id IN (SELECT parent_id FROM group_nestings WHERE environment_id = ? AND group_id = ?)';
    return toPage(mapRowPage(yield* db.scoped.page<GroupRow>('groups', environmentId, predicate, [environmentId, groupId], page), toGroup));
  }),

  /**
   * Adds the user to the group. A group of a population takes only users of that population
   * (`other_population`), as PingOne's population groups do. The user's row is locked for
   * update before its population is read: a population move (users.replaceUser) updates a
   * non-key column, which a key-share lock would not wait for, and the membership must be
   * either refused by the move's new population or removed by the move.
   */
  addUserToGroup: atomic(function* (db: Db, environmentId: string, userId: string, groupId: string, at: string): Q<AddMembershipResult> {
    if ((yield* db.scoped.lockVersion('users', environmentId, 'id = ?', [userId])) === undefined) return 'no_user';
    const user = yield* db.scoped.one<{ population_id: string }>('users', environmentId, 'id = ?', [userId]);
    if (!user) return 'no_user';
    const group = yield* db.scoped.one<GroupRow>('groups', environmentId, 'id = ?', [groupId]);
    if (!group || !(yield* db.scoped.lockKeyShare('groups', environmentId, 'id = ?', [groupId]))) return 'no_group';
    if (group.population_id !== null && group.population_id !== user.population_id) return 'other_population';
    if (yield* db.scoped.one('user_groups', environmentId, 'user_id = ? AND group_id = ?', [userId, groupId])) return 'exists';
    yield* db.scoped.insert('user_groups', environmentId, { user_id: userId, group_id: groupId, created_at: at });
    return 'added';
  }),

  /**
   * How the user belongs to the group: added to it (`DIRECT`), through its `userFilter` or
   * nesting (`INDIRECT`), or not at all. `rules`: the environment's dynamic groups.
   */
  getUserGroupMembership: plain(function* (
    db: Db,
    environmentId: string,
    userId: string,
    groupId: string,
    rules: readonly DynamicGroupRule[] = [],
  ): Q<'DIRECT' | 'INDIRECT' | undefined> {
    if (yield* db.scoped.one('user_groups', environmentId, 'user_id = ? AND group_id = ?', [userId, groupId])) return 'DIRECT';
    const [reached, params] = allGroups(db, environmentId, userId, rules);
    return (yield* row(`SELECT 1 AS found FROM (${reached}) AS reached WHERE reached.id = ?`, [...params, groupId])) ? 'INDIRECT' : undefined;
  }),

  /** Removes the user's direct membership; false when there was none. */
  removeUserFromGroup: plain(function* (db: Db, environmentId: string, userId: string, groupId: string): Q<boolean> {
    return (yield* db.scoped.delete('user_groups', environmentId, 'user_id = ? AND group_id = ?', [userId, groupId])) > 0;
  }),

  /**
   * One page of the groups the user belongs to, ordered by group id: those it was added to
   * (`DIRECT`), and (`INDIRECT`) the dynamic groups its row matches and those reached through
   * nesting. `rules`: the environment's dynamic groups. Everything runs in the database.
   */
  listUserGroups: plain(function* (
    db: Db,
    environmentId: string,
    userId: string,
    page: PageRequest,
    rules: readonly DynamicGroupRule[] = [],
  ): Q<Page<UserGroupMembership>> {
    const [reached, params] = allGroups(db, environmentId, userId, rules);
    const found = yield* db.scoped.page<GroupRow>('groups', environmentId, `id IN (${reached})`, params, page);
    const ids = found.rows.map((r) => r.id);
    const direct = new Set<string>();
    if (ids.length > 0) {
      const { predicate: inIds, param } = db.dialect.inList('group_id', ids);
      const links = yield* db.scoped.many<{ group_id: string }>('user_groups', environmentId, `user_id = ? AND ${inIds}`, [userId, param], 'group_id');
      for (const link of links) direct.add(link.group_id);
    }
    return toPage(mapRowPage(found, (r): UserGroupMembership => ({ group: toGroup(r), type: direct.has(r.id) ? 'DIRECT' : 'INDIRECT' })));
  }),

  /**
   * Every group the user belongs to, added, matched by a dynamic group's filter (`rules`) or
   * through nesting, ordered by id: the values of the `memberOfGroupIDs` and `memberOfGroupNames`
   * attributes (token claims read them). Without `rules`, dynamic groups are left out.
   */
  userGroupAttributes: plain(function* (db: Db, environmentId: string, userId: string, rules: readonly DynamicGroupRule[] = []): Q<UserGroupAttributes> {
    const [reached, params] = allGroups(db, environmentId, userId, rules);
    const found = yield* db.scoped.many<GroupRow>('groups', environmentId, `id IN (${reached})`, params, 'id');
    return { memberOfGroupIDs: found.map((g) => g.id), memberOfGroupNames: found.map((g) => g.name) };
  }),
};
