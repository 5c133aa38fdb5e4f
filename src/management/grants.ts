/**
 * Resource grants of an application: list, read, create, replace (PUT), delete. A grant gives the
 * application some scopes of one resource of its environment; an application has at most one
 * grant per resource (docs/pingone-reference.md §5.1, OpenAPI `ApplicationResourceGrant`).
 */
import { newId } from '../domain/ids.js';
import { InvalidDataError, NotFoundError, type ErrorDetail } from '../domain/pingone-error.js';
import { UniqueViolation, type GrantRecord, type PageRequest } from '../store/types.js';
import { requireApplication } from './applications/service.js';
import { collection, unwrapUpdate, type CreateOptions } from './common.js';
import type { ManagementDeps } from './context.js';
import { detail, throwIfInvalid } from './errors.js';
import { GENERAL_RULES } from './field-rules.js';
import { FieldReader, asObject, referenceId } from './fields.js';
import type { VersionedBody } from './resources.js';
import type { Actor } from './roles.js';

// Request bodies: `{resource: {id}, scopes: [{id}, ...]}`. Only the shape is checked here; whether
// the ids exist is checked by the operations below.

/** Keyway's bound, the same as the most scopes one token request may name. */
export const MAX_GRANT_SCOPES = 100;

export interface GrantInput {
  resourceId: string;
  scopeIds: string[];
}

/** @throws InvalidDataError listing every violation found. */
export function parseGrantBody(body: unknown): GrantInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const resourceId = fields.reference('resource', { required: true });
  const scopeIds = readScopeIds(fields);
  throwIfInvalid(fields.issues);
  return { resourceId: resourceId as string, scopeIds: scopeIds as string[] };
}

/** `scopes` has its own messages (and EMPTY_VALUE), so it is read from the raw value. */
function readScopeIds(fields: FieldReader): string[] | undefined {
  const value = fields.raw('scopes');
  if (value === undefined) {
    fields.report(detail.required('scopes'));
    return undefined;
  }
  if (!Array.isArray(value)) {
    fields.report(detail.invalid('scopes', 'scopes must be an array of {"id": "<scope id>"} objects.'));
    return undefined;
  }
  if (value.length === 0) {
    fields.report({ code: 'EMPTY_VALUE', target: 'scopes', message: 'scopes must name at least one scope.' });
    return undefined;
  }
  if (value.length > MAX_GRANT_SCOPES) {
    fields.report(detail.size('scopes', `A grant can name at most ${MAX_GRANT_SCOPES} scopes.`, MAX_GRANT_SCOPES));
    return undefined;
  }
  const ids: string[] = [];
  value.forEach((item: unknown, i) => {
    const id = referenceId(item);
    const target = `scopes[${i}].id`;
    if (id === undefined) fields.report(detail.invalid(target, `${target} must be a UUID.`));
    else if (ids.includes(id)) fields.report(detail.invalid(target, `${target} names the same scope as an earlier entry.`));
    else ids.push(id);
  });
  return ids.length === value.length ? ids : undefined;
}

// Responses.

export function grantsHref(apiBase: string, environmentId: string, applicationId: string): string {
  return `${apiBase}/environments/${environmentId}/applications/${applicationId}/grants`;
}

export function toGrantResponse(grant: GrantRecord, apiBase: string): Record<string, unknown> {
  const environment = `${apiBase}/environments/${grant.environmentId}`;
  return {
    _links: {
      self: { href: `${grantsHref(apiBase, grant.environmentId, grant.applicationId)}/${grant.id}` },
      environment: { href: environment },
      application: { href: `${environment}/applications/${grant.applicationId}` },
      resource: { href: `${environment}/resources/${grant.resourceId}` },
    },
    id: grant.id,
    environment: { id: grant.environmentId },
    application: { id: grant.applicationId },
    resource: { id: grant.resourceId },
    scopes: grant.scopeIds.map((id) => ({ id })),
    createdAt: grant.createdAt,
    updatedAt: grant.updatedAt,
  };
}

// Operations.

/** The application whose grants a request addresses. */
export interface GrantPath {
  environmentId: string;
  applicationId: string;
}

export async function listGrants(deps: ManagementDeps, actor: Actor, path: GrantPath, page: PageRequest) {
  await requireApplication(deps, actor, 'applications:read', path.environmentId, path.applicationId);
  const result = await deps.store.pageGrants(path.environmentId, path.applicationId, page);
  const items = result.items.map((g) => toGrantResponse(g, deps.apiBase));
  return collection(grantsHref(deps.apiBase, path.environmentId, path.applicationId), 'grants', { ...result, items }, page);
}

async function findGrant(deps: ManagementDeps, path: GrantPath, grantId: string): Promise<GrantRecord> {
  const grant = await deps.store.getGrant(path.environmentId, path.applicationId, grantId);
  if (!grant) throw new NotFoundError();
  return grant;
}

export async function readGrant(deps: ManagementDeps, actor: Actor, path: GrantPath, grantId: string): Promise<VersionedBody> {
  await requireApplication(deps, actor, 'applications:read', path.environmentId, path.applicationId);
  const grant = await findGrant(deps, path, grantId);
  return { body: toGrantResponse(grant, deps.apiBase), version: grant.version };
}

export async function createGrant(deps: ManagementDeps, actor: Actor, path: GrantPath, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  await requireApplication(deps, actor, 'applications:write', path.environmentId, path.applicationId);
  const input = parseGrantBody(body);
  await checkReferences(deps, path.environmentId, input);
  await assertOnePerResource(deps, path, input.resourceId, undefined);
  const at = deps.now().toISOString();
  const grant: GrantRecord = { id: options.id ?? newId(), ...path, ...input, version: 1, createdAt: at, updatedAt: at };
  await onePerResource(deps, path, input.resourceId, grant.id, () => deps.store.createGrant(path.environmentId, grant));
  deps.changes.environmentChanged(path.environmentId);
  return { body: toGrantResponse(grant, deps.apiBase), version: grant.version };
}

export async function replaceGrant(
  deps: ManagementDeps,
  actor: Actor,
  path: GrantPath,
  grantId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireApplication(deps, actor, 'applications:write', path.environmentId, path.applicationId);
  const current = await findGrant(deps, path, grantId);
  const input = parseGrantBody(body);
  await checkReferences(deps, path.environmentId, input);
  await assertOnePerResource(deps, path, input.resourceId, grantId);
  const next: GrantRecord = { ...current, ...input, updatedAt: deps.now().toISOString() };
  const updated = unwrapUpdate(
    await onePerResource(deps, path, input.resourceId, grantId, () => deps.store.updateGrant(path.environmentId, next, expectedVersion)),
  );
  deps.changes.environmentChanged(path.environmentId);
  return { body: toGrantResponse(updated, deps.apiBase), version: updated.version };
}

export async function deleteGrant(deps: ManagementDeps, actor: Actor, path: GrantPath, grantId: string): Promise<void> {
  await requireApplication(deps, actor, 'applications:write', path.environmentId, path.applicationId);
  if (!(await deps.store.deleteGrant(path.environmentId, path.applicationId, grantId))) throw new NotFoundError();
  deps.changes.environmentChanged(path.environmentId);
}

/** The resource must be one of the environment's, and every scope one of that resource's. */
async function checkReferences(deps: ManagementDeps, environmentId: string, input: GrantInput): Promise<void> {
  const resource = await deps.store.getResource(environmentId, input.resourceId);
  if (!resource) {
    throw new InvalidDataError([detail.invalid('resource.id', 'resource.id does not name a resource of this environment.')]);
  }
  const found = await deps.store.getScopesByIds(environmentId, input.scopeIds);
  const details: ErrorDetail[] = [];
  input.scopeIds.forEach((id, i) => {
    if (!found.some((s) => s.id === id && s.resourceId === resource.id)) {
      details.push(detail.invalid(`scopes[${i}].id`, `scopes[${i}].id does not name a scope of resource ${resource.name}.`));
    }
  });
  throwIfInvalid(details);
}

/**
 * One grant per (application, resource); a second one would be ambiguous about which scopes
 * apply. Checked here for a precise error, and enforced by the store's unique key, which
 * `onePerResource` maps to the same error when a concurrent write got there first.
 */
async function assertOnePerResource(deps: ManagementDeps, path: GrantPath, resourceId: string, ownId: string | undefined): Promise<void> {
  const grants = await deps.store.listGrants(path.environmentId, path.applicationId);
  const clash = grants.find((g) => g.resourceId === resourceId && g.id !== ownId);
  if (clash) throw onePerResourceError(clash.id);
}

function onePerResourceError(existingId: string | undefined): InvalidDataError {
  return new InvalidDataError([detail.unique('resource.id', 'The application already has a grant for this resource.', existingId)]);
}

/** Runs a grant write, turning the store's UniqueViolation on the resource into the 400 above. */
async function onePerResource<T>(
  deps: ManagementDeps,
  path: GrantPath,
  resourceId: string,
  ownId: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof UniqueViolation) || err.field !== 'resourceId') throw err;
    await assertOnePerResource(deps, path, resourceId, ownId);
    throw onePerResourceError(undefined);
  }
}
