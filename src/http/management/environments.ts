import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  createEnvironment,
  deleteEnvironment,
  listEnvironments,
  readEnvironment,
  replaceEnvironment,
} from '../../management/environments/service.js';
import { changeEnvironmentType, readEnvironmentBillOfMaterials, replaceBillOfMaterials } from '../../management/environments/extras-service.js';
import { readClientAuthSettings, replaceClientAuthSettings } from '../../management/environments/client-auth-settings.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

export function environmentRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get('/v1/environments', async (request) => {
    return listEnvironments(deps, actorOf(request), pageRequest(request), (request.query as { filter?: unknown }).filter);
  });
  app.post('/v1/environments', async (request, reply) =>
    sendVersioned(reply, 201, await createEnvironment(deps, actorOf(request), request.body)),
  );
  app.get('/v1/environments/:envId', async (request, reply) =>
    sendVersioned(reply, 200, await readEnvironment(deps, actorOf(request), pathId(request, 'envId'))),
  );
  app.put('/v1/environments/:envId', async (request, reply) => {
    const version = expectedVersion(request);
    const result = await replaceEnvironment(deps, actorOf(request), pathId(request, 'envId'), request.body, version);
    return sendVersioned(reply, 200, result);
  });
  app.delete('/v1/environments/:envId', async (request, reply) => {
    await deleteEnvironment(deps, actorOf(request), pathId(request, 'envId'));
    return reply.code(204).send();
  });
  app.get('/v1/environments/:envId/clientAuthenticationSettings', async (request) =>
    readClientAuthSettings(deps, actorOf(request), pathId(request, 'envId')),
  );
  app.put('/v1/environments/:envId/clientAuthenticationSettings', async (request) =>
    replaceClientAuthSettings(deps, actorOf(request), pathId(request, 'envId'), request.body),
  );
  app.get('/v1/environments/:envId/billOfMaterials', async (request) =>
    readEnvironmentBillOfMaterials(deps, actorOf(request), pathId(request, 'envId')),
  );
  app.put('/v1/environments/:envId/billOfMaterials', async (request) =>
    replaceBillOfMaterials(deps, actorOf(request), pathId(request, 'envId'), request.body),
  );
  app.put('/v1/environments/:envId/type', async (request, reply) =>
    sendVersioned(reply, 200, await changeEnvironmentType(deps, actorOf(request), pathId(request, 'envId'), request.body)),
  );
}
