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
import type { AddMembershipResult, AddNestingResult, GroupMemberCounts, GroupRecord, UserGroupAttributes, UserGroupMembership } from '../group-types.js';
import { filterPredicate } from '../shared/filter-sql.js';
import { ancestorsSql, DESCENDANTS_SQL, GROUP_FILTER_COLUMNS, groupInsertColumns, groupMutableColumns, toGroup, type GroupRow } from '../shared/group-rows.js';
import { assertInEnvironment, mapRowPage, toPage } from '../shared/scope.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import { row, rows, type Q } from '../sql/statement.js';
import { MissingReference, NAME_ACROSS_SCOPES, UniqueViolation, type FilterExpression, type Page, type PageRequest, type UpdateResult } from '../types.js';

/** A user's direct groups, bound as (environment, user): where the walk up starts. */
const DIRECT_GROUPS = 'SELECT group_id FROM user_groups WHERE environment_id = ? AND user_id = ?';

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

  /** Users added to the group, and users added to it or to any group nested in it (each counted once). */
  countGroupMembers: plain(function* (db: Db, environmentId: string, groupId: string): Q<GroupMemberCounts> {
    const direct = yield* db.scoped.count('user_groups', environmentId, 'group_id = ?', [groupId]);
    const sql = `SELECT CAST(count(DISTINCT user_id) AS INTEGER) AS n FROM user_groups WHERE environment_id = ? AND group_id IN (${DESCENDANTS_SQL})`;
    const total = yield* row<{ n: number }>(sql, [environmentId, environmentId, groupId, environmentId]);
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

  /** How the user belongs to the group: added to it, through nesting, or not at all. */
  getUserGroupMembership: plain(function* (db: Db, environmentId: string, userId: string, groupId: string): Q<'DIRECT' | 'INDIRECT' | undefined> {
    if (yield* db.scoped.one('user_groups', environmentId, 'user_id = ? AND group_id = ?', [userId, groupId])) return 'DIRECT';
    const sql = `SELECT 1 AS found FROM (${ancestorsSql(DIRECT_GROUPS)}) AS reached WHERE reached.id = ?`;
    return (yield* row(sql, [environmentId, userId, environmentId, groupId])) ? 'INDIRECT' : undefined;
  }),

  /** Removes the user's direct membership; false when there was none. */
  removeUserFromGroup: plain(function* (db: Db, environmentId: string, userId: string, groupId: string): Q<boolean> {
    return (yield* db.scoped.delete('user_groups', environmentId, 'user_id = ? AND group_id = ?', [userId, groupId])) > 0;
  }),

  /**
   * One page of the groups the user belongs to, ordered by group id: those it was added to
   * (`DIRECT`) and those reached through nesting (`INDIRECT`). The walk runs in the database.
   */
  listUserGroups: plain(function* (db: Db, environmentId: string, userId: string, page: PageRequest): Q<Page<UserGroupMembership>> {
    const predicate = `id IN (${ancestorsSql(DIRECT_GROUPS)})`;
    const found = yield* db.scoped.page<GroupRow>('groups', environmentId, predicate, [environmentId, userId, environmentId], page);
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
   * Every group the user belongs to, directly or through nesting, ordered by id: the values of
   * the `memberOfGroupIDs` and `memberOfGroupNames` attributes (token claims read them).
   */
  userGroupAttributes: plain(function* (db: Db, environmentId: string, userId: string): Q<UserGroupAttributes> {
    const predicate = `id IN (${ancestorsSql(DIRECT_GROUPS)})`;
    const found = yield* db.scoped.many<GroupRow>('groups', environmentId, predicate, [environmentId, userId, environmentId], 'id');
    return { memberOfGroupIDs: found.map((g) => g.id), memberOfGroupNames: found.map((g) => g.name) };
  }),
};
