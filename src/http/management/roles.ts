import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { listRoles, readRole } from '../../management/roles/service.js';
import { noFilter, parseCollectionFilter } from '../../management/filter/spec.js';
import { actorOf, pathId } from './support.js';

/** Any authenticated caller may read the role catalogue; `actorOf` asserts authentication. */
export function roleRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get('/v1/roles', async (request) => {
    actorOf(request);
    // The catalogue is fixed and small; a filter is refused, never ignored.
    parseCollectionFilter(noFilter('roles'), (request.query as { filter?: unknown }).filter);
    return listRoles(deps);
  });
  app.get('/v1/roles/:roleId', async (request) => {
    actorOf(request);
    return readRole(deps, pathId(request, 'roleId'));
  });
}
