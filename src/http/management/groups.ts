import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import {
  addGroupParent,
  addUserToGroup,
  listGroupParents,
  listUserGroups,
  readGroupParent,
  readUserGroup,
  removeGroupParent,
  removeUserFromGroup,
} from '../../management/groups/memberships.js';
import { parseCountsRequest, parseExpandGroup } from '../../management/groups/parse.js';
import { createGroup, deleteGroup, listGroups, readGroup, replaceGroup } from '../../management/groups/service.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/groups';
const ONE = `${COLLECTION}/:groupId`;
const PARENTS = `${ONE}/memberOfGroups`;
const USER_GROUPS = '/v1/environments/:envId/users/:userId/memberOfGroups';

const query = (request: FastifyRequest) => request.query as Record<string, unknown>;
const group = (request: FastifyRequest) => [pathId(request, 'envId'), pathId(request, 'groupId')] as const;
const user = (request: FastifyRequest) => [pathId(request, 'envId'), pathId(request, 'userId')] as const;

export function groupRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) =>
    listGroups(deps, actorOf(request), pathId(request, 'envId'), pageRequest(request), query(request).filter, parseCountsRequest(query(request))),
  );
  app.post(COLLECTION, async (request, reply) => sendVersioned(reply, 201, await createGroup(deps, actorOf(request), pathId(request, 'envId'), request.body)));
  app.get(ONE, async (request, reply) =>
    sendVersioned(reply, 200, await readGroup(deps, actorOf(request), ...group(request), parseCountsRequest(query(request)))),
  );
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    return sendVersioned(reply, 200, await replaceGroup(deps, actorOf(request), ...group(request), request.body, version));
  });
  app.delete(ONE, async (request, reply) => {
    await deleteGroup(deps, actorOf(request), ...group(request));
    return reply.code(204).send();
  });

  app.get(PARENTS, async (request) => listGroupParents(deps, actorOf(request), ...group(request), pageRequest(request), parseExpandGroup(query(request))));
  app.post(PARENTS, async (request, reply) => reply.code(201).send(await addGroupParent(deps, actorOf(request), ...group(request), request.body)));
  app.get(`${PARENTS}/:parentId`, async (request) =>
    readGroupParent(deps, actorOf(request), ...group(request), pathId(request, 'parentId'), parseExpandGroup(query(request))),
  );
  app.delete(`${PARENTS}/:parentId`, async (request, reply) => {
    await removeGroupParent(deps, actorOf(request), ...group(request), pathId(request, 'parentId'));
    return reply.code(204).send();
  });

  app.get(USER_GROUPS, async (request) => listUserGroups(deps, actorOf(request), ...user(request), pageRequest(request), parseExpandGroup(query(request))));
  app.post(USER_GROUPS, async (request, reply) => reply.code(201).send(await addUserToGroup(deps, actorOf(request), ...user(request), request.body)));
  app.get(`${USER_GROUPS}/:groupId`, async (request) =>
    readUserGroup(deps, actorOf(request), ...user(request), pathId(request, 'groupId'), parseExpandGroup(query(request))),
  );
  app.delete(`${USER_GROUPS}/:groupId`, async (request, reply) => {
    await removeUserFromGroup(deps, actorOf(request), ...user(request), pathId(request, 'groupId'));
    return reply.code(204).send();
  });
}
