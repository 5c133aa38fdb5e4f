/**
 * Groups, their nesting and users' memberships (the store's `groups` area). Part of the store
 * contract of ./types.ts, whose conventions apply.
 */
import type { FilterExpression } from '../domain/scim-filter.js';

export interface GroupRecord {
  id: string;
  environmentId: string;
  name: string;
  /** Set when the group belongs to one population; never changes after create. */
  populationId?: string;
  description?: string;
  /** A SCIM filter over users, kept as sent (checked when written). */
  userFilter?: string;
  externalId?: string;
  customData?: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Users of a group: `direct` added to it, `total` added to it or to a group nested in it (counted once). */
export interface GroupMemberCounts {
  direct: number;
  total: number;
}

/**
 * A dynamic group (PingOne "Group Membership": a group's `userFilter` adds the users it matches):
 * its id, its population (a population group takes only that population's users) and its
 * `userFilter`, checked against the users collection's filter rules. Membership through it is
 * evaluated in the database each time it is read, never stored.
 */
export interface DynamicGroupRule {
  groupId: string;
  populationId?: string;
  filter: FilterExpression;
}

/**
 * A group a user belongs to: added to it (`DIRECT`), or (`INDIRECT`) matched by its `userFilter`
 * or through a group nested in it.
 */
export interface UserGroupMembership {
  group: GroupRecord;
  type: 'DIRECT' | 'INDIRECT';
}

/** Every group a user belongs to, directly or not: the `memberOfGroupIDs` and `memberOfGroupNames` attributes. */
export interface UserGroupAttributes {
  memberOfGroupIDs: string[];
  memberOfGroupNames: string[];
}

export type AddNestingResult = 'added' | 'exists' | 'no_group' | 'no_parent' | 'cycle';
export type AddMembershipResult = 'added' | 'exists' | 'no_user' | 'no_group' | 'other_population';
