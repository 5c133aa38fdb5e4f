import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  createGrant,
  deleteGrant,
  listGrants,
  readGrant,
  replaceGrant,
  type GrantPath,
} from '../../management/grants.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/applications/:appId/grants';
const ONE = `${COLLECTION}/:grantId`;

function grantPath(request: FastifyRequest): GrantPath {
  return { environmentId: pathId(request, 'envId'), applicationId: pathId(request, 'appId') };
}

export function grantRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listGrants(deps, actorOf(request), grantPath(request), pageRequest(request)));
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createGrant(deps, actorOf(request), grantPath(request), request.body)),
  );
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readGrant(deps, actorOf(request), grantPath(request), pathId(request, 'grantId'))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const result = await replaceGrant(deps, actorOf(request), grantPath(request), pathId(request, 'grantId'), request.body, version);
    return sendVersioned(reply, 200, result);
  });
  app.delete(ONE, async (request, reply) => {
    await deleteGrant(deps, actorOf(request), grantPath(request), pathId(request, 'grantId'));
    return reply.code(204).send();
  });
}
