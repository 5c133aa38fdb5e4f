/**
 * `include=memberOfGroupIDs,memberOfGroupNames` on user reads (OpenAPI `User`: "returned only
 * when include=memberOfGroupIDs is appended to the request"): every group the user belongs to,
 * directly or through nesting, by id and by name. Any other value is refused, never ignored.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import type { UserGroupAttributes } from '../../store/types.js';

const NAMES = ['memberOfGroupIDs', 'memberOfGroupNames'] as const;
export type UserInclude = ReadonlySet<(typeof NAMES)[number]>;

export function parseUserInclude(raw: unknown): UserInclude {
  const included = new Set<(typeof NAMES)[number]>();
  if (raw === undefined) return included;
  if (typeof raw !== 'string') throw invalidInclude();
  for (const name of raw.split(',').map((v) => v.trim())) {
    const known = NAMES.find((n) => n === name);
    if (!known) throw invalidInclude();
    included.add(known);
  }
  return included;
}

function invalidInclude(): InvalidDataError {
  return new InvalidDataError([{ code: 'INVALID_PARAMETER', target: 'include', message: `include takes ${NAMES.join(' and ')}, comma-separated.` }]);
}

/** Adds the included attributes to a user's body. */
export function withGroupAttributes(body: Record<string, unknown>, include: UserInclude, attributes: UserGroupAttributes): Record<string, unknown> {
  if (include.has('memberOfGroupIDs')) body.memberOfGroupIDs = attributes.memberOfGroupIDs;
  if (include.has('memberOfGroupNames')) body.memberOfGroupNames = attributes.memberOfGroupNames;
  return body;
}

/**
 * PingOne declares no `expand` on user reads and lists (OpenAPI `readUser`, `readAllUsers`): a
 * user's groups come through `include=memberOfGroupIDs,memberOfGroupNames`, or as memberships
 * through `…/users/{userId}/memberOfGroups?expand=group`. So any `expand` is refused, never ignored.
 */
export function refuseUserExpand(raw: unknown): void {
  if (raw === undefined) return;
  const message =
    'expand is not supported on users; include=memberOfGroupIDs,memberOfGroupNames adds the groups, ' +
    'and …/users/{userId}/memberOfGroups?expand=group lists the memberships with each group.';
  throw new InvalidDataError([{ code: 'INVALID_PARAMETER', target: 'expand', message }]);
}
