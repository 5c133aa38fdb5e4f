/**
 * The identity-data half of the store contract (`UserStore`): users (src/domain/users/), with
 * their password hash and sign-in state, and populations. Part of the store contract of
 * ./types.ts, whose conventions apply: every method takes `environmentId` first, and each is
 * atomic on its own.
 */

export type { FilterExpression } from '../domain/scim-filter.js';

/** How `recordFailedSignIn` locks: the failure that makes `threshold` consecutive ones locks until `until`. */
export interface LockoutRule {
  threshold: number;
  /** ISO time of the attempt; a lock later than this is still in force. */
  now: string;
  until: string;
}

/** Why `deletePopulation` left a population in place, or `deleted`. */
export type PopulationDeleteResult = 'deleted' | 'not_found' | 'default' | 'last' | 'has_users' | 'has_groups';

/** Thrown by stores when a record names a parent (`population`) that its environment lacks. */
export class MissingReference extends Error {
  constructor(readonly field: string) {
    super(`${field} does not exist in the environment`);
  }
}

