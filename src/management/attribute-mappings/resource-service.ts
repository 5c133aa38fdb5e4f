/**
 * Resource attributes (PingOne's "Resource Attributes"): list, read, create, replace (PUT),
 * delete under `/resources/{resourceId}/attributes`. Every resource lists its core `sub` attribute
 * (`${user.id}`, type CORE), which Keyway keeps fixed (the access token's `sub` is the user's id).
 * Custom attributes (type CUSTOM) are written on CUSTOM resources, whose access tokens carry them,
 * and on the `openid` (OPENID_CONNECT) resource, whose ID tokens and userinfo responses carry them
 * (`idToken`, `userInfo`) when a granted scope maps them (`ResourceScope.mappedClaims`). The
 * `openid` resource also lists the standard claims Keyway releases as PREDEFINED attributes
 * (OpenID Connect Core 1.0 §5.4); PingOne's `EnumResourceAttributeType`: they "cannot be removed;
 * however, they can be modified". A PUT replaces one's `value` (name and type fixed), stored as a
 * row under the attribute's fixed id; a PUT with the built-in expression removes the row, bringing
 * back the built-in claim (README, "Claims and the PingOne expression language"). Attributes are
 * compiled into the cached client profiles, so each write announces the environment.
 */
import { createHash } from 'node:crypto';
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError, PreconditionFailedError } from '../../domain/pingone-error.js';
import { PREDEFINED_OPENID_CLAIMS } from '../../domain/openid-resource.js';
import { EXPRESSION_LIMITS } from '../../domain/expressions/index.js';
import { UniqueViolation, type ResourceAttributeRecord, type ResourceAttributeSettings, type ResourceRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate, type CreateOptions } from '../common.js';
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

/** A fixed attribute's id: a UUID derived from the resource and the claim name, stable across reads. */
function fixedId(resourceId: string, name: string): string {
  const h = createHash('sha256').update(`keyway:resource-attribute:${name}:${resourceId}`).digest('hex');
  const variant = (8 | (parseInt(h[16] as string, 16) & 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function fixedAttribute(resource: ResourceRecord, name: string, settings: ResourceAttributeSettings): ResourceAttributeRecord {
  return {
    id: fixedId(resource.id, name),
    environmentId: resource.environmentId,
    resourceId: resource.id,
    name,
    settings,
    version: 1,
    createdAt: resource.createdAt,
    updatedAt: resource.createdAt,
  };
}

const isOpenId = (resource: ResourceRecord) => resource.type === 'OPENID_CONNECT';

/** The built-in attributes: the core `sub`, and for the `openid` resource the standard claims. */
function fixedAttributes(resource: ResourceRecord): ResourceAttributeRecord[] {
  if (!isOpenId(resource)) return [fixedAttribute(resource, 'sub', { value: '${user.id}', type: 'CORE' })];
  const where = { idToken: true, userInfo: true };
  return [
    fixedAttribute(resource, 'sub', { value: '${user.id}', type: 'CORE', ...where }),
    ...PREDEFINED_OPENID_CLAIMS.map(([name, value]) => fixedAttribute(resource, name, { value, type: 'PREDEFINED', ...where })),
  ];
}

/**
 * Create or replace body: `name` (not reserved), `value` (an expression), `type` CUSTOM; on the
 * `openid` resource also `idToken` and `userInfo` (default true, not both false), which other
 * resources' attributes do not have (PingOne: "applicable only" to OPENID_CONNECT).
 */
export function parseResourceAttributeBody(body: unknown, openId = false): Pick<ResourceAttributeRecord, 'name' | 'settings'> {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', NAME_MAX_LENGTH, { required: true, nonBlank: true });
  const value = fields.string('value', EXPRESSION_LIMITS.maxSourceLength, { required: true, nonBlank: true });
  const type = fields.string('type', 16);
  const idToken = fields.boolean('idToken');
  const userInfo = fields.boolean('userInfo');
  if (name !== undefined) {
    const issue = reservedNameIssue(name);
    if (issue) fields.report(issue);
  }
  if (value !== undefined) {
    const issue = valueIssue(value);
    if (issue) fields.report(issue);
  }
  if (type !== undefined && type !== 'CUSTOM') fields.report(detail.invalid('type', 'type must be CUSTOM.', { allowedValues: ['CUSTOM'] }));
  if (openId && idToken === false && userInfo === false) fields.report(detail.invalid('idToken', 'idToken and userInfo cannot both be false.'));
  throwIfInvalid(fields.issues);
  const settings: ResourceAttributeSettings = { value: value as string, type: 'CUSTOM' };
  if (openId) {
    settings.idToken = idToken ?? true;
    settings.userInfo = userInfo ?? true;
  }
  return { name: name as string, settings };
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
    ...(a.settings.idToken === undefined ? {} : { idToken: a.settings.idToken }),
    ...(a.settings.userInfo === undefined ? {} : { userInfo: a.settings.userInfo }),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

async function findAttribute(deps: ManagementDeps, resource: ResourceRecord, id: string): Promise<ResourceAttributeRecord> {
  const stored = await deps.store.getResourceAttribute(resource.environmentId, resource.id, id);
  if (stored) return stored;
  const fixed = fixedAttributes(resource).find((a) => a.id === id);
  if (fixed) return fixed;
  throw new NotFoundError();
}

export async function listResourceAttributes(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath) {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  const resource = await findResource(deps, path.environmentId, path.resourceId);
  const stored = await deps.store.listResourceAttributes(path.environmentId, path.resourceId);
  // A modified PREDEFINED attribute is a stored row under its fixed id: it takes the built-in's place.
  const modified = new Map(stored.filter((a) => a.settings.type === 'PREDEFINED').map((a) => [a.id, a]));
  const builtIn = fixedAttributes(resource).map((a) => modified.get(a.id) ?? a);
  const items = [...builtIn, ...stored.filter((a) => a.settings.type !== 'PREDEFINED')].map((a) => toResourceAttributeResponse(a, deps.apiBase));
  return collection(`${resourceHref(deps.apiBase, path.environmentId, path.resourceId)}/attributes`, 'attributes', { items, count: items.length }, undefined);
}

export async function readResourceAttribute(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath, id: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  const attribute = await findAttribute(deps, await findResource(deps, path.environmentId, path.resourceId), id);
  return { body: toResourceAttributeResponse(attribute, deps.apiBase), version: attribute.version };
}

/** Write access: the permission, then a CUSTOM or the `openid` resource of the environment. */
async function writableResource(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath): Promise<ResourceRecord> {
  await requireEnvironment(deps.store, actor, 'resources:write', path.environmentId);
  const resource = await findResource(deps, path.environmentId, path.resourceId);
  if (!isOpenId(resource)) assertCustom(resource, 'resource.type');
  return resource;
}

/** A fixed attribute's name is taken on its resource; the unique index covers stored ones. */
function assertNameFree(resource: ResourceRecord, name: string): void {
  if (fixedAttributes(resource).some((a) => a.name === name)) throw nameTaken(name);
}

export async function createResourceAttribute(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  const resource = await writableResource(deps, actor, path);
  if (typeof body === 'object' && body !== null && (body as { name?: unknown }).name === 'sub') throw nameTaken('sub');
  const input = parseResourceAttributeBody(body, isOpenId(resource));
  assertNameFree(resource, input.name);
  const at = deps.now().toISOString();
  const record: ResourceAttributeRecord = { id: options.id ?? newId(), ...path, ...input, version: 1, createdAt: at, updatedAt: at };
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
  if (current.settings.type === 'PREDEFINED') return replacePredefined(deps, resource, current, body, expectedVersion);
  if (current.settings.type !== 'CUSTOM') throw fixed(current);
  const input = parseResourceAttributeBody(body, isOpenId(resource));
  assertNameFree(resource, input.name);
  const next: ResourceAttributeRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  const saved = unwrapUpdate(await withUniqueName(() => deps.store.updateResourceAttribute(path.environmentId, next, expectedVersion), input.name));
  deps.changes.environmentChanged(path.environmentId);
  return { body: toResourceAttributeResponse(saved, deps.apiBase), version: saved.version };
}

export async function deleteResourceAttribute(deps: ManagementDeps, actor: Actor, path: ResourceAttributePath, id: string): Promise<void> {
  const resource = await writableResource(deps, actor, path);
  const current = await findAttribute(deps, resource, id);
  if (current.settings.type !== 'CUSTOM') throw fixed(current);
  if (!(await deps.store.deleteResourceAttribute(path.environmentId, path.resourceId, id))) throw new NotFoundError();
  deps.changes.environmentChanged(path.environmentId);
}

/**
 * The body of a PUT on a PREDEFINED attribute: `value` (an expression); `name`, `type`, `idToken`
 * and `userInfo` may be sent but only as they are (the claim keeps its name and its place in ID
 * tokens and userinfo, released by the same standard scope).
 */
function parsePredefinedBody(body: unknown, current: ResourceAttributeRecord): string {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', NAME_MAX_LENGTH);
  const value = fields.string('value', EXPRESSION_LIMITS.maxSourceLength, { required: true, nonBlank: true });
  const type = fields.string('type', 16);
  const idToken = fields.boolean('idToken');
  const userInfo = fields.boolean('userInfo');
  if (name !== undefined && name !== current.name) fields.report(detail.constraint('name', `The name of the predefined ${current.name} attribute cannot be changed.`));
  if (type !== undefined && type !== 'PREDEFINED') fields.report(detail.constraint('type', 'The type of a predefined attribute cannot be changed.'));
  if (idToken === false) fields.report(detail.constraint('idToken', 'A predefined attribute is released in ID tokens.'));
  if (userInfo === false) fields.report(detail.constraint('userInfo', 'A predefined attribute is released in userinfo responses.'));
  if (value !== undefined) {
    const issue = valueIssue(value);
    if (issue) fields.report(issue);
  }
  throwIfInvalid(fields.issues);
  return value as string;
}

/**
 * Replaces a PREDEFINED attribute's value: the first change stores a row under the fixed id, later
 * ones update it; the built-in expression removes the row, so the built-in claim comes back.
 */
async function replacePredefined(
  deps: ManagementDeps,
  resource: ResourceRecord,
  current: ResourceAttributeRecord,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  const value = parsePredefinedBody(body, current);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw new PreconditionFailedError();
  const builtIn = fixedAttributes(resource).find((a) => a.id === current.id) as ResourceAttributeRecord;
  const stored = await deps.store.getResourceAttribute(resource.environmentId, resource.id, current.id);
  let saved: ResourceAttributeRecord;
  if (value === builtIn.settings.value) {
    if (stored) await deps.store.deleteResourceAttribute(resource.environmentId, resource.id, current.id);
    saved = builtIn;
  } else if (stored) {
    const next: ResourceAttributeRecord = { ...stored, settings: { ...stored.settings, value }, updatedAt: deps.now().toISOString() };
    saved = unwrapUpdate(await deps.store.updateResourceAttribute(resource.environmentId, next, expectedVersion));
  } else {
    // Version 2: the built-in attribute answers as version 1, so an ETag taken from it no longer matches.
    saved = { ...builtIn, settings: { ...builtIn.settings, value }, version: builtIn.version + 1, updatedAt: deps.now().toISOString() };
    await withUniqueName(() => deps.store.createResourceAttribute(resource.environmentId, saved), saved.name);
  }
  deps.changes.environmentChanged(resource.environmentId);
  return { body: toResourceAttributeResponse(saved, deps.apiBase), version: saved.version };
}

/**
 * The rules a create (`current` absent) or a replacement of `current` holds `body` to on a
 * resource of the given kind, without writing: what the declarative configuration's check pass
 * runs (src/declarative/). `current` only needs its name and type.
 */
export function checkResourceAttributeBody(body: unknown, openId: boolean, current?: Pick<ResourceAttributeRecord, 'name' | 'settings'>): void {
  if (current?.settings.type === 'PREDEFINED') {
    parsePredefinedBody(body, current as ResourceAttributeRecord);
    return;
  }
  if (current !== undefined && current.settings.type !== 'CUSTOM') throw fixed(current as ResourceAttributeRecord);
  const input = parseResourceAttributeBody(body, openId);
  if (input.name === 'sub' || (openId && PREDEFINED_OPENID_CLAIMS.some(([name]) => name === input.name))) throw nameTaken(input.name);
}

function fixed(attribute: ResourceAttributeRecord): InvalidDataError {
  const message =
    attribute.settings.type === 'CORE'
      ? 'The core sub attribute of a resource cannot be changed or deleted.'
      : `The predefined ${attribute.name} attribute of the openid resource cannot be deleted.`;
  return new InvalidDataError([detail.constraint('type', message)]);
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
