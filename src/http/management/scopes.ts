import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  createScope,
  deleteScope,
  listScopes,
  readScope,
  replaceScope,
  type ScopePath,
} from '../../management/scopes.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/resources/:resourceId/scopes';
const ONE = `${COLLECTION}/:scopeId`;

function scopePath(request: FastifyRequest): ScopePath {
  return { environmentId: pathId(request, 'envId'), resourceId: pathId(request, 'resourceId') };
}

export function scopeRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listScopes(deps, actorOf(request), scopePath(request), pageRequest(request)));
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createScope(deps, actorOf(request), scopePath(request), request.body)),
  );
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readScope(deps, actorOf(request), scopePath(request), pathId(request, 'scopeId'))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const result = await replaceScope(deps, actorOf(request), scopePath(request), pathId(request, 'scopeId'), request.body, version);
    return sendVersioned(reply, 200, result);
  });
  app.delete(ONE, async (request, reply) => {
    await deleteScope(deps, actorOf(request), scopePath(request), pathId(request, 'scopeId'));
    return reply.code(204).send();
  });
}
