import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { listSchemaAttributes, listSchemas, readSchema, readSchemaAttribute } from '../../management/schemas/service.js';
import { actorOf, pathId } from './support.js';

const COLLECTION = '/v1/environments/:envId/schemas';
const ONE = `${COLLECTION}/:schemaId`;

export function schemaRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listSchemas(deps, actorOf(request), pathId(request, 'envId')));
  app.get(ONE, async (request) => readSchema(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId')));
  app.get(`${ONE}/attributes`, async (request) =>
    listSchemaAttributes(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId')),
  );
  app.get(`${ONE}/attributes/:attributeId`, async (request) =>
    readSchemaAttribute(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'schemaId'), pathId(request, 'attributeId')),
  );
}
