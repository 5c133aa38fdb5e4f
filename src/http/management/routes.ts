import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { applicationRoutes } from './applications.js';
import { clientKeyRoutes } from './client-keys.js';
import { environmentRoutes } from './environments.js';
import { grantRoutes } from './grants.js';
import { groupRoutes } from './groups.js';
import { keyRotationPolicyRoutes } from './key-rotation-policies.js';
import { keyRoutes } from './keys.js';
import { organizationRoutes } from './organizations.js';
import { passwordPolicyRoutes } from './password-policies.js';
import { populationRoutes } from './populations.js';
import { resourceRoutes } from './resources.js';
import { roleAssignmentRoutes } from './role-assignments.js';
import { roleRoutes } from './roles.js';
import { schemaRoutes } from './schemas.js';
import { scopeRoutes } from './scopes.js';
import { userRoutes } from './users.js';

export function managementRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  organizationRoutes(app, deps);
  environmentRoutes(app, deps);
  applicationRoutes(app, deps);
  clientKeyRoutes(app, deps);
  resourceRoutes(app, deps);
  scopeRoutes(app, deps);
  grantRoutes(app, deps);
  roleAssignmentRoutes(app, deps);
  roleRoutes(app, deps);
  populationRoutes(app, deps);
  passwordPolicyRoutes(app, deps);
  schemaRoutes(app, deps);
  userRoutes(app, deps);
  groupRoutes(app, deps);
  keyRoutes(app, deps);
  keyRotationPolicyRoutes(app, deps);
}
