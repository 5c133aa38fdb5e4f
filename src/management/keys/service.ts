/**
 * The environment's keys (PingOne's `/environments/{envId}/keys`): create a key pair with a
 * self-signed certificate, list, read, export the certificate, make default, delete. The
 * default SIGNING key signs the environment's tokens; it can be replaced as default but neither
 * unset nor deleted. Every write drops the cached keys of the environment (here at once, on
 * other instances through the change feed: signing_keys has its triggers, migration 0005).
 */
import { NotFoundError, InvalidDataError } from '../../domain/pingone-error.js';
import type { CertifiedSigningKey, SigningKeyRecord } from '../../domain/signing-key.js';
import { certificatePkcs7, keyCertificatePem } from '../../keys/certificates.js';
import { certificateForOlderKey, createKeyRecord } from '../../keys/signing-keys.js';
import { requireEnvironment } from '../access.js';
import { collection } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { Actor } from '../roles.js';
import { parseCreateKeyBody, parseUpdateKeyBody } from './parse.js';
import { keyStatus, toKeyResponse } from './serialize.js';

/** The two certificate formats PingOne exports (`EnumGetKeyAcceptHeader`). */
export type CertificateFormat = 'application/x-x509-ca-cert' | 'application/x-pkcs7-certificates';

const EXPIRED_REFUSED = 'An EXPIRED key cannot be updated: its certificate has expired.';
const DEFAULT_REFUSED = 'The default key of its usage type cannot be deleted or unset: make another key the default first.';

/**
 * Keys written before migration 0012 have no certificate: one is made and recorded the first
 * time the keys API reads them (SQL could not sign it during the migration).
 */
async function withCertificate(deps: ManagementDeps, key: SigningKeyRecord): Promise<CertifiedSigningKey> {
  if (key.certificate) return { ...key, certificate: key.certificate };
  const certificate = await certificateForOlderKey(key, deps.sealer);
  if (await deps.store.setSigningKeyCertificate(key.environmentId, key.id, certificate)) return { ...key, certificate };
  // Another request recorded one first: that one is the key's.
  const stored = await deps.store.getSigningKey(key.environmentId, key.id);
  return stored?.certificate ? { ...stored, certificate: stored.certificate } : { ...key, certificate };
}

/** A key of the keys API: keys of key rotation policies are reached through their policy only. */
export async function findKey(deps: ManagementDeps, environmentId: string, keyId: string): Promise<CertifiedSigningKey> {
  const key = await deps.store.getSigningKey(environmentId, keyId);
  if (!key || key.rotationPolicyId !== undefined) throw new NotFoundError();
  return withCertificate(deps, key);
}

export async function listKeys(deps: ManagementDeps, actor: Actor, environmentId: string) {
  const env = await requireEnvironment(deps.store, actor, 'keys:read', environmentId);
  const own = (await deps.store.listSigningKeys(environmentId)).filter((k) => k.rotationPolicyId === undefined);
  const keys = await Promise.all(own.map((k) => withCertificate(deps, k)));
  const now = deps.now();
  const items = keys.map((k) => toKeyResponse(k, env.organizationId, deps.apiBase, now));
  return collection(`${deps.apiBase}/environments/${environmentId}/keys`, 'keys', { items, count: items.length }, undefined);
}

export async function readKey(deps: ManagementDeps, actor: Actor, environmentId: string, keyId: string): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'keys:read', environmentId);
  return toKeyResponse(await findKey(deps, environmentId, keyId), env.organizationId, deps.apiBase, deps.now());
}

/** The key's certificate as PEM text (X.509) or DER bytes (PKCS #7 certs-only). */
export async function exportKeyCertificate(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  keyId: string,
  format: CertificateFormat,
): Promise<string | Buffer> {
  await requireEnvironment(deps.store, actor, 'keys:read', environmentId);
  const { certificate } = await findKey(deps, environmentId, keyId);
  return format === 'application/x-x509-ca-cert' ? keyCertificatePem(certificate) : certificatePkcs7(certificate);
}

export async function createKey(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  const request = parseCreateKeyBody(body);
  const now = deps.now();
  const key = await createKeyRecord(environmentId, request, deps.sealer, now);
  return saveNewKey(deps, env.organizationId, key, now);
}

/** Stores a new key (made here or imported) and answers it. */
export async function saveNewKey(deps: ManagementDeps, organizationId: string, key: SigningKeyRecord, now: Date): Promise<Record<string, unknown>> {
  await deps.store.createSigningKey(key.environmentId, key);
  deps.changes.environmentChanged(key.environmentId);
  return toKeyResponse(key, organizationId, deps.apiBase, now);
}

export async function updateKey(deps: ManagementDeps, actor: Actor, environmentId: string, keyId: string, body: unknown): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  const change = parseUpdateKeyBody(body);
  // PingOne, "Update Key": updating a key whose status is EXPIRED is an error (so an expired key cannot be made the default).
  if (keyStatus(await findKey(deps, environmentId, keyId), deps.now()) === 'EXPIRED') throw new InvalidDataError([detail.constraint('status', EXPIRED_REFUSED)]);
  const result = await deps.store.updateSigningKey(environmentId, keyId, change);
  if (result === 'not_found') throw new NotFoundError();
  if (result === 'default') throw new InvalidDataError([detail.constraint('default', DEFAULT_REFUSED)]);
  deps.changes.environmentChanged(environmentId);
  return toKeyResponse(await withCertificate(deps, result), env.organizationId, deps.apiBase, deps.now());
}

export async function deleteKey(deps: ManagementDeps, actor: Actor, environmentId: string, keyId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  await findKey(deps, environmentId, keyId);
  const result = await deps.store.deleteSigningKey(environmentId, keyId);
  if (result === 'not_found') throw new NotFoundError();
  if (result === 'default') throw new InvalidDataError([detail.constraint('default', DEFAULT_REFUSED)]);
  deps.changes.environmentChanged(environmentId);
}
