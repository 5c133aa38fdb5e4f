import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  createRoleAssignment,
  deleteRoleAssignment,
  listRoleAssignments,
  readRoleAssignment,
  type RoleAssignmentPath,
} from '../../management/role-assignments.js';
import { actorOf, pageRequest, pathId } from './support.js';

const COLLECTION = '/v1/environments/:envId/applications/:appId/roleAssignments';
const ONE = `${COLLECTION}/:assignmentId`;

function assignmentPath(request: FastifyRequest): RoleAssignmentPath {
  return { environmentId: pathId(request, 'envId'), applicationId: pathId(request, 'appId') };
}

/** Role assignments carry no version, so no ETag; PingOne has no PUT for them. */
export function roleAssignmentRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => listRoleAssignments(deps, actorOf(request), assignmentPath(request), pageRequest(request)));
  app.post(COLLECTION, async (request, reply) =>
    reply.code(201).send(await createRoleAssignment(deps, actorOf(request), assignmentPath(request), request.body)),
  );
  app.get(ONE, async (request) =>
    readRoleAssignment(deps, actorOf(request), assignmentPath(request), pathId(request, 'assignmentId')),
  );
  app.delete(ONE, async (request, reply) => {
    await deleteRoleAssignment(deps, actorOf(request), assignmentPath(request), pathId(request, 'assignmentId'));
    return reply.code(204).send();
  });
}
