import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../../domain/pingone-error.js';
import type { ManagementDeps } from '../../management/context.js';
import {
  ACCOUNT_LOCK_MEDIA_TYPE,
  ACCOUNT_UNLOCK_MEDIA_TYPE,
  lockUser,
  readUserEnabled,
  readUserPopulation,
  setUserEnabled,
  setUserPopulation,
  unlockUser,
} from '../../management/users/account-service.js';
import { checkPassword, PASSWORD_MEDIA_TYPES, readPasswordState, recoverPassword, resetPassword, setPassword } from '../../management/users/password-service.js';
import { parseUserInclude, refuseUserExpand } from '../../management/users/include.js';
import { createUser, deleteUser, listUsers, patchUser, readUser, replaceUser } from '../../management/users/service.js';
import { actorOf, expectedVersion, pageRequest, pathId, sendVersioned } from './support.js';

const COLLECTION = '/v1/environments/:envId/users';
const ONE = `${COLLECTION}/:userId`;
const USER_IMPORT_MEDIA_TYPE = 'application/vnd.pingidentity.user.import+json';

const ids = (request: FastifyRequest) => [pathId(request, 'envId'), pathId(request, 'userId')] as const;

const mediaType = (request: FastifyRequest): string => (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * PingOne picks some user operations by the body's vendor media type; any other type is a 415
 * naming the ones the operation takes. Media types compare without regard to case (RFC 9110 §8.3.1).
 */
function pick<T extends string>(request: FastifyRequest, accepted: readonly T[], what: string): T {
  const type = mediaType(request);
  const found = accepted.find((t) => t.toLowerCase() === type);
  if (found === undefined) throw new UnsupportedMediaTypeError(`${what} takes Content-Type ${accepted.join(' or ')}.`);
  return found;
}

export function userRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get(COLLECTION, async (request) => {
    const { filter, include, expand } = request.query as { filter?: unknown; include?: unknown; expand?: unknown };
    refuseUserExpand(expand);
    return listUsers(deps, actorOf(request), pathId(request, 'envId'), pageRequest(request), filter, parseUserInclude(include));
  });
  app.post(COLLECTION, async (request, reply) => {
    const type = pick(request, ['application/json', USER_IMPORT_MEDIA_TYPE], 'Creating a user');
    const imported = type === USER_IMPORT_MEDIA_TYPE;
    return sendVersioned(reply, 201, await createUser(deps, actorOf(request), pathId(request, 'envId'), request.body, imported));
  });
  app.get(ONE, async (request, reply) => {
    const { include: rawInclude, expand } = request.query as { include?: unknown; expand?: unknown };
    refuseUserExpand(expand);
    const include = parseUserInclude(rawInclude);
    return sendVersioned(reply, 200, await readUser(deps, actorOf(request), ...ids(request), include));
  });
  app.post(ONE, async (request, reply) => {
    const type = pick(request, [ACCOUNT_UNLOCK_MEDIA_TYPE, ACCOUNT_LOCK_MEDIA_TYPE], 'POST on a user');
    const operation = type === ACCOUNT_LOCK_MEDIA_TYPE ? lockUser : unlockUser;
    return sendVersioned(reply, 200, await operation(deps, actorOf(request), ...ids(request)));
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

  app.get(`${ONE}/enabled`, async (request) => readUserEnabled(deps, actorOf(request), ...ids(request)));
  app.put(`${ONE}/enabled`, async (request) => setUserEnabled(deps, actorOf(request), ...ids(request), request.body));
  app.get(`${ONE}/population`, async (request) => readUserPopulation(deps, actorOf(request), ...ids(request)));
  app.put(`${ONE}/population`, async (request) => setUserPopulation(deps, actorOf(request), ...ids(request), request.body));

  app.get(`${ONE}/password`, async (request, reply) =>
    reply.header('Cache-Control', 'no-store').send(await readPasswordState(deps, actorOf(request), ...ids(request))),
  );
  app.put(`${ONE}/password`, async (request, reply) => {
    const type = pick(request, [PASSWORD_MEDIA_TYPES.set, PASSWORD_MEDIA_TYPES.reset], 'Setting a password');
    const write = type === PASSWORD_MEDIA_TYPES.set ? setPassword : resetPassword;
    return reply.header('Cache-Control', 'no-store').send(await write(deps, actorOf(request), ...ids(request), request.body));
  });
  app.post(`${ONE}/password`, async (request, reply) => {
    const { check, recover, sendRecoveryCode } = PASSWORD_MEDIA_TYPES;
    const type = pick(request, [check, recover, sendRecoveryCode], 'POST on a password');
    if (type !== check) return recoverPassword(deps, actorOf(request), ...ids(request), type);
    return reply.header('Cache-Control', 'no-store').send(await checkPassword(deps, actorOf(request), ...ids(request), request.body));
  });
}
