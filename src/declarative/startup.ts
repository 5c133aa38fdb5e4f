/**
 * KEYWAY_CONFIG_FILE and `buildApp`'s `configuration` option: a configuration applied at start,
 * after the bootstrap and before the server answers, as the bootstrap admin worker (the
 * Organization Admin application of the Administrators environment), so that it is held to the
 * same rules as `keyway apply`. A file that cannot be applied stops the start.
 */
import { ROLES, type Actor } from '../management/roles.js';
import type { ManagementDeps } from '../management/context.js';
import { applyConfiguration } from './apply.js';
import { ConfigurationError } from './errors.js';
import { inFile, loadConfigurationFile, type LoadedConfiguration } from './load.js';
import { checkShape } from './shape.js';
import type { ApplyResult } from './plan.js';

export interface StartupConfiguration {
  /** A YAML or JSON file. */
  path?: string;
  /** A document already read (an object in the file's format). */
  document?: unknown;
  /** Where `${VAR}` of a file are read; default: the process environment. */
  variables?: Readonly<Record<string, string | undefined>>;
}

export async function applyAtStartup(deps: ManagementDeps, organizationId: string, configuration: StartupConfiguration): Promise<ApplyResult> {
  if ((configuration.path === undefined) === (configuration.document === undefined)) {
    throw new ConfigurationError('<configuration>', [{ pointer: '', message: 'give the configuration as one of path or document.' }]);
  }
  const loaded: LoadedConfiguration =
    configuration.path !== undefined
      ? loadConfigurationFile(configuration.path, configuration.variables ?? process.env)
      : { file: '<configuration>', document: configuration.document, lines: new Map() };
  if (configuration.path === undefined) {
    const issues = checkShape(loaded.document);
    if (issues.length > 0) throw new ConfigurationError(loaded.file, issues);
  }
  try {
    return await applyConfiguration(deps, await bootstrapAdmin(deps, organizationId), loaded.document, { file: loaded.file });
  } catch (err) {
    throw err instanceof ConfigurationError ? inFile(err, loaded) : err;
  }
}

/** The application holding the Organization Admin role in the Administrators environment. */
async function bootstrapAdmin(deps: ManagementDeps, organizationId: string): Promise<Actor> {
  const envs = await deps.store.listEnvironments(organizationId, { limit: 1000 });
  for (const env of envs.items.filter((e) => e.name === 'Administrators')) {
    for (const app of (await deps.store.listApplications(env.id, { limit: 1000 })).items) {
      const assignments = await deps.store.listRoleAssignments(env.id, app.id);
      if (assignments.some((a) => a.roleId === ROLES.organizationAdmin.id && a.scopeType === 'ORGANIZATION')) {
        return { organizationId, environmentId: env.id, applicationId: app.id, assignments };
      }
    }
  }
  throw new Error('the bootstrap admin application was not found: a configuration cannot be applied');
}
