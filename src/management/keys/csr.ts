/**
 * A key's certificate signing request and the CA's answer to it (PingOne's `GET` and `PUT …/keys/
 * {keyId}/csr`; the OpenAPI description names the import `POST`, and both are served): the CSR is
 * made afresh from the key's current certificate on each export (src/keys/certification-request.ts);
 * the answer replaces that certificate, keeping the key pair, its id (the `kid` of the tokens it
 * signs) and how it signs. The published JWK then carries the new certificate (`x5c`,
 * `x5t#S256`), on every instance through the change feed. Only the key's own certificate is
 * kept, not the CA's chain that may come with it.
 */
import type { KeyObject } from 'node:crypto';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import type { CertifiedSigningKey, KeyCertificate } from '../../domain/signing-key.js';
import type { TokenSigningAlg } from '../../jose/jwt.js';
import { CaResponseError, certificateForKey } from '../../keys/ca-response.js';
import { certificationRequest } from '../../keys/certification-request.js';
import { describeCertificate } from '../../keys/certificates.js';
import { certificationRequestPem } from '../../keys/pem.js';
import { publicJwkOf, publicKeyOf } from '../../keys/signing-keys.js';
import { requireEnvironment } from '../access.js';
import type { ManagementDeps } from '../context.js';
import { detail, throwIfInvalid } from '../errors.js';
import type { Actor } from '../roles.js';
import { fileIssues } from './import.js';
import { findKey } from './service.js';
import { toKeyResponse } from './serialize.js';

/** PingOne's two CSR formats (`EnumCSRExportHeader`): DER, or PEM text. */
export type CsrFormat = 'application/pkcs10' | 'application/x-pem-file';

export async function exportCsr(deps: ManagementDeps, actor: Actor, environmentId: string, keyId: string, format: CsrFormat): Promise<Buffer | string> {
  await requireEnvironment(deps.store, actor, 'keys:read', environmentId);
  const der = await certificationRequest(await findKey(deps, environmentId, keyId), deps.sealer);
  return format === 'application/pkcs10' ? der : certificationRequestPem(der);
}

export async function importCaResponse(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  keyId: string,
  file: { data: Buffer } | undefined,
): Promise<Record<string, unknown>> {
  const env = await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  throwIfInvalid(fileIssues(file));
  const key = await findKey(deps, environmentId, keyId);
  const publicKey = publicKeyOf(key);
  const certificate = signedCertificate((file as { data: Buffer }).data, publicKey, key, deps.now());
  const publicJwk = publicJwkOf(publicKey, key.id, key.algorithm as TokenSigningAlg, key.usageType, certificate);
  if (!(await deps.store.replaceSigningKeyCertificate(environmentId, keyId, certificate, publicJwk))) throw new NotFoundError();
  deps.changes.environmentChanged(environmentId);
  return toKeyResponse({ ...key, certificate, publicJwk }, env.organizationId, deps.apiBase, deps.now());
}

/**
 * The key's certificate from the CA's file: what it says, with the key's own signature algorithm,
 * which names how the key signs (its tokens' `alg`), whatever algorithm the CA signed with.
 */
function signedCertificate(file: Buffer, publicKey: KeyObject, key: CertifiedSigningKey, now: Date): KeyCertificate {
  try {
    return describeCertificate(certificateForKey(file, publicKey, now), key.certificate.signatureAlgorithm);
  } catch (err) {
    if (err instanceof CaResponseError) throw new InvalidDataError([detail.invalid('file', err.message)]);
    throw err;
  }
}
