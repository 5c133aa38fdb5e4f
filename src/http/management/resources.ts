import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  createResource,
  deleteResource,
  listResources,
  readResource,
  replaceResource,
} from '../../management/resources.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/resources';
const ONE = `${COLLECTION}/:resourceId`;

export function resourceRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => {
    const actor = actorOf(request);
    return listResources(deps, actor, pathId(request, 'envId'), pageRequest(request));
  });
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createResource(deps, actorOf(request), pathId(request, 'envId'), request.body)),
  );
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readResource(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'resourceId'))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const ids = [pathId(request, 'envId'), pathId(request, 'resourceId')] as const;
    return sendVersioned(reply, 200, await replaceResource(deps, actorOf(request), ...ids, request.body, version));
  });
  app.delete(ONE, async (request, reply) => {
    await deleteResource(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'resourceId'));
    return reply.code(204).send();
  });
}
