import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { deletePreviousSecret, readSecret, rotateSecret } from '../../management/applications/secret-service.js';
import {
  createApplication,
  deleteApplication,
  listApplications,
  readApplication,
  replaceApplication,
} from '../../management/applications/service.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const APP = '/v1/environments/:envId/applications/:appId';

export function applicationRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get('/v1/environments/:envId/applications', async (request) => {
    const actor = actorOf(request);
    return listApplications(deps, actor, pathId(request, 'envId'), pageRequest(request));
  });
  app.post('/v1/environments/:envId/applications', async (request, reply) =>
    sendVersioned(reply, 201, await createApplication(deps, actorOf(request), pathId(request, 'envId'), request.body)),
  );
  app.get(APP, async (request, reply) =>
    sendVersioned(reply, 200, await readApplication(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'appId'))),
  );
  app.put(APP, async (request, reply) => {
    const version = expectedVersion(request);
    const ids = [pathId(request, 'envId'), pathId(request, 'appId')] as const;
    return sendVersioned(reply, 200, await replaceApplication(deps, actorOf(request), ...ids, request.body, version));
  });
  app.delete(APP, async (request, reply) => {
    const version = expectedVersion(request);
    await deleteApplication(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'appId'), version);
    return reply.code(204).send();
  });

  app.get(`${APP}/secret`, async (request, reply) =>
    reply.header('Cache-Control', 'no-store').send(await readSecret(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'appId'))),
  );
  app.post(`${APP}/secret`, async (request, reply) =>
    reply
      .header('Cache-Control', 'no-store')
      .send(await rotateSecret(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'appId'), request.body)),
  );
  app.delete(`${APP}/secret`, async (request, reply) => {
    await deletePreviousSecret(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'appId'));
    return reply.code(204).send();
  });
}
