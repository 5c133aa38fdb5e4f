/**
 * Dynamic groups (PingOne "Group Membership": "dynamically add users to a group with the
 * `userFilter` filter property … all existing users that meet the filter criteria are
 * dynamically added to the group", and every later user that meets it). Keyway stores no
 * dynamic membership: each read that needs one hands the environment's dynamic groups, with
 * their filters checked, to the store, which evaluates them in the database (src/store/areas/
 * groups.ts). So a user's change, a new user or a changed filter takes effect at once.
 */
import type { FilterExpression } from '../../domain/scim-filter.js';
import type { DynamicGroupRule, Store } from '../../store/types.js';
import { parseCollectionFilter, USER_FILTER } from '../filter/spec.js';

/** The checked filter of a stored userFilter; undefined when it no longer passes the users collection's rules. */
function checkedUserFilter(text: string): FilterExpression | undefined {
  try {
    return parseCollectionFilter(USER_FILTER, text);
  } catch {
    // Checked when written: a stored filter fails only if the users collection's rules narrowed
    // since. Such a group then matches nobody dynamically rather than failing every read.
    return undefined;
  }
}

/**
 * The environment's dynamic groups, ready for the store. Also read by the sign-in adapter, so
 * that token claims (`memberOfGroupIDs`, `memberOfGroupNames`) count dynamic groups as the
 * management API does.
 */
export async function dynamicGroupRules(deps: { store: Pick<Store, 'listDynamicGroups'> }, environmentId: string): Promise<DynamicGroupRule[]> {
  const groups = await deps.store.listDynamicGroups(environmentId);
  return groups.flatMap((group) => {
    const filter = group.userFilter === undefined ? undefined : checkedUserFilter(group.userFilter);
    if (!filter) return [];
    return [group.populationId === undefined ? { groupId: group.id, filter } : { groupId: group.id, populationId: group.populationId, filter }];
  });
}

/** Whether a users filter names group membership, so that dynamic groups matter to it. */
export function namesMembership(filter: FilterExpression | undefined): boolean {
  if (!filter) return false;
  switch (filter.kind) {
    case 'member':
      return true;
    case 'and':
    case 'or':
      return namesMembership(filter.left) || namesMembership(filter.right);
    case 'not':
      return namesMembership(filter.operand);
    default:
      return false;
  }
}
