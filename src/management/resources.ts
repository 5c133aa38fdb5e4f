/**
 * Resources: list, read, create, replace (PUT), delete (docs/pingone-reference.md §5.2, OpenAPI
 * `Resource`). Only CUSTOM resources can be written; the two built-in resources of every
 * environment are read-only.
 */
import { newId } from '../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../domain/pingone-error.js';
import { resourceAudience } from '../domain/resource-audience.js';
import type { ResourceType } from '../domain/resource-type.js';
import { UniqueViolation, type PageRequest, type ResourceRecord } from '../store/types.js';
import { requireEnvironment } from './access.js';
import { collection, unwrapUpdate, type CreateOptions } from './common.js';
import type { ManagementDeps } from './context.js';
import { detail, throwIfInvalid } from './errors.js';
import { GENERAL_RULES } from './field-rules.js';
import { FieldReader, asObject } from './fields.js';
import type { Actor } from './roles.js';

// Request bodies. PUT is a full replacement, so both are parsed alike: omitted optional fields
// take their defaults again.

export const RESOURCE_TYPES: readonly ResourceType[] = ['OPENID_CONNECT', 'PINGONE_API', 'CUSTOM'];

/** PingOne's bounds for `accessTokenValiditySeconds`: 5 minutes to 30 days, default 1 hour. */
export const TOKEN_VALIDITY = { min: 300, max: 2_592_000, default: 3600 } as const;

/** Keyway's bound; an audience defaults to the name, which has the same limit. */
export const MAX_AUDIENCE_LENGTH = 256;
const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;

/** Words PingOne reserves for its own audiences (OpenAPI `Resource.audience`). */
const RESERVED_AUDIENCE_WORDS = ['pingone', 'pingidentity'];

export interface ResourceInput {
  name: string;
  description?: string;
  audience: string;
  accessTokenValiditySeconds: number;
}

/**
 * Validates a create or replace body of a CUSTOM resource.
 * @param managementAudience the PingOne API resource's audience, which no custom resource may claim
 * @throws InvalidDataError listing every violation found.
 */
export function parseResourceBody(body: unknown, managementAudience: string): ResourceInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  readType(fields);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH);
  const audience = readAudience(fields, managementAudience);
  const validity = fields.integer('accessTokenValiditySeconds', TOKEN_VALIDITY.min, TOKEN_VALIDITY.max);
  throwIfInvalid(fields.issues);
  const input: ResourceInput = {
    name: name as string,
    audience: audience ?? (name as string),
    accessTokenValiditySeconds: validity ?? TOKEN_VALIDITY.default,
  };
  if (description !== undefined) input.description = description;
  return input;
}

/** Only CUSTOM resources can be created; `type` may be omitted and is immutable anyway. */
function readType(fields: FieldReader): void {
  const type = fields.enumValue('type', RESOURCE_TYPES);
  if (type !== undefined && type !== 'CUSTOM') {
    fields.report(detail.invalid('type', 'Only resources of type CUSTOM can be created or replaced.', { allowedValues: ['CUSTOM'] }));
  }
}

function readAudience(fields: FieldReader, managementAudience: string): string | undefined {
  const audience = fields.string('audience', MAX_AUDIENCE_LENGTH, { nonBlank: true });
  if (audience === undefined) return undefined;
  if (audience.includes('#')) {
    fields.report(detail.invalid('audience', 'audience must not contain a fragment.'));
    return undefined;
  }
  const lower = audience.toLowerCase();
  if (RESERVED_AUDIENCE_WORDS.some((word) => lower.includes(word))) {
    fields.report(detail.invalid('audience', 'audience must not contain "pingone" or "pingidentity".'));
    return undefined;
  }
  // A custom resource sharing the management API's audience would blur which tokens may call /v1.
  if (audience.replace(/\/+$/, '') === managementAudience) {
    fields.report(detail.invalid('audience', 'audience must differ from the PingOne API resource audience.'));
    return undefined;
  }
  return audience;
}

// Responses.

export function resourceHref(apiBase: string, environmentId: string, resourceId: string): string {
  return `${apiBase}/environments/${environmentId}/resources/${resourceId}`;
}

/** @param publicUrl the current public URL, from which the built-in resources' audiences are derived (src/domain/resource-audience.ts). */
export function toResourceResponse(resource: ResourceRecord, apiBase: string, publicUrl: string): Record<string, unknown> {
  const self = resourceHref(apiBase, resource.environmentId, resource.id);
  const body: Record<string, unknown> = {
    _links: {
      self: { href: self },
      environment: { href: `${apiBase}/environments/${resource.environmentId}` },
      scopes: { href: `${self}/scopes` },
    },
    id: resource.id,
    environment: { id: resource.environmentId },
    name: resource.name,
  };
  if (resource.description !== undefined) body.description = resource.description;
  Object.assign(body, {
    type: resource.type,
    audience: resourceAudience(resource, publicUrl),
    accessTokenValiditySeconds: resource.accessTokenValiditySeconds,
    createdAt: resource.createdAt,
    updatedAt: resource.updatedAt,
  });
  return body;
}

// Operations.

/** A response body with the record version the route sends as its ETag. */
export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

export async function listResources(deps: ManagementDeps, actor: Actor, environmentId: string, page: PageRequest) {
  await requireEnvironment(deps.store, actor, 'resources:read', environmentId);
  const result = await deps.store.listResources(environmentId, page);
  const items = result.items.map((r) => toResourceResponse(r, deps.apiBase, deps.publicUrl));
  return collection(`${deps.apiBase}/environments/${environmentId}/resources`, 'resources', { ...result, items }, page);
}

/** Loads a resource of the environment or throws 404 (also for ids of other environments). */
export async function findResource(deps: ManagementDeps, environmentId: string, resourceId: string): Promise<ResourceRecord> {
  const resource = await deps.store.getResource(environmentId, resourceId);
  if (!resource) throw new NotFoundError();
  return resource;
}

/** Built-in resources belong to the platform: readable, never changed or deleted. */
export function assertCustom(resource: ResourceRecord, target: string): void {
  if (resource.type !== 'CUSTOM') {
    throw new InvalidDataError([detail.constraint(target, `The built-in ${resource.type} resource cannot be changed.`)]);
  }
}

export async function readResource(deps: ManagementDeps, actor: Actor, environmentId: string, resourceId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:read', environmentId);
  const resource = await findResource(deps, environmentId, resourceId);
  return { body: toResourceResponse(resource, deps.apiBase, deps.publicUrl), version: resource.version };
}

export async function createResource(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:write', environmentId);
  const input = parseResourceBody(body, deps.publicUrl);
  const at = deps.now().toISOString();
  const resource: ResourceRecord = { id: options.id ?? newId(), environmentId, type: 'CUSTOM', ...input, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createResource(environmentId, resource), input.name);
  deps.changes.environmentChanged(environmentId);
  return { body: toResourceResponse(resource, deps.apiBase, deps.publicUrl), version: resource.version };
}

export async function replaceResource(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  resourceId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'resources:write', environmentId);
  const current = await findResource(deps, environmentId, resourceId);
  assertCustom(current, 'type');
  const input = parseResourceBody(body, deps.publicUrl);
  const next: ResourceRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  if (input.description === undefined) delete next.description;
  const updated = unwrapUpdate(
    await withUniqueName(() => deps.store.updateResource(environmentId, next, expectedVersion), input.name),
  );
  deps.changes.environmentChanged(environmentId);
  return { body: toResourceResponse(updated, deps.apiBase, deps.publicUrl), version: updated.version };
}

/** Deletes the resource with its scopes and every grant on it. */
export async function deleteResource(deps: ManagementDeps, actor: Actor, environmentId: string, resourceId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'resources:write', environmentId);
  assertCustom(await findResource(deps, environmentId, resourceId), 'type');
  if (!(await deps.store.deleteResource(environmentId, resourceId))) throw new NotFoundError();
  deps.changes.environmentChanged(environmentId);
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      throw new InvalidDataError([detail.unique('name', `A resource named "${name}" already exists in this environment.`)]);
    }
    throw err;
  }
}
