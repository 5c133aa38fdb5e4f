import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { listRoles, readRole } from '../../management/roles/service.js';
import { actorOf, pathId } from './support.js';

/** Any authenticated caller may read the role catalogue; `actorOf` asserts authentication. */
export function roleRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get('/v1/roles', async (request) => {
    actorOf(request);
    return listRoles(deps);
  });
  app.get('/v1/roles/:roleId', async (request) => {
    actorOf(request);
    return readRole(deps, pathId(request, 'roleId'));
  });
}
