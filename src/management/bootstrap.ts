/**
 * First start: the organization, the `Administrators` environment and its admin WORKER
 * application holding Organization Admin (plus Environment Admin, Client Application Developer and
 * Identity Data Admin on that environment). A later start on the same data finds the organization
 * and creates nothing. The organization row is written last, so a start interrupted halfway is
 * completed by the next one.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { newId } from '../domain/ids.js';
import type { EnvironmentRecord, RoleAssignmentRecord } from '../store/types.js';
import { generateClientSecret, newSecretRecord } from './applications/secret.js';
import { parseApplicationBody } from './applications/validate.js';
import type { ManagementDeps } from './context.js';
import { seedEnvironment } from './environments/seed.js';
import { ROLES } from './roles.js';

export interface BootstrapResult {
  organizationId: string;
  /** The organization's license: what `POST /v1/environments` names in `license.id`. */
  licenseId: string;
  created: boolean;
  /** Present when created: what bootstrap.json holds. */
  summary: Record<string, string>;
}

export const BOOTSTRAP_FILE = 'bootstrap.json';

export async function ensureBootstrap(deps: ManagementDeps, config: Config): Promise<BootstrapResult> {
  const existing = await deps.store.getOrganization();
  if (existing) return { organizationId: existing.id, licenseId: existing.licenseId, created: false, summary: {} };

  const organizationId = newId();
  const environmentId = config.bootstrap.environmentId ?? newId();
  const clientId = config.bootstrap.clientId ?? newId();
  const clientSecret = config.bootstrap.clientSecret ?? generateClientSecret();
  const now = deps.now();
  const at = now.toISOString();

  // Leftovers of an interrupted first start (no organization row yet) are removed first.
  if (await deps.store.getEnvironment(environmentId)) await deps.store.deleteEnvironment(environmentId);

  const environment: EnvironmentRecord = {
    id: environmentId,
    organizationId,
    name: 'Administrators',
    description: 'Holds the administrator applications of this Keyway organization.',
    region: 'NA',
    type: 'PRODUCTION',
    licenseId: newId(),
    status: 'ACTIVE',
    extras: {},
    settings: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.createEnvironment(
    await seedEnvironment({ environment, sealer: deps.sealer, publicUrl: deps.publicUrl, now, roleAssignments: [], keyPair: deps.signingKeyPair }),
  );
  const config_ = parseApplicationBody(
    {
      name: 'Keyway Admin Worker',
      description: 'Created at first start; holds the Organization Admin role.',
      enabled: true,
      type: 'WORKER',
      protocol: 'OPENID_CONNECT',
      tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    },
    { kind: 'create' },
  );
  await deps.store.createApplication(environmentId, {
    application: { id: clientId, environmentId, config: config_, version: 1, createdAt: at, updatedAt: at },
    secret: newSecretRecord(environmentId, clientId, clientSecret, deps.sealer, now),
  });
  for (const assignment of adminAssignments(organizationId, environmentId, clientId, at)) {
    await deps.store.createRoleAssignment(environmentId, assignment);
  }
  await deps.store.createOrganization({ id: organizationId, name: 'Keyway', licenseId: environment.licenseId, createdAt: at });

  const summary = {
    environmentId,
    clientId,
    clientSecret,
    organizationId,
    licenseId: environment.licenseId,
    tokenEndpoint: `${config.publicUrl}/${environmentId}/as/token`,
    apiPath: config.publicUrl,
    authPath: config.publicUrl,
  };
  writeBootstrapFile(config.dataDir, summary);
  return { organizationId, licenseId: environment.licenseId, created: true, summary };
}

function adminAssignments(organizationId: string, environmentId: string, clientId: string, at: string): RoleAssignmentRecord[] {
  const assignment = (roleId: string, scopeType: 'ORGANIZATION' | 'ENVIRONMENT', scopeId: string): RoleAssignmentRecord => ({
    id: newId(),
    environmentId,
    applicationId: clientId,
    roleId,
    scopeType,
    scopeId,
    createdAt: at,
  });
  return [
    assignment(ROLES.organizationAdmin.id, 'ORGANIZATION', organizationId),
    assignment(ROLES.environmentAdmin.id, 'ENVIRONMENT', environmentId),
    assignment(ROLES.clientApplicationDeveloper.id, 'ENVIRONMENT', environmentId),
    assignment(ROLES.identityDataAdmin.id, 'ENVIRONMENT', environmentId),
  ];
}

function writeBootstrapFile(dataDir: string, summary: Record<string, string>): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, BOOTSTRAP_FILE);
  writeFileSync(path, JSON.stringify(summary, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
}
