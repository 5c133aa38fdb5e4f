import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  createPopulation,
  deletePopulation,
  listPopulations,
  readPopulation,
  replacePopulation,
} from '../../management/populations.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/populations';
const ONE = `${COLLECTION}/:populationId`;

export function populationRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) =>
    listPopulations(deps, actorOf(request), pathId(request, 'envId'), pageRequest(request), (request.query as { filter?: unknown }).filter),
  );
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createPopulation(deps, actorOf(request), pathId(request, 'envId'), request.body)),
  );
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readPopulation(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'populationId'))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const ids = [pathId(request, 'envId'), pathId(request, 'populationId')] as const;
    return sendVersioned(reply, 200, await replacePopulation(deps, actorOf(request), ...ids, request.body, version));
  });
  app.delete(ONE, async (request, reply) => {
    await deletePopulation(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'populationId'));
    return reply.code(204).send();
  });
}
