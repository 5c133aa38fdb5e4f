/**
 * Group nesting (`…/groups/{groupId}/memberOfGroups`: the parents a group is a member of) and
 * user memberships (`…/users/{userId}/memberOfGroups`: direct, and indirect through a dynamic
 * group's `userFilter` (./dynamic.ts) or nesting),
 * in PingOne's GroupMembership shape (PingOne "Groups": nesting groups, circular references,
 * group membership). Reading needs `groups:read` (and `users:read` for a user's); writing
 * `groups:write`, which Identity Data Admin holds.
 */
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import type { PageRequest } from '../../store/types.js';
import { requireEnvironment, requirePermission } from '../access.js';
import { collection } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { Actor } from '../roles.js';
import { dynamicGroupRules } from './dynamic.js';
import { parseMembershipBody } from './parse.js';
import { toMembershipResponse } from './serialize.js';
import { findGroup } from './service.js';

const groupMemberships = (deps: ManagementDeps, environmentId: string, groupId: string) =>
  `${deps.apiBase}/environments/${environmentId}/groups/${groupId}/memberOfGroups`;
const userMemberships = (deps: ManagementDeps, environmentId: string, userId: string) =>
  `${deps.apiBase}/environments/${environmentId}/users/${userId}/memberOfGroups`;

function notAGroup(): InvalidDataError {
  return new InvalidDataError([detail.invalid('id', 'id does not name a group of this environment.')]);
}

// Nesting.

/** The refusal of a nesting that would make a group contain itself (also the configuration apply's check pass). */
export function circularNesting(target = 'id'): InvalidDataError {
  return new InvalidDataError([detail.constraint(target, 'A group cannot be nested in itself or in a group nested in it (circular reference).')]);
}

export async function listGroupParents(deps: ManagementDeps, actor: Actor, environmentId: string, groupId: string, page: PageRequest, embed: boolean) {
  await requireEnvironment(deps.store, actor, 'groups:read', environmentId);
  await findGroup(deps, environmentId, groupId);
  const result = await deps.store.listGroupParents(environmentId, groupId, page);
  const owner = groupMemberships(deps, environmentId, groupId);
  const items = result.items.map((parent) => toMembershipResponse(parent, 'DIRECT', owner, deps.apiBase, embed));
  return collection(owner, 'groupMemberships', { ...result, items }, page);
}

export async function readGroupParent(deps: ManagementDeps, actor: Actor, environmentId: string, groupId: string, parentId: string, embed: boolean) {
  await requireEnvironment(deps.store, actor, 'groups:read', environmentId);
  await findGroup(deps, environmentId, groupId);
  if (!(await deps.store.hasGroupNesting(environmentId, groupId, parentId))) throw new NotFoundError();
  const parent = await findGroup(deps, environmentId, parentId);
  return toMembershipResponse(parent, 'DIRECT', groupMemberships(deps, environmentId, groupId), deps.apiBase, embed);
}

/** Makes the group a member of the group named in the body; a nesting that would make a group contain itself is a 400. */
export async function addGroupParent(deps: ManagementDeps, actor: Actor, environmentId: string, groupId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'groups:write', environmentId);
  const parentId = parseMembershipBody(body);
  const result = await deps.store.addGroupNesting(environmentId, groupId, parentId, deps.now().toISOString());
  if (result === 'no_group') throw new NotFoundError();
  if (result === 'no_parent') throw notAGroup();
  if (result === 'cycle') throw circularNesting();
  if (result === 'exists') throw new InvalidDataError([detail.unique('id', 'The group is already a member of that group.')]);
  const parent = await findGroup(deps, environmentId, parentId);
  return toMembershipResponse(parent, 'DIRECT', groupMemberships(deps, environmentId, groupId), deps.apiBase, false);
}

export async function removeGroupParent(deps: ManagementDeps, actor: Actor, environmentId: string, groupId: string, parentId: string) {
  await requireEnvironment(deps.store, actor, 'groups:write', environmentId);
  if (!(await deps.store.removeGroupNesting(environmentId, groupId, parentId))) throw new NotFoundError();
}

// Users.

async function requireUser(deps: ManagementDeps, environmentId: string, userId: string): Promise<void> {
  if (!(await deps.store.getUser(environmentId, userId))) throw new NotFoundError();
}

/** Direct and indirect memberships, by group id, with `type` saying which. */
export async function listUserGroups(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, page: PageRequest, embed: boolean) {
  await requireEnvironment(deps.store, actor, 'groups:read', environmentId);
  requirePermission(actor, 'users:read', environmentId);
  await requireUser(deps, environmentId, userId);
  const result = await deps.store.listUserGroups(environmentId, userId, page, await dynamicGroupRules(deps, environmentId));
  const owner = userMemberships(deps, environmentId, userId);
  const items = result.items.map((m) => toMembershipResponse(m.group, m.type, owner, deps.apiBase, embed));
  return collection(owner, 'groupMemberships', { ...result, items }, page);
}

export async function readUserGroup(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, groupId: string, embed: boolean) {
  await requireEnvironment(deps.store, actor, 'groups:read', environmentId);
  requirePermission(actor, 'users:read', environmentId);
  await requireUser(deps, environmentId, userId);
  const type = await deps.store.getUserGroupMembership(environmentId, userId, groupId, await dynamicGroupRules(deps, environmentId));
  if (!type) throw new NotFoundError();
  const group = await findGroup(deps, environmentId, groupId);
  return toMembershipResponse(group, type, userMemberships(deps, environmentId, userId), deps.apiBase, embed);
}

export async function addUserToGroup(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, body: unknown) {
  await requireEnvironment(deps.store, actor, 'groups:write', environmentId);
  const groupId = parseMembershipBody(body);
  const result = await deps.store.addUserToGroup(environmentId, userId, groupId, deps.now().toISOString());
  if (result === 'no_user') throw new NotFoundError();
  if (result === 'no_group') throw notAGroup();
  if (result === 'other_population') {
    throw new InvalidDataError([detail.constraint('id', "The group belongs to another population than the user's.")]);
  }
  if (result === 'exists') throw new InvalidDataError([detail.unique('id', 'The user is already a member of that group.')]);
  const group = await findGroup(deps, environmentId, groupId);
  return toMembershipResponse(group, 'DIRECT', userMemberships(deps, environmentId, userId), deps.apiBase, false);
}

/** Removes a direct membership; one through nesting ends by removing the nesting instead (404 here). */
export async function removeUserFromGroup(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, groupId: string) {
  await requireEnvironment(deps.store, actor, 'groups:write', environmentId);
  if (!(await deps.store.removeUserFromGroup(environmentId, userId, groupId))) throw new NotFoundError();
}
