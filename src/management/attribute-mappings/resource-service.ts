/**
 * Resource attributes (PingOne's "Resource Attributes"): list, read, create, replace (PUT),
 * delete under `/resources/{resourceId}/attributes`: the claims of the resource's access tokens.
 * Every resource lists its core `sub` attribute (`${user.id}`, type CORE), which Keyway keeps
 * fixed (the access token's `sub` is the user's id); custom attributes (type CUSTOM) are written
 * on CUSTOM resources only. Attributes are compiled into the cached client profiles of every
 * client granted the resource, so each write announces the environment.
 */
import { createHash } from 'node:crypto';
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import { EXPRESSION_LIMITS } from '../../domain/expressions/index.js';
import { UniqueViolation, type ResourceAttributeRecord, type ResourceRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';
import { assertCustom, findResource, resourceHref, type VersionedBody } from '../resources.js';
import type { Actor } from '../roles.js';
import { NAME_MAX_LENGTH, reservedNameIssue, valueIssue } from './rules.js';

export interface ResourceAttributePath {
  environmentId: string;
  resourceId: string;
}

function coreSubId(resourceId: string): string {
  const h = createHash('sha256').update(`keyway:resource-attribute:sub:${resourceId}`).digest('hex');
  const variant = (8 | (parseInt(h[16] as string, 16) & 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function coreSub(resource: ResourceRecord): ResourceAttributeRecord {
  return {
    id: coreSubId(resource.id),
    environmentId: resource.environmentId,
    resourceId: resource.id,
    name: 'sub',
    settings: { value: '${user.id}', type: 'CORE' },
    version: 1,
    createdAt: resource.createdAt,
    updatedAt: resource.createdAt,
  };
}

/** Create or replace body: `name` (not reserved), `value` (an expression), `type` CUSTOM. */
export function parseResourceAttributeBody(body: unknown): Pick<ResourceAttributeRecord, 'name' | 'settings'> {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', NAME_MAX_LENGTH, { required: true, nonBlank: true });
  const value = fields.string('value', EXPRESSION_LIMITS.maxSourceLength, { required: true, nonBlank: true });
  const type = fields.string('type', 16);
  if (name !== undefined) {
    const issue = reservedNameIssue(name);
    if (issue) fields.report(issue);
  }
  if (value !== undefined) {
    const issue = valueIssue(value);
    if (issue) fields.report(issue);
  }
  if (type !== undefined && type !== 'CUSTOM') fields.report(detail.invalid('type', 'type must be CUSTOM.', { allowedValues: ['CUSTOM'] }));
  throwIfInvalid(fields.issues);
  return { name: name as string, settings: { value: value as string, type: 'CUSTOM' } };
}

export function toResourceAttributeResponse(a: ResourceAttributeRecord, apiBase: string): Record<string, unknown> {
  const resource = resourceHref(apiBase, a.environmentId, a.resourceId);
  return {
    _links: { self: { href: `${resource}/attributes/${a.id}` }, resource: { href: resource } },
    id: a.id,
    environment: { id: a.environmentId },
    resource: { id: a.resourceId },
    name: a.name,
    value: a.settings.value,
    type: a.settings.type,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

async function findAttribute(deps: ManagementDeps, resource: ResourceRecord, id: string): Promise<ResourceAttributeRecord> {
  const stored = await deps.store.getResourceAttribute(resource.environmentId, resource.id, id);
  if (stored) return stored;
  if (id === coreSubId(resource.id)) return coreSub(resource);
  throw new NotFoundError();
}

export async function listResourceAttributes(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath) {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  const resource = await findResource(deps, path.environmentId, path.resourceId);
  const stored = await deps.store.listResourceAttributes(path.environmentId, path.resourceId);
  const items = [coreSub(resource), ...stored].map((a) => toResourceAttributeResponse(a, deps.apiBase));
  return collection(`${resourceHref(deps.apiBase, path.environmentId, path.resourceId)}/attributes`, 'attributes', { items, count: items.length }, undefined);
}

export async function readResourceAttribute(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath, id: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  const attribute = await findAttribute(deps, await findResource(deps, path.environmentId, path.resourceId), id);
  return { body: toResourceAttributeResponse(attribute, deps.apiBase), version: attribute.version };
}

/** Write access: the permission, then a CUSTOM resource of the environment. */
async function writableResource(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath): Promise<ResourceRecord> {
  await requireEnvironment(deps.store, actor, 'resources:write', path.environmentId);
  const resource = await findResource(deps, path.environmentId, path.resourceId);
  assertCustom(resource, 'resource.type');
  return resource;
}

export async function createResourceAttribute(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath, body: unknown): Promise<VersionedBody> {
  await writableResource(deps, actor, path);
  if (typeof body === 'object' && body !== null && (body as { name?: unknown }).name === 'sub') throw nameTaken('sub');
  const input = parseResourceAttributeBody(body);
  const at = deps.now().toISOString();
  const record: ResourceAttributeRecord = { id: newId(), ...path, ...input, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createResourceAttribute(path.environmentId, record), input.name);
  deps.changes.environmentChanged(path.environmentId);
  return { body: toResourceAttributeResponse(record, deps.apiBase), version: record.version };
}

export async function replaceResourceAttribute(
  deps: ManagementDeps,
  actor: Actor,
  path: ResourceAttributePath,
  id: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  const resource = await writableResource(deps, actor, path);
  const current = await findAttribute(deps, resource, id);
  if (current.settings.type === 'CORE') throw coreFixed();
  const input = parseResourceAttributeBody(body);
  const next: ResourceAttributeRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  const saved = unwrapUpdate(await withUniqueName(() => deps.store.updateResourceAttribute(path.environmentId, next, expectedVersion), input.name));
  deps.changes.environmentChanged(path.environmentId);
  return { body: toResourceAttributeResponse(saved, deps.apiBase), version: saved.version };
}

export async function deleteResourceAttribute(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath, id: string): Promise<void> {
  const resource = await writableResource(deps, actor, path);
  const current = await findAttribute(deps, resource, id);
  if (current.settings.type === 'CORE') throw coreFixed();
  if (!(await deps.store.deleteResourceAttribute(path.environmentId, path.resourceId, id))) throw new NotFoundError();
  deps.changes.environmentChanged(path.environmentId);
}

function coreFixed(): InvalidDataError {
  return new InvalidDataError([detail.constraint('type', 'The core sub attribute of a resource cannot be changed or deleted.')]);
}

function nameTaken(name: string): InvalidDataError {
  return new InvalidDataError([detail.unique('name', `The resource already has an attribute named "${name}".`)]);
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') throw nameTaken(name);
    throw err;
  }
}
