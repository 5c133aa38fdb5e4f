import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { listLicenses, listOrganizations, readLicense, readOrganization } from '../../management/organizations/service.js';
import { actorOf, filterParam, pathId } from './support.js';

export function organizationRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get('/v1/organizations', async (request) => listOrganizations(deps, actorOf(request), filterParam(request)));
  app.get('/v1/organizations/:orgId', async (request) => readOrganization(deps, actorOf(request), pathId(request, 'orgId')));
  app.get('/v1/organizations/:orgId/licenses', async (request) => listLicenses(deps, actorOf(request), pathId(request, 'orgId'), filterParam(request)));
  app.get('/v1/organizations/:orgId/licenses/:licenseId', async (request) =>
    readLicense(deps, actorOf(request), pathId(request, 'orgId'), pathId(request, 'licenseId')),
  );
}
