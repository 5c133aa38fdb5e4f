/**
 * Import of a key pair and its certificate from a password-protected PKCS #12 file (PingOne's
 * `POST …/keys` as multipart/form-data, OpenAPI `PKIKeyFileUpload`: `file`, `password`,
 * `usageType`), so that a team can pin known keys. The key keeps its certificate as given; it is
 * not the default until made so with PUT.
 */
import { InvalidDataError, type ErrorDetail } from '../../domain/pingone-error.js';
import { KEY_USAGE_TYPES, type KeyUsageType } from '../../domain/signing-key.js';
import { describeCertificate, validityProblem } from '../../keys/certificates.js';
import { readPemKeyPair } from '../../keys/pem-pair.js';
import { Pkcs12Error, readPkcs12, type ImportedKeyPair } from '../../keys/pkcs12.js';
import { keyRecord } from '../../keys/signing-keys.js';
import { requireEnvironment } from '../access.js';
import type { ManagementDeps } from '../context.js';
import { detail, throwIfInvalid } from '../errors.js';
import type { Actor } from '../roles.js';
import { saveNewKey } from './service.js';

/** Larger than any key and certificate chain; the file is read whole. */
const MAX_FILE_BYTES = 64 * 1024;

/** The `file` part of an upload (this one, or a CA's answer to a CSR): present, and not too large. */
export function fileIssues(file: { data: Buffer } | undefined): ErrorDetail[] {
  if (!file || file.data.length === 0) return [detail.required('file')];
  if (file.data.length > MAX_FILE_BYTES) return [detail.size('file', `file must be at most ${MAX_FILE_BYTES} bytes.`, MAX_FILE_BYTES)];
  return [];
}

export interface KeyUpload {
  file?: { data: Buffer; filename?: string };
  password?: string;
  usageType?: string;
}

export async function importKey(deps: ManagementDeps, actor: Actor, environmentId: string, upload: KeyUpload): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  const issues = fileIssues(upload.file);
  if (upload.password === undefined) issues.push(detail.required('password'));
  if (upload.usageType === undefined) issues.push(detail.required('usageType'));
  else if (!(KEY_USAGE_TYPES as readonly string[]).includes(upload.usageType)) {
    issues.push(detail.invalid('usageType', `usageType must be one of ${KEY_USAGE_TYPES.join(', ')}.`, { allowedValues: KEY_USAGE_TYPES }));
  }
  throwIfInvalid(issues);
  let pair;
  try {
    pair = await readPkcs12((upload.file as { data: Buffer }).data, upload.password as string);
  } catch (err) {
    if (err instanceof Pkcs12Error) throw new InvalidDataError([detail.invalid('file', err.message)]);
    throw err;
  }
  const now = deps.now();
  const invalid = validityProblem(pair.certificate, now);
  if (invalid) throw new InvalidDataError([detail.invalid('file', invalid)]);
  const certificate = describeCertificate(pair.certificate, pair.signatureAlgorithm);
  const key = keyRecord(
    environmentId,
    pair,
    {
      name: certificate.subjectDN,
      keyAlgorithm: pair.keyAlgorithm,
      keyLength: pair.keyLength,
      signatureAlgorithm: pair.signatureAlgorithm,
      usageType: upload.usageType as KeyUsageType,
      default: false,
      certificate,
    },
    deps.sealer,
    now,
  );
  return saveNewKey(deps, env.organizationId, key, now);
}

/** A key pair a configuration file pins: its id (the `kid`), PEM private key and certificate. */
export interface PemKeyUpload {
  id: string;
  privateKey: string;
  certificate: string;
  usageType: KeyUsageType;
  default: boolean;
}

/** The pair checked as the PKCS #12 import checks it; 400 on `privateKey` or `certificate` otherwise. */
export function readPinnedKey(upload: Pick<PemKeyUpload, 'privateKey' | 'certificate'>): ImportedKeyPair {
  try {
    return readPemKeyPair(upload.privateKey, upload.certificate);
  } catch (err) {
    if (!(err instanceof Pkcs12Error)) throw err;
    const target = err.message.startsWith('privateKey') ? 'privateKey' : 'certificate';
    throw new InvalidDataError([detail.invalid(target, err.message)]);
  }
}

/** Stores a pinned key pair under its own id (src/declarative/); the default flag moves to it when set. */
export async function importPemKey(deps: ManagementDeps, actor: Actor, environmentId: string, upload: PemKeyUpload): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  const pair = readPinnedKey(upload);
  const certificate = describeCertificate(pair.certificate, pair.signatureAlgorithm);
  const now = deps.now();
  const request = {
    name: certificate.subjectDN,
    keyAlgorithm: pair.keyAlgorithm,
    keyLength: pair.keyLength,
    signatureAlgorithm: pair.signatureAlgorithm,
    usageType: upload.usageType,
    default: upload.default,
    certificate,
  };
  return saveNewKey(deps, env.organizationId, keyRecord(environmentId, pair, request, deps.sealer, now, upload.id), now);
}
