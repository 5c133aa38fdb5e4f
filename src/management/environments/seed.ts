/**
 * What every new environment starts with: its signing key, a default population, the `openid`
 * resource with the standard scopes, the PingOne API resource, and PingOne's built-in password
 * policies (../password-policies/built-in.ts); docs/pingone-reference.md §5.2, §5.3.
 */
import { newId } from '../../domain/ids.js';
import { builtInPasswordPolicies } from '../password-policies/built-in.js';
import { generateSigningKey, type SigningKeyPairSource } from '../../keys/signing-keys.js';
import type { Sealer } from '../../keys/master-key.js';
import type { EnvironmentRecord, NewEnvironmentBundle, ResourceRecord, RoleAssignmentRecord, ScopeRecord } from '../../store/types.js';

export const OPENID_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'] as const;

export interface SeedOptions {
  environment: EnvironmentRecord;
  sealer: Sealer;
  publicUrl: string;
  now: Date;
  roleAssignments: RoleAssignmentRecord[];
  /** The signing key's key pair (tests); default: a new one. */
  keyPair?: SigningKeyPairSource;
}

export async function seedEnvironment(opts: SeedOptions): Promise<NewEnvironmentBundle> {
  const { environment, now } = opts;
  const at = now.toISOString();
  const stamp = { version: 1, createdAt: at, updatedAt: at };
  const envId = environment.id;
  // The built-in resources' stored audiences are what the public URL gave at creation; every
  // reader derives them from the current one instead (src/domain/resource-audience.ts).
  const openid: ResourceRecord = {
    id: newId(),
    environmentId: envId,
    name: 'openid',
    type: 'OPENID_CONNECT',
    description: 'OpenID Connect scopes for user information.',
    audience: `${opts.publicUrl}/${envId}/as`,
    accessTokenValiditySeconds: 3600,
    ...stamp,
  };
  const api: ResourceRecord = {
    id: newId(),
    environmentId: envId,
    name: 'PingOne API',
    type: 'PINGONE_API',
    description: 'The management API of this deployment.',
    audience: opts.publicUrl,
    accessTokenValiditySeconds: 3600,
    ...stamp,
  };
  const scopes: ScopeRecord[] = OPENID_SCOPES.map((name) => ({
    id: newId(),
    environmentId: envId,
    resourceId: openid.id,
    name,
    ...stamp,
  }));
  return {
    environment,
    signingKey: await generateSigningKey(envId, opts.sealer, now, opts.keyPair),
    population: { id: newId(), environmentId: envId, name: 'Default', default: true, ...stamp },
    resources: [openid, api],
    scopes,
    roleAssignments: opts.roleAssignments,
    passwordPolicies: builtInPasswordPolicies(envId, at),
  };
}
