/**
 * Keyway extension: declarative configuration over the management API (README, "Declarative
 * configuration"). `POST /v1/keyway/configuration` applies a configuration document
 * (`?dryRun=true`: only the plan; `?prune=true`: delete what it no longer lists);
 * `GET /v1/keyway/configuration` exports environments in the same format
 * (`?environmentId=`, `?includeSecrets=true`). Under `/v1/keyway`, a path PingOne's API does
 * not use; the operations run as the caller, with the permissions each underlying operation needs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { applyConfiguration } from '../../declarative/apply.js';
import { ConfigurationError } from '../../declarative/errors.js';
import { exportConfiguration } from '../../declarative/export.js';
import { isUuid } from '../../domain/ids.js';
import { InvalidDataError, InvalidRequestError } from '../../domain/pingone-error.js';
import type { ManagementDeps } from '../../management/context.js';
import { actorOf } from './support.js';

export const CONFIGURATION_PATH = '/v1/keyway/configuration';

function flag(request: FastifyRequest, name: string): boolean {
  const value = (request.query as Record<string, unknown>)[name];
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new InvalidRequestError(`${name} must be true or false.`);
}

export function configurationRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.post(CONFIGURATION_PATH, async (request) => {
    const options = { dryRun: flag(request, 'dryRun'), prune: flag(request, 'prune') };
    try {
      return await applyConfiguration(deps, actorOf(request), request.body, options);
    } catch (err) {
      // Each problem as a detail whose target is the JSON pointer into the posted document.
      if (err instanceof ConfigurationError) throw new InvalidDataError(err.issues.map((i) => ({ code: 'INVALID_VALUE', target: i.pointer, message: i.message })));
      throw err;
    }
  });
  app.get(CONFIGURATION_PATH, async (request) => {
    const environmentId = (request.query as Record<string, unknown>).environmentId;
    if (environmentId !== undefined && (typeof environmentId !== 'string' || !isUuid(environmentId))) throw new InvalidRequestError('environmentId must be an environment id.');
    return exportConfiguration(deps, actorOf(request), { ...(environmentId === undefined ? {} : { environmentId }), includeSecrets: flag(request, 'includeSecrets') });
  });
}
