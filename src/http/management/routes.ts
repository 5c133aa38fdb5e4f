import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/context.js';
import { applicationRoutes } from './applications.js';
import { environmentRoutes } from './environments.js';

export function managementRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  environmentRoutes(app, deps);
  applicationRoutes(app, deps);
}
