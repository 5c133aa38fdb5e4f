/**
 * Application attribute mappings (PingOne's "Application Attribute Mapping"): list, read, create,
 * replace (PUT), delete under `/applications/{appId}/attributes`. Every application has the core
 * `sub` mapping (`${user.id}`): it is listed and read before it was ever written, its value can be
 * replaced, and it can be neither created again (UNIQUENESS_VIOLATION, as PingOne answers) nor
 * deleted. Mappings are compiled into the cached client profile, so each write announces the
 * application.
 */
import { createHash } from 'node:crypto';
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import { UniqueViolation, type ApplicationAttributeRecord, type ApplicationRecord } from '../../store/types.js';
import { requireApplication } from '../applications/service.js';
import { collection, unwrapUpdate, type CreateOptions } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { VersionedBody } from '../resources.js';
import type { Actor } from '../roles.js';
import { parseApplicationAttributeBody } from './application-parse.js';
import { applicationAttributesHref, toApplicationAttributeResponse } from './application-serialize.js';

/** The core mapping's value until it is replaced (PingOne: `sub` maps the user's id). */
export const CORE_SUB_VALUE = '${user.id}';

export interface AttributePath {
  environmentId: string;
  applicationId: string;
}

/** A stable id for the core `sub` mapping of an application, the same before and after it is written. */
export function coreSubId(applicationId: string): string {
  const h = createHash('sha256').update(`keyway:application-attribute:sub:${applicationId}`).digest('hex');
  const variant = (8 | (parseInt(h[16] as string, 16) & 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The core `sub` mapping as it stands before anyone replaced it. */
function defaultCoreSub(app: ApplicationRecord): ApplicationAttributeRecord {
  return {
    id: coreSubId(app.id),
    environmentId: app.environmentId,
    applicationId: app.id,
    name: 'sub',
    settings: { value: CORE_SUB_VALUE, required: true, mappingType: 'CORE', idToken: true, userInfo: true },
    version: 1,
    createdAt: app.createdAt,
    updatedAt: app.createdAt,
  };
}

async function mappingsOf(deps: ManagementDeps, app: ApplicationRecord): Promise<ApplicationAttributeRecord[]> {
  const stored = await deps.store.listApplicationAttributes(app.environmentId, app.id);
  return stored.some((a) => a.settings.mappingType === 'CORE' && a.name === 'sub') ? stored : [defaultCoreSub(app), ...stored];
}

async function findMapping(deps: ManagementDeps, app: ApplicationRecord, id: string): Promise<{ record: ApplicationAttributeRecord; stored: boolean }> {
  const stored = await deps.store.getApplicationAttribute(app.environmentId, app.id, id);
  if (stored) return { record: stored, stored: true };
  if (id === coreSubId(app.id)) return { record: defaultCoreSub(app), stored: false };
  throw new NotFoundError();
}

/** Scope ids of the `openid` resource granted to the application (what `oidcScopes` may name). */
async function grantedOidcScopeIds(deps: ManagementDeps, path: AttributePath): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const grant of await deps.store.listGrants(path.environmentId, path.applicationId)) {
    const resource = await deps.store.getResource(path.environmentId, grant.resourceId);
    if (resource?.type === 'OPENID_CONNECT') grant.scopeIds.forEach((id) => ids.add(id));
  }
  return ids;
}

export async function listApplicationAttributes(deps: ManagementDeps, actor: Actor, path: AttributePath) {
  const app = await requireApplication(deps, actor, 'applications:read', path.environmentId, path.applicationId);
  const items = (await mappingsOf(deps, app)).map((a) => toApplicationAttributeResponse(a, deps.apiBase));
  return collection(applicationAttributesHref(deps.apiBase, path.environmentId, path.applicationId), 'attributes', { items, count: items.length }, undefined);
}

export async function readApplicationAttribute(deps: ManagementDeps, actor: Actor, path: AttributePath, id: string): Promise<VersionedBody> {
  const app = await requireApplication(deps, actor, 'applications:read', path.environmentId, path.applicationId);
  const { record } = await findMapping(deps, app, id);
  return { body: toApplicationAttributeResponse(record, deps.apiBase), version: record.version };
}

export async function createApplicationAttribute(deps: ManagementDeps, actor: Actor, path: AttributePath, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  await requireApplication(deps, actor, 'applications:write', path.environmentId, path.applicationId);
  if (typeof body === 'object' && body !== null && (body as { name?: unknown }).name === 'sub') throw nameTaken('sub');
  const input = parseApplicationAttributeBody(body, await grantedOidcScopeIds(deps, path), false);
  const at = deps.now().toISOString();
  const record: ApplicationAttributeRecord = { id: options.id ?? newId(), ...path, ...input, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createApplicationAttribute(path.environmentId, record), input.name);
  deps.changes.applicationChanged(path.environmentId, path.applicationId);
  return { body: toApplicationAttributeResponse(record, deps.apiBase), version: record.version };
}

export async function replaceApplicationAttribute(
  deps: ManagementDeps,
  actor: Actor,
  path: AttributePath,
  id: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  const app = await requireApplication(deps, actor, 'applications:write', path.environmentId, path.applicationId);
  const current = await findMapping(deps, app, id);
  const core = current.record.settings.mappingType === 'CORE';
  const input = parseApplicationAttributeBody(body, await grantedOidcScopeIds(deps, path), core);
  const next: ApplicationAttributeRecord = { ...current.record, ...input, updatedAt: deps.now().toISOString() };
  let saved: ApplicationAttributeRecord;
  if (current.stored) {
    saved = unwrapUpdate(await withUniqueName(() => deps.store.updateApplicationAttribute(path.environmentId, next, expectedVersion), input.name));
  } else {
    // The core mapping's first write stores it, as version 2 of the one listed until then.
    if (expectedVersion !== undefined && expectedVersion !== current.record.version) unwrapUpdate({ status: 'conflict' });
    saved = { ...next, version: current.record.version + 1 };
    await withUniqueName(() => deps.store.createApplicationAttribute(path.environmentId, saved), input.name);
  }
  deps.changes.applicationChanged(path.environmentId, path.applicationId);
  return { body: toApplicationAttributeResponse(saved, deps.apiBase), version: saved.version };
}

export async function deleteApplicationAttribute(deps: ManagementDeps, actor: Actor, path: AttributePath, id: string): Promise<void> {
  const app = await requireApplication(deps, actor, 'applications:write', path.environmentId, path.applicationId);
  const { record } = await findMapping(deps, app, id);
  if (record.settings.mappingType === 'CORE') {
    throw new InvalidDataError([detail.constraint('mappingType', 'The core sub mapping cannot be deleted; its value can be replaced.')]);
  }
  if (!(await deps.store.deleteApplicationAttribute(path.environmentId, path.applicationId, id))) throw new NotFoundError();
  deps.changes.applicationChanged(path.environmentId, path.applicationId);
}

function nameTaken(name: string): InvalidDataError {
  return new InvalidDataError([detail.unique('name', `The application already has an attribute mapping named "${name}".`)]);
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') throw nameTaken(name);
    throw err;
  }
}

