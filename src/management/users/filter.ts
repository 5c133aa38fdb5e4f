/**
 * The `filter` query parameter of `GET …/users`: PingOne's SCIM filters on users (RFC 7644
 * §3.4.2.2), with the attributes and operators of ../filter/spec.ts (USER_FILTER), e.g.
 *
 *     username eq "<value>"                      (compared case-insensitively, like uniqueness)
 *     email sw "ann" and population.id eq "<id>"
 *     memberOfGroups[id eq "<group id>"]         (the group's direct members)
 *
 * Anything else is a 400 INVALID_DATA with detail INVALID_FILTER saying what is supported.
 */
import type { FilterExpression } from '../../domain/scim-filter.js';
import { parseCollectionFilter, USER_FILTER } from '../filter/spec.js';

/** The filter of a list request, or undefined when none was given. */
export function parseUserFilter(raw: unknown): FilterExpression | undefined {
  return parseCollectionFilter(USER_FILTER, raw);
}
