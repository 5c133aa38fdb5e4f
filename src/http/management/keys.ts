import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../../domain/ids.js';
import { NotFoundError } from '../../domain/pingone-error.js';
import type { ManagementDeps } from '../../management/context.js';
import { exportCsr, importCaResponse, type CsrFormat } from '../../management/keys/csr.js';
import { importKey } from '../../management/keys/import.js';
import { createKey, deleteKey, exportKeyCertificate, listKeys, readKey, updateKey, type CertificateFormat } from '../../management/keys/service.js';
import { MultipartForm } from '../multipart.js';
import { actorOf, pathId } from './support.js';

const COLLECTION = '/v1/environments/:envId/keys';
const ONE = `${COLLECTION}/:keyId`;
const CSR = `${ONE}/csr`;

/**
 * Key ids are UUIDs, except the key each environment had before migration 0012, whose id is its
 * RFC 7638 thumbprint (43 base64url characters); anything else cannot name a key.
 */
function keyId(request: FastifyRequest): string {
  const value = (request.params as Record<string, string | undefined>).keyId;
  if (value === undefined || !(isUuid(value) || /^[A-Za-z0-9_-]{43}$/.test(value))) throw new NotFoundError();
  return value;
}

/** The first of `types` that the Accept header names, or undefined. */
function accepted<T extends string>(request: FastifyRequest, types: readonly T[]): T | undefined {
  const accept = (request.headers.accept ?? '').toLowerCase();
  return types.find((type) => accept.includes(type));
}

/** The certificate format named by Accept (`EnumGetKeyAcceptHeader`), or undefined for the JSON resource. */
const exportFormat = (request: FastifyRequest): CertificateFormat | undefined => accepted(request, ['application/x-x509-ca-cert', 'application/x-pkcs7-certificates']);

/** The CSR format named by Accept (`EnumCSRExportHeader`): DER for `application/pkcs10`, else PEM. */
const csrFormat = (request: FastifyRequest): CsrFormat => accepted(request, ['application/pkcs10'] as const) ?? 'application/x-pem-file';

/** The CA's file: the `file` part of multipart/form-data (PingOne's `PKICAResponseFileUpload`), or a PEM body. */
function caResponseFile(body: unknown): { data: Buffer } | undefined {
  if (body instanceof MultipartForm) return body.parts.get('file');
  return typeof body === 'string' ? { data: Buffer.from(body, 'utf8') } : undefined;
}

export function keyRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listKeys(deps, actorOf(request), pathId(request, 'envId')));
  app.post(COLLECTION, async (request, reply) => {
    const envId = pathId(request, 'envId');
    const body = request.body;
    if (!(body instanceof MultipartForm)) return reply.code(201).send(await createKey(deps, actorOf(request), envId, body));
    // PKCS #12 import: `file`, `password`, `usageType` (PingOne's PKIKeyFileUpload).
    const file = body.parts.get('file');
    const upload = { ...(file ? { file } : {}), password: body.text('password'), usageType: body.text('usageType') };
    return reply.code(201).send(await importKey(deps, actorOf(request), envId, upload));
  });
  app.get(ONE, async (request, reply) => {
    const format = exportFormat(request);
    const ids = [pathId(request, 'envId'), keyId(request)] as const;
    if (!format) return readKey(deps, actorOf(request), ...ids);
    return reply.header('Content-Type', format).send(await exportKeyCertificate(deps, actorOf(request), ...ids, format));
  });
  app.put(ONE, async (request) => updateKey(deps, actorOf(request), pathId(request, 'envId'), keyId(request), request.body));
  app.delete(ONE, async (request, reply) => {
    await deleteKey(deps, actorOf(request), pathId(request, 'envId'), keyId(request));
    return reply.code(204).send();
  });
  app.get(CSR, async (request, reply) => {
    const format = csrFormat(request);
    return reply.header('Content-Type', format).send(await exportCsr(deps, actorOf(request), pathId(request, 'envId'), keyId(request), format));
  });
  // PingOne's documentation imports with PUT, its OpenAPI description with POST: both are served.
  const importResponse = async (request: FastifyRequest) => importCaResponse(deps, actorOf(request), pathId(request, 'envId'), keyId(request), caResponseFile(request.body));
  app.put(CSR, importResponse);
  app.post(CSR, importResponse);
}
