/**
 * Uploaded client certificates: `POST/GET .../applications/{appId}/keys`,
 * `GET/DELETE .../keys/{keyId}`. A Keyway extension named by PingOne's PRIVATE_KEY_JWT setup
 * page; response fields follow PingOne's certificate objects (`subjectDN`, `issuerDN`,
 * `startsAt`, `expiresAt`, ...).
 */
import { isJsonObject } from '../../domain/json-object.js';
import { InvalidDataError, NotFoundError, InvalidRequestError } from '../../domain/pingone-error.js';
import { UniqueViolation, type ClientCertificateRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { requireApplication } from '../applications/service.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { Actor } from '../roles.js';
import { certificateValidAt, parseCertificatePem } from './certificate.js';

/** Bounds the keys one application may register by upload. */
export const MAX_CERTIFICATES_PER_APPLICATION = 20;

export interface CertificateUpload {
  pem: string;
  kid?: string;
}

/** Reads an upload from `application/x-pem-file` text or JSON `{"certificate": "...", "kid"?: "..."}`. */
export function readCertificateUpload(body: unknown): CertificateUpload {
  if (typeof body === 'string') return { pem: body };
  if (!isJsonObject(body)) {
    throw new InvalidRequestError('Send a PEM certificate as application/x-pem-file or JSON {"certificate": "..."}.');
  }
  const { certificate, kid } = body;
  if (typeof certificate !== 'string') throw new InvalidDataError([detail.required('certificate')]);
  if (kid !== undefined && typeof kid !== 'string') throw new InvalidDataError([detail.invalid('kid', 'kid must be a string.')]);
  return kid === undefined ? { pem: certificate } : { pem: certificate, kid };
}

export async function uploadCertificate(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string, upload: CertificateUpload) {
  await requireApplication(deps, actor, 'applications:write', environmentId, applicationId);
  const now = deps.now();
  const parsed = parseCertificatePem(upload.pem, now, upload.kid);
  if (!parsed.ok) throw new InvalidDataError(parsed.details);
  const existing = await deps.store.listClientCertificates(environmentId, applicationId);
  if (existing.length >= MAX_CERTIFICATES_PER_APPLICATION) {
    throw new InvalidDataError([
      detail.size('certificate', `an application may hold at most ${MAX_CERTIFICATES_PER_APPLICATION} uploaded certificates.`, MAX_CERTIFICATES_PER_APPLICATION),
    ]);
  }
  const record: ClientCertificateRecord = {
    id: parsed.certificate.kid,
    environmentId,
    applicationId,
    pem: parsed.pem,
    publicJwk: parsed.certificate.publicJwk,
    subject: parsed.certificate.subject,
    issuer: parsed.certificate.issuer,
    serialNumber: parsed.certificate.serialNumber,
    notBefore: parsed.certificate.notBefore,
    notAfter: parsed.certificate.notAfter,
    thumbprintS256: parsed.certificate.thumbprintS256,
    createdAt: now.toISOString(),
  };
  try {
    await deps.store.createClientCertificate(environmentId, record);
  } catch (err) {
    if (err instanceof UniqueViolation) {
      throw new InvalidDataError([detail.unique('kid', `The application already has a key with kid "${record.id}".`, record.id)]);
    }
    throw err;
  }
  deps.changes.applicationChanged(environmentId, applicationId);
  return toCertificateResponse(deps, record);
}

export async function listCertificates(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string) {
  await requireApplication(deps, actor, 'applications:read', environmentId, applicationId);
  const items = (await deps.store.listClientCertificates(environmentId, applicationId)).map((r) => toCertificateResponse(deps, r));
  const self = `${deps.apiBase}/environments/${environmentId}/applications/${applicationId}/keys`;
  return { _links: { self: { href: self } }, _embedded: { keys: items }, count: items.length, size: items.length };
}

export async function readCertificate(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string, keyId: string) {
  await requireEnvironment(deps.store, actor, 'applications:read', environmentId);
  const record = await deps.store.getClientCertificate(environmentId, applicationId, keyId);
  if (!record) throw new NotFoundError();
  return toCertificateResponse(deps, record);
}

export async function deleteCertificate(deps: ManagementDeps, actor: Actor, environmentId: string, applicationId: string, keyId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'applications:write', environmentId);
  if (!(await deps.store.deleteClientCertificate(environmentId, applicationId, keyId))) throw new NotFoundError();
  deps.changes.applicationChanged(environmentId, applicationId);
}

function toCertificateResponse(deps: ManagementDeps, r: ClientCertificateRecord): Record<string, unknown> {
  const app = `${deps.apiBase}/environments/${r.environmentId}/applications/${r.applicationId}`;
  const valid = certificateValidAt(r, deps.now());
  return {
    _links: { self: { href: `${app}/keys/${encodeURIComponent(r.id)}` }, application: { href: app } },
    id: r.id,
    kid: r.id,
    environment: { id: r.environmentId },
    application: { id: r.applicationId },
    subjectDN: r.subject,
    issuerDN: r.issuer,
    serialNumber: r.serialNumber,
    startsAt: r.notBefore,
    expiresAt: r.notAfter,
    status: valid ? 'VALID' : 'EXPIRED',
    'x5t#S256': r.thumbprintS256,
    jwk: { ...r.publicJwk, kid: r.id, use: 'sig' },
    certificate: r.pem,
    createdAt: r.createdAt,
  };
}
