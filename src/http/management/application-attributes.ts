import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createApplicationAttribute,
  deleteApplicationAttribute,
  listApplicationAttributes,
  readApplicationAttribute,
  replaceApplicationAttribute,
  type AttributePath,
} from '../../management/attribute-mappings/application-service.js';
import type { ManagementDeps } from '../../management/context.js';
import { actorOf, expectedVersion, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/applications/:appId/attributes';
const ONE = `${COLLECTION}/:attributeId`;

function attributePath(request: FastifyRequest): AttributePath {
  return { environmentId: pathId(request, 'envId'), applicationId: pathId(request, 'appId') };
}

export function applicationAttributeRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listApplicationAttributes(deps, actorOf(request), attributePath(request)));
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createApplicationAttribute(deps, actorOf(request), attributePath(request), request.body)),
  );
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readApplicationAttribute(deps, actorOf(request), attributePath(request), pathId(request, 'attributeId'))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const result = await replaceApplicationAttribute(deps, actorOf(request), attributePath(request), pathId(request, 'attributeId'), request.body, version);
    return sendVersioned(reply, 200, result);
  });
  app.delete(ONE, async (request, reply) => {
    await deleteApplicationAttribute(deps, actorOf(request), attributePath(request), pathId(request, 'attributeId'));
    return reply.code(204).send();
  });
}
