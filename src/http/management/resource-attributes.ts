import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createResourceAttribute,
  deleteResourceAttribute,
  listResourceAttributes,
  readResourceAttribute,
  replaceResourceAttribute,
  type ResourceAttributePath,
} from '../../management/attribute-mappings/resource-service.js';
import type { ManagementDeps } from '../../management/context.js';
import { actorOf, expectedVersion, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/resources/:resourceId/attributes';
const ONE = `${COLLECTION}/:attributeId`;

function attributePath(request: FastifyRequest): ResourceAttributePath {
  return { environmentId: pathId(request, 'envId'), resourceId: pathId(request, 'resourceId') };
}

export function resourceAttributeRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listResourceAttributes(deps, actorOf(request), attributePath(request)));
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createResourceAttribute(deps, actorOf(request), attributePath(request), request.body)),
  );
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readResourceAttribute(deps, actorOf(request), attributePath(request), pathId(request, 'attributeId'))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const result = await replaceResourceAttribute(deps, actorOf(request), attributePath(request), pathId(request, 'attributeId'), request.body, version);
    return sendVersioned(reply, 200, result);
  });
  app.delete(ONE, async (request, reply) => {
    await deleteResourceAttribute(deps, actorOf(request), attributePath(request), pathId(request, 'attributeId'));
    return reply.code(204).send();
  });
}
