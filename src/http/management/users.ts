import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../../domain/pingone-error.js';
import type { ManagementDeps } from '../../management/context.js';
import { PASSWORD_SET_MEDIA_TYPE, readPasswordState, setPassword } from '../../management/users/password-service.js';
import { parseUserInclude } from '../../management/users/include.js';
import { createUser, deleteUser, listUsers, patchUser, readUser, replaceUser } from '../../management/users/service.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/users';
const ONE = `${COLLECTION}/:userId`;

const ids = (request: FastifyRequest) => [pathId(request, 'envId'), pathId(request, 'userId')] as const;

/** PingOne sets passwords only with its vendor media type; any other body type is a 415. */
function assertPasswordSetType(request: FastifyRequest): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== PASSWORD_SET_MEDIA_TYPE) {
    throw new UnsupportedMediaTypeError(`Set a password with Content-Type: ${PASSWORD_SET_MEDIA_TYPE}.`);
  }
}

export function userRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => {
    const { filter, include } = request.query as { filter?: unknown; include?: unknown };
    return listUsers(deps, actorOf(request), pathId(request, 'envId'), pageRequest(request), filter, parseUserInclude(include));
  });
  app.post(COLLECTION, async (request, reply) =>
    sendVersioned(reply, 201, await createUser(deps, actorOf(request), pathId(request, 'envId'), request.body)),
  );
  app.get(ONE, async (request, reply) => {
    const include = parseUserInclude((request.query as { include?: unknown }).include);
    return sendVersioned(reply, 200, await readUser(deps, actorOf(request), ...ids(request), include));
  });
  app.put(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    return sendVersioned(reply, 200, await replaceUser(deps, actorOf(request), ...ids(request), request.body, version));
  });
  app.patch(ONE, async (request, reply) => {
    const version = expectedVersion(request);
    return sendVersioned(reply, 200, await patchUser(deps, actorOf(request), ...ids(request), request.body, version));
  });
  app.delete(ONE, async (request, reply) => {
    await deleteUser(deps, actorOf(request), ...ids(request), expectedVersion(request));
    return reply.code(204).send();
  });

  app.get(`${ONE}/password`, async (request, reply) =>
    reply.header('Cache-Control', 'no-store').send(await readPasswordState(deps, actorOf(request), ...ids(request))),
  );
  app.put(`${ONE}/password`, async (request, reply) => {
    assertPasswordSetType(request);
    return reply.header('Cache-Control', 'no-store').send(await setPassword(deps, actorOf(request), ...ids(request), request.body));
  });
}
