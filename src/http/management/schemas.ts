import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { createCustomAttribute, deleteCustomAttribute, patchCustomAttribute, replaceCustomAttribute } from '../../management/schemas/custom.js';
import { listSchemaAttributes, listSchemas, readSchema, readSchemaAttribute } from '../../management/schemas/service.js';
import { actorOf, expectedVersion, pathId } from './support.js';

const COLLECTION = '/v1/environments/:envId/schemas';
const ONE = `${COLLECTION}/:schemaId`;
const ATTRIBUTE = `${ONE}/attributes/:attributeId`;

export function schemaRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listSchemas(deps, actorOf(request), pathId(request, 'envId')));
  app.get(ONE, async (request) => readSchema(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId')));
  app.get(`${ONE}/attributes`, async (request) =>
    listSchemaAttributes(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId')),
  );
  app.post(`${ONE}/attributes`, async (request, reply) =>
    reply.code(201).send(await createCustomAttribute(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId'), request.body)),
  );
  app.get(ATTRIBUTE, async (request) =>
    readSchemaAttribute(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId'), pathId(request, 'attributeId')),
  );
  app.put(ATTRIBUTE, async (request) => {
    const version = expectedVersion(request);
    const ids = [pathId(request, 'envId'), pathId(request, 'schemaId'), pathId(request, 'attributeId')] as const;
    return replaceCustomAttribute(deps, actorOf(request), ...ids, request.body, version);
  });
  app.patch(ATTRIBUTE, async (request) => {
    const version = expectedVersion(request);
    const ids = [pathId(request, 'envId'), pathId(request, 'schemaId'), pathId(request, 'attributeId')] as const;
    return patchCustomAttribute(deps, actorOf(request), ...ids, request.body, version);
  });
  app.delete(ATTRIBUTE, async (request, reply) => {
    await deleteCustomAttribute(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId'), pathId(request, 'attributeId'));
    return reply.code(204).send();
  });
}
