/**
 * Groups and group memberships as PingOne returns them (OpenAPI `Group`, `GroupMembership`):
 * a group with its `_links`, the member counts only when asked for; a membership as the group's
 * `id`, `name` and the relationship `type` (DIRECT or INDIRECT), with the group embedded on
 * `expand=group`.
 */
import type { GroupMemberCounts, GroupRecord } from '../../store/types.js';

export function groupHref(apiBase: string, environmentId: string, groupId: string): string {
  return `${apiBase}/environments/${environmentId}/groups/${groupId}`;
}

export interface CountsShown {
  direct?: boolean;
  total?: boolean;
}

export function toGroupResponse(group: GroupRecord, apiBase: string, counts?: GroupMemberCounts, shown: CountsShown = {}): Record<string, unknown> {
  const env = `${apiBase}/environments/${group.environmentId}`;
  const links: Record<string, { href: string }> = {
    self: { href: groupHref(apiBase, group.environmentId, group.id) },
    environment: { href: env },
  };
  if (group.populationId !== undefined) links.population = { href: `${env}/populations/${group.populationId}` };
  const body: Record<string, unknown> = { _links: links, id: group.id, environment: { id: group.environmentId }, name: group.name };
  if (group.description !== undefined) body.description = group.description;
  if (group.populationId !== undefined) body.population = { id: group.populationId };
  if (group.userFilter !== undefined) body.userFilter = group.userFilter;
  if (group.externalId !== undefined) body.externalId = group.externalId;
  if (group.customData !== undefined) body.customData = group.customData;
  if (counts && shown.direct) body.directMemberCounts = { users: counts.direct };
  if (counts && shown.total) body.totalMemberCounts = { users: counts.total };
  return body;
}

/**
 * One membership: of a user (`…/users/{id}/memberOfGroups/{groupId}`) or of a group in a parent
 * (`…/groups/{id}/memberOfGroups/{parentId}`); `owner` is that path's collection URL.
 */
export function toMembershipResponse(
  group: GroupRecord,
  type: 'DIRECT' | 'INDIRECT',
  owner: string,
  apiBase: string,
  embedGroup: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    _links: {
      self: { href: `${owner}/${group.id}` },
      group: { href: groupHref(apiBase, group.environmentId, group.id) },
      environment: { href: `${apiBase}/environments/${group.environmentId}` },
    },
    id: group.id,
    environment: { id: group.environmentId },
    name: group.name,
    type,
  };
  if (embedGroup) body._embedded = { group: toGroupResponse(group, apiBase) };
  return body;
}
