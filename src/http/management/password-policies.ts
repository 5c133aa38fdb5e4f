import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  createPasswordPolicy,
  deletePasswordPolicy,
  listPasswordPolicies,
  readPasswordPolicy,
  replacePasswordPolicy,
} from '../../management/password-policies/service.js';
import { actorOf, expectedVersion, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/passwordPolicies';
const ONE = `${COLLECTION}/:passwordPolicyId`;

export function passwordPolicyRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listPasswordPolicies(deps, actorOf(request), pathId(request, 'envId')));
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createPasswordPolicy(deps, actorOf(request), pathId(request, 'envId'), request.body)),
  );
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readPasswordPolicy(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'passwordPolicyId'))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    const ids = [pathId(request, 'envId'), pathId(request, 'passwordPolicyId')] as const;
    return sendVersioned(reply, 200, await replacePasswordPolicy(deps, actorOf(request), ...ids, request.body, version));
  });
  app.delete(ONE, async (request, reply) => {
    await deletePasswordPolicy(deps, actorOf(request), pathId(request, 'envId'), pathId(request, 'passwordPolicyId'));
    return reply.code(204).send();
  });
}
