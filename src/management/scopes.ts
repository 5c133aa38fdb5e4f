/**
 * Scopes of a resource: list, read, create, replace (PUT), delete (docs/pingone-reference.md §5.2,
 * OpenAPI `ResourceScope`). Scopes of every resource can be read; those of CUSTOM resources can be
 * written. The `openid` resource's standard scopes can be replaced, keeping their names, to set
 * their `mappedClaims` (ids of the resource's custom attributes that the scope releases); they are
 * not deleted. Custom scopes are created, replaced and deleted on it too, as PingOne allows, with
 * `mappedClaims` as well. The PingOne API resource's scopes are the platform's.
 */
import { newId } from '../domain/ids.js';
import { MAX_OPENID_SCOPES, STANDARD_OPENID_SCOPES } from '../domain/openid-resource.js';
import { InvalidDataError, NotFoundError } from '../domain/pingone-error.js';
import type { ErrorDetail } from '../domain/pingone-error.js';
import { UniqueViolation, type PageRequest, type ResourceRecord, type ScopeRecord } from '../store/types.js';
import { requireEnvironment } from './access.js';
import { collection, unwrapUpdate, type CreateOptions } from './common.js';
import type { ManagementDeps } from './context.js';
import { detail, throwIfInvalid } from './errors.js';
import { GENERAL_RULES } from './field-rules.js';
import { FieldReader, asObject } from './fields.js';
import { assertCustom, findResource, resourceHref, type VersionedBody } from './resources.js';
import type { Actor } from './roles.js';

// Request bodies.

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), so no spaces, quotes or backslashes. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const SCOPE_TOKEN_PATTERN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$';
const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;

export interface ScopeInput {
  name: string;
  description?: string;
  mappedClaims?: string[];
}

const MAX_MAPPED_CLAIMS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates a create or replace body (PUT is a full replacement).
 * @throws InvalidDataError listing every violation found.
 */
export function parseScopeBody(body: unknown): ScopeInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = readName(fields);
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH);
  const mappedClaims = fields.stringArray('mappedClaims', MAX_MAPPED_CLAIMS, 64, (id, target) => (UUID.test(id) ? undefined : `${target} must be a resource attribute id.`));
  throwIfInvalid(fields.issues);
  const input: ScopeInput = { name: name as string };
  if (description !== undefined) input.description = description;
  // An empty list maps nothing, as leaving the field out does.
  if (mappedClaims !== undefined && mappedClaims.length > 0) input.mappedClaims = [...new Set(mappedClaims)];
  return input;
}

function readName(fields: FieldReader): string | undefined {
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  if (name === undefined) return undefined;
  // Scope names travel space-separated in `scope` parameters, so they must be single tokens.
  if (!SCOPE_TOKEN.test(name)) {
    fields.report(
      detail.invalid('name', 'name must be a scope token: printable ASCII without spaces, `"` or `\\`.', {
        allowedPattern: SCOPE_TOKEN_PATTERN,
      }),
    );
    return undefined;
  }
  return name;
}

// Responses.

export function toScopeResponse(scope: ScopeRecord, apiBase: string): Record<string, unknown> {
  const resource = resourceHref(apiBase, scope.environmentId, scope.resourceId);
  const body: Record<string, unknown> = {
    _links: {
      self: { href: `${resource}/scopes/${scope.id}` },
      resource: { href: resource },
    },
    id: scope.id,
    environment: { id: scope.environmentId },
    resource: { id: scope.resourceId },
    name: scope.name,
  };
  if (scope.description !== undefined) body.description = scope.description;
  if (scope.mappedClaims !== undefined) body.mappedClaims = [...scope.mappedClaims];
  body.createdAt = scope.createdAt;
  body.updatedAt = scope.updatedAt;
  return body;
}

// Operations.

/** Path of one scope: the environment, its resource and the scope itself. */
export interface ScopePath {
  environmentId: string;
  resourceId: string;
}

export async function listScopes(deps: ManagementDeps, actor: Actor, path: ScopePath, page: PageRequest) {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  await findResource(deps, path.environmentId, path.resourceId);
  const result = await deps.store.listScopes(path.environmentId, path.resourceId, page);
  const items = result.items.map((s) => toScopeResponse(s, deps.apiBase));
  const self = `${resourceHref(deps.apiBase, path.environmentId, path.resourceId)}/scopes`;
  return collection(self, 'scopes', { ...result, items }, page);
}

async function findScope(deps: ManagementDeps, path: ScopePath, scopeId: string): Promise<ScopeRecord> {
  const scope = await deps.store.getScope(path.environmentId, path.resourceId, scopeId);
  if (!scope) throw new NotFoundError();
  return scope;
}

export async function readScope(deps: ManagementDeps, actor: Actor, path: ScopePath, scopeId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:read', path.environmentId);
  await findResource(deps, path.environmentId, path.resourceId);
  const scope = await findScope(deps, path, scopeId);
  return { body: toScopeResponse(scope, deps.apiBase), version: scope.version };
}

/** Write access: the permission, then a CUSTOM resource of the environment (or the `openid` one, if `openIdToo`). */
async function requireWritableResource(deps: ManagementDeps, actor: Actor, path: ScopePath, openIdToo = false): Promise<ResourceRecord> {
  await requireEnvironment(deps.store, actor, 'resources:write', path.environmentId);
  const resource = await findResource(deps, path.environmentId, path.resourceId);
  if (!(openIdToo && resource.type === 'OPENID_CONNECT')) assertCustom(resource, 'resource.type');
  return resource;
}

/**
 * `mappedClaims` applies to the `openid` resource only, and names its custom attributes
 * (OpenAPI `ResourceScope.mappedClaims`); a standard scope keeps its name.
 */
async function checkAgainstResource(deps: ManagementDeps, resource: ResourceRecord, input: ScopeInput, current?: ScopeRecord): Promise<void> {
  const issues: ErrorDetail[] = [];
  if (resource.type !== 'OPENID_CONNECT') {
    if (input.mappedClaims !== undefined) issues.push(detail.invalid('mappedClaims', 'mappedClaims applies to scopes of the OPENID_CONNECT resource only.'));
  } else {
    if (current !== undefined && STANDARD_OPENID_SCOPES.has(current.name) && input.name !== current.name) {
      issues.push(detail.constraint('name', `The name of the standard ${current.name} scope cannot change.`));
    }
    if (input.mappedClaims !== undefined) {
      const custom = new Set((await deps.store.listResourceAttributes(resource.environmentId, resource.id)).filter((a) => a.settings.type === 'CUSTOM').map((a) => a.id));
      input.mappedClaims.forEach((id, i) => {
        if (!custom.has(id)) issues.push(detail.invalid(`mappedClaims[${i}]`, 'mappedClaims may only name custom attributes of the openid resource.'));
      });
    }
  }
  throwIfInvalid(issues);
}

export async function createScope(deps: ManagementDeps, actor: Actor, path: ScopePath, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  const resource = await requireWritableResource(deps, actor, path, true);
  const input = parseScopeBody(body);
  await checkAgainstResource(deps, resource, input);
  if (resource.type === 'OPENID_CONNECT') await assertRoomForOpenIdScope(deps, resource);
  const at = deps.now().toISOString();
  const scope: ScopeRecord = { id: options.id ?? newId(), ...path, ...input, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createScope(path.environmentId, scope), input.name);
  deps.changes.environmentChanged(path.environmentId);
  return { body: toScopeResponse(scope, deps.apiBase), version: scope.version };
}

export async function replaceScope(
  deps: ManagementDeps,
  actor: Actor,
  path: ScopePath,
  scopeId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  const resource = await requireWritableResource(deps, actor, path, true);
  const current = await findScope(deps, path, scopeId);
  const input = parseScopeBody(body);
  await checkAgainstResource(deps, resource, input, current);
  const next: ScopeRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  if (input.description === undefined) delete next.description;
  if (input.mappedClaims === undefined) delete next.mappedClaims;
  const updated = unwrapUpdate(
    await withUniqueName(() => deps.store.updateScope(path.environmentId, next, expectedVersion), input.name),
  );
  // Granted scope names and the claims they map are cached with client profiles and end up in tokens.
  deps.changes.environmentChanged(path.environmentId);
  return { body: toScopeResponse(updated, deps.apiBase), version: updated.version };
}

/** Deletes the scope and takes it out of grants (a grant left empty goes too). */
export async function deleteScope(deps: ManagementDeps, actor: Actor, path: ScopePath, scopeId: string): Promise<void> {
  const resource = await requireWritableResource(deps, actor, path, true);
  if (resource.type === 'OPENID_CONNECT') {
    const current = await findScope(deps, path, scopeId);
    if (STANDARD_OPENID_SCOPES.has(current.name)) {
      throw new InvalidDataError([detail.constraint('name', `The standard ${current.name} scope of the openid resource cannot be deleted.`)]);
    }
  }
  if (!(await deps.store.deleteScope(path.environmentId, path.resourceId, scopeId))) throw new NotFoundError();
  deps.changes.environmentChanged(path.environmentId);
}

/** Token requests read every scope of the `openid` resource, so their number is bounded. */
async function assertRoomForOpenIdScope(deps: ManagementDeps, resource: ResourceRecord): Promise<void> {
  const existing = await deps.store.listScopes(resource.environmentId, resource.id, { limit: MAX_OPENID_SCOPES });
  if (existing.items.length >= MAX_OPENID_SCOPES) {
    throw new InvalidDataError([detail.size('name', `The openid resource can hold at most ${MAX_OPENID_SCOPES} scopes.`, MAX_OPENID_SCOPES)]);
  }
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      throw new InvalidDataError([detail.unique('name', `The resource already has a scope named "${name}".`)]);
    }
    throw err;
  }
}
