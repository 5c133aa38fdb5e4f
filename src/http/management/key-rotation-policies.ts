import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { createPolicy, deletePolicy, listPolicies, readPolicy, replacePolicy, rotatePolicyNow } from '../../management/key-rotation-policies/service.js';
import { actorOf, expectedVersion, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/keyRotationPolicies';
const ONE = `${COLLECTION}/:policyId`;

export function keyRotationPolicyRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listPolicies(deps, actorOf(request), pathId(request, 'envId')));
  app.post(COLLECTION, async (request, reply) => sendVersioned(reply, 201, await createPolicy(deps, actorOf(request), pathId(request, 'envId'), request.body)));
  app.get(ONE, async (request, reply) => sendVersioned(reply, 200, await readPolicy(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'policyId'))));
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const ids = [pathId(request, 'envId'), pathId(request, 'policyId')] as const;
    return sendVersioned(reply, 200, await replacePolicy(deps, actorOf(request), ...ids, request.body, version));
  });
  app.delete(ONE, async (request, reply) => {
    await deletePolicy(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'policyId'));
    return reply.code(204).send();
  });
  // Keyway extension: rotate now instead of waiting for `rotationPeriod`.
  app.post(`${ONE}/rotate`, async (request, reply) =>
    sendVersioned(reply, 200, await rotatePolicyNow(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'policyId'))),
  );
}
