import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { applicationAttributeRoutes } from './application-attributes.js';
import { applicationRoutes } from './applications.js';
import { clientKeyRoutes } from './client-keys.js';
import { environmentRoutes } from './environments.js';
import { grantRoutes } from './grants.js';
import { groupRoutes } from './groups.js';
import { organizationRoutes } from './organizations.js';
import { passwordPolicyRoutes } from './password-policies.js';
import { populationRoutes } from './populations.js';
import { resourceAttributeRoutes } from './resource-attributes.js';
import { resourceRoutes } from './resources.js';
import { roleAssignmentRoutes } from './role-assignments.js';
import { roleRoutes } from './roles.js';
import { schemaRoutes } from './schemas.js';
import { scopeRoutes } from './scopes.js';
import { refuseFilterOnUnfilteredLists } from './unfiltered-lists.js';
import { userRoutes } from './users.js';

export function managementRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  refuseFilterOnUnfilteredLists(app);
  organizationRoutes(app, deps);
  environmentRoutes(app, deps);
  applicationRoutes(app, deps);
  applicationAttributeRoutes(app, deps);
  clientKeyRoutes(app, deps);
  resourceRoutes(app, deps);
  scopeRoutes(app, deps);
  resourceAttributeRoutes(app, deps);
  grantRoutes(app, deps);
  roleAssignmentRoutes(app, deps);
  roleRoutes(app, deps);
  populationRoutes(app, deps);
  passwordPolicyRoutes(app, deps);
  schemaRoutes(app, deps);
  userRoutes(app, deps);
  groupRoutes(app, deps);
}
