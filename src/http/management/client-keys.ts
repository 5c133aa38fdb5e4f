import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import {
  deleteCertificate,
  listCertificates,
  readCertificate,
  readCertificateUpload,
  uploadCertificate,
} from '../../management/client-keys/certificate-service.js';
import { listClientAuthEvents, readJwksCache } from '../../management/applications/diagnostics.js';
import type { ManagementDeps } from '../../management/context.js';
import { actorOf, pathId } from './support.js';

const APP = '/v1/environments/:envId/applications/:appId';

/** Uploaded certificates, diagnostics events and the jwksUrl cache of an application (Keyway extensions). */
export function clientKeyRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  const ids = (request: FastifyRequest) => [pathId(request, 'envId'), pathId(request, 'appId')] as const;

  app.post(`${APP}/keys`, async (request, reply) =>
    reply.code(201).send(await uploadCertificate(deps, actorOf(request), ...ids(request), readCertificateUpload(request.body))),
  );
  app.get(`${APP}/keys`, async (request) => listCertificates(deps, actorOf(request), ...ids(request)));
  app.get(`${APP}/keys/:keyId`, async (request) => readCertificate(deps, actorOf(request), ...ids(request), keyId(request)));
  app.delete(`${APP}/keys/:keyId`, async (request, reply) => {
    await deleteCertificate(deps, actorOf(request), ...ids(request), keyId(request));
    return reply.code(204).send();
  });

  app.get(`${APP}/clientAuthEvents`, async (request) => listClientAuthEvents(deps, actorOf(request), ...ids(request), eventsLimit(request)));
  app.get(`${APP}/jwksCache`, async (request) => readJwksCache(deps, actorOf(request), ...ids(request), false));
  app.post(`${APP}/jwksCache/refresh`, async (request) => readJwksCache(deps, actorOf(request), ...ids(request), true));
}

function keyId(request: FastifyRequest): string {
  const value = (request.params as { keyId?: string }).keyId;
  if (value === undefined || value.length === 0 || value.length > 256) throw new NotFoundError();
  return value;
}

function eventsLimit(request: FastifyRequest): number {
  const raw = (request.query as { limit?: unknown }).limit;
  if (raw === undefined) return 50;
  const limit = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= 200)) {
    throw new InvalidDataError([{ code: 'INVALID_PARAMETER', target: 'limit', message: 'limit must be an integer between 1 and 200.' }]);
  }
  return limit;
}
