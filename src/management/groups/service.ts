/**
 * Groups: list (cursor paging, SCIM `filter`), read, create, replace (PUT), delete (PingOne
 * "Groups"). Roles: Identity Data Admin manages groups; Environment Admin and Client Application
 * Developer read them (./../roles.ts, `groups:read` and `groups:write`). Nesting and memberships:
 * ./memberships.ts.
 */
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import { MissingReference, NAME_ACROSS_SCOPES, UniqueViolation, type GroupRecord, type PageRequest } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate, type CreateOptions } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import { GROUP_FILTER, parseCollectionFilter } from '../filter/spec.js';
import type { Actor } from '../roles.js';
import { dynamicGroupRules } from './dynamic.js';
import { parseGroupBody, type GroupCountsRequest } from './parse.js';
import { toGroupResponse } from './serialize.js';

export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

const NO_COUNTS: GroupCountsRequest = { direct: false, total: false };

export async function listGroups(deps: ManagementDeps, actor: Actor, environmentId: string, page: PageRequest, rawFilter: unknown, counts = NO_COUNTS) {
  await requireEnvironment(deps.store, actor, 'groups:read', environmentId);
  const filter = parseCollectionFilter(GROUP_FILTER, rawFilter);
  const result = await deps.store.listGroups(environmentId, page, filter);
  const self = new URL(`${deps.apiBase}/environments/${environmentId}/groups`);
  if (typeof rawFilter === 'string') self.searchParams.set('filter', rawFilter);
  const items = await Promise.all(result.items.map((g) => serialize(deps, g, counts)));
  return collection(self.href, 'groups', { ...result, items }, page);
}

/** Loads a group of the environment or throws 404 (also for ids of other environments). */
export async function findGroup(deps: ManagementDeps, environmentId: string, groupId: string): Promise<GroupRecord> {
  const group = await deps.store.getGroup(environmentId, groupId);
  if (!group) throw new NotFoundError();
  return group;
}

export async function readGroup(deps: ManagementDeps, actor: Actor, environmentId: string, groupId: string, counts = NO_COUNTS): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'groups:read', environmentId);
  const group = await findGroup(deps, environmentId, groupId);
  return { body: await serialize(deps, group, counts), version: group.version };
}

export async function createGroup(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'groups:write', environmentId);
  const input = parseGroupBody(body);
  const at = deps.now().toISOString();
  const group: GroupRecord = { id: options.id ?? newId(), environmentId, ...input, version: 1, createdAt: at, updatedAt: at };
  await withGroupConstraints(() => deps.store.createGroup(environmentId, group), group);
  return { body: toGroupResponse(group, deps.apiBase), version: group.version };
}

/** PUT replaces every attribute; omitted optional ones are removed. The population never changes. */
export async function replaceGroup(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  groupId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'groups:write', environmentId);
  const current = await findGroup(deps, environmentId, groupId);
  const input = parseGroupBody(body);
  if (input.populationId !== undefined && input.populationId !== current.populationId) {
    throw new InvalidDataError([detail.invalid('population.id', 'population.id is set when a group is created and cannot change.')]);
  }
  const next: GroupRecord = { id: current.id, environmentId, ...input, version: current.version, createdAt: current.createdAt, updatedAt: deps.now().toISOString() };
  if (current.populationId !== undefined) next.populationId = current.populationId;
  else delete next.populationId;
  const updated = unwrapUpdate(await withGroupConstraints(() => deps.store.updateGroup(environmentId, next, expectedVersion), next));
  return { body: toGroupResponse(updated, deps.apiBase), version: updated.version };
}

/** Deletes the group with its memberships and nestings. */
export async function deleteGroup(deps: ManagementDeps, actor: Actor, environmentId: string, groupId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'groups:write', environmentId);
  if (!(await deps.store.deleteGroup(environmentId, groupId))) throw new NotFoundError();
}

async function serialize(deps: ManagementDeps, group: GroupRecord, counts: GroupCountsRequest): Promise<Record<string, unknown>> {
  if (!counts.direct && !counts.total) return toGroupResponse(group, deps.apiBase);
  const found = await deps.store.countGroupMembers(group.environmentId, group.id, await dynamicGroupRules(deps, group.environmentId));
  return toGroupResponse(group, deps.apiBase, found, counts);
}

/** Store refusals as PingOne details; `group` is what was written (its population is the stored one). */
async function withGroupConstraints<T>(write: () => Promise<T>, group: GroupRecord): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      const scope = group.populationId === undefined ? 'this environment' : 'this population';
      throw new InvalidDataError([detail.unique('name', `A group named "${group.name}" already exists in ${scope}.`)]);
    }
    if (err instanceof UniqueViolation && err.field === NAME_ACROSS_SCOPES) {
      const other = group.populationId === undefined ? 'a population group' : 'an environment group';
      const message = `A group named "${group.name}" already exists as ${other}; population groups cannot share a name with environment groups.`;
      throw new InvalidDataError([detail.unique('name', message)]);
    }
    if (err instanceof MissingReference) {
      throw new InvalidDataError([detail.invalid('population.id', 'population.id does not name a population of this environment.')]);
    }
    throw err;
  }
}
