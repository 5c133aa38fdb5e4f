/**
 * Applications: list, read, create (with its secret), replace (PUT), delete.
 */
import type { ApplicationConfig } from '../../domain/applications/application-config.js';
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import type { ApplicationRecord, PageRequest, RoleAssignmentRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { certificateValidAt } from '../client-keys/certificate.js';
import { collection, unwrapUpdate, type CreateOptions } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { Actor, Permission } from '../roles.js';
import { generateClientSecret, newSecretRecord } from './secret.js';
import { toApplicationResponse } from './serialize.js';
import { parseApplicationBody } from './validate.js';

/** A create from a configuration file: its id and, for a client secret it pins, the secret. */
export interface ApplicationCreateOptions extends CreateOptions {
  secret?: string;
}

export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

export async function listApplications(deps: ManagementDeps, actor: Actor, environmentId: string, page: PageRequest) {
  await requireEnvironment(deps.store, actor, 'applications:read', environmentId);
  const result = await deps.store.listApplications(environmentId, page);
  const items = result.items.map((a) => toApplicationResponse(a, deps.apiBase));
  return collection(`${deps.apiBase}/environments/${environmentId}/applications`, 'applications', { ...result, items }, page);
}

/** Loads an application of the environment or throws 404 (also for ids of other environments). */
export async function findApplication(deps: ManagementDeps, environmentId: string, applicationId: string): Promise<ApplicationRecord> {
  const app = await deps.store.getApplication(environmentId, applicationId);
  if (!app) throw new NotFoundError();
  return app;
}

/** The permission over the environment (404, then 403), then an application of it (404 otherwise). */
export async function requireApplication(
  deps: ManagementDeps,
  actor: Actor,
  permission: Permission,
  environmentId: string,
  applicationId: string,
): Promise<ApplicationRecord> {
  await requireEnvironment(deps.store, actor, permission, environmentId);
  return findApplication(deps, environmentId, applicationId);
}

export async function readApplication(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string): Promise<VersionedBody> {
  const app = await requireApplication(deps, actor, 'applications:read', environmentId, applicationId);
  return { body: toApplicationResponse(app, deps.apiBase), version: app.version };
}

export async function createApplication(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown, options: ApplicationCreateOptions = {}): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'applications:write', environmentId);
  const config = parseApplicationBody(body, { kind: 'create', jwksUrlHosts: deps.jwksUrlHosts });
  await requireSigningPolicy(deps, environmentId, config);
  const now = deps.now();
  const at = now.toISOString();
  const id = options.id ?? newId();
  const application: ApplicationRecord = { id, environmentId, config, version: 1, createdAt: at, updatedAt: at };
  const roleAssignments = config.type === 'WORKER' && config.assignActorRoles ? inheritedAssignments(actor, environmentId, id, at) : [];
  await deps.store.createApplication(environmentId, {
    application,
    secret: newSecretRecord(environmentId, id, options.secret ?? generateClientSecret(), deps.sealer, now),
    roleAssignments,
  });
  return { body: toApplicationResponse(application, deps.apiBase), version: application.version };
}

/**
 * `signing.keyRotationPolicy.id` names a key rotation policy of the environment: an unknown id is
 * refused rather than stored to sign silently with the default key. (A policy deleted later leaves
 * its applications on the default key: README, key rotation policies.)
 */
async function requireSigningPolicy(deps: ManagementDeps, environmentId: string, config: ApplicationConfig): Promise<void> {
  const id = config.signing?.keyRotationPolicy.id;
  if (id === undefined || (await deps.store.getKeyRotationPolicy(environmentId, id))) return;
  throw new InvalidDataError([detail.invalid('signing.keyRotationPolicy.id', 'signing.keyRotationPolicy.id must name a key rotation policy of the environment.')]);
}

/** `assignActorRoles` on a new worker: it receives the creating actor's role assignments. */
function inheritedAssignments(actor: Actor, environmentId: string, applicationId: string, at: string): RoleAssignmentRecord[] {
  return actor.assignments.map((a) => ({
    id: newId(),
    environmentId,
    applicationId,
    roleId: a.roleId,
    scopeType: a.scopeType,
    scopeId: a.scopeId,
    createdAt: at,
  }));
}

export async function replaceApplication(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  applicationId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  const existing = await requireApplication(deps, actor, 'applications:write', environmentId, applicationId);
  const hasUploadedCertificates = await hasValidCertificates(deps, environmentId, applicationId);
  const config = parseApplicationBody(body, { kind: 'replace', existing: existing.config, hasUploadedCertificates, jwksUrlHosts: deps.jwksUrlHosts });
  await requireSigningPolicy(deps, environmentId, config);
  const next: ApplicationRecord = { ...existing, config, updatedAt: deps.now().toISOString() };
  const updated = unwrapUpdate(await deps.store.replaceApplication(environmentId, next, expectedVersion));
  deps.changes.applicationChanged(environmentId, applicationId);
  return { body: toApplicationResponse(updated, deps.apiBase), version: updated.version };
}

/** Uploaded certificates valid now count as the application's keys (PRIVATE_KEY_JWT needs some). */
async function hasValidCertificates(deps: ManagementDeps, environmentId: string, applicationId: string): Promise<boolean> {
  const now = deps.now();
  const certificates = await deps.store.listClientCertificates(environmentId, applicationId);
  return certificates.some((c) => certificateValidAt(c, now));
}

export async function deleteApplication(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  applicationId: string,
  expectedVersion: number | undefined,
): Promise<void> {
  await requireEnvironment(deps.store, actor, 'applications:write', environmentId);
  if (environmentId === actor.environmentId && applicationId === actor.applicationId) {
    throw new InvalidDataError([detail.constraint('id', 'An application cannot delete itself.')]);
  }
  unwrapUpdate(await deps.store.deleteApplication(environmentId, applicationId, expectedVersion));
  deps.changes.applicationChanged(environmentId, applicationId);
}
