/**
 * Password policies: list, read, create, replace (PUT), delete (OpenAPI `PasswordPolicy`,
 * operations createPasswordPolicy … deletePasswordPolicy; developer.pingidentity.com, "Password
 * Policies"). Exactly one policy of an environment is the default: making another the default
 * moves the flag, and the default cannot be unset directly or deleted. A policy a population
 * names cannot be deleted either. The effective policy of a user is the one its population names,
 * else the environment's default (`effectivePasswordPolicy`).
 */
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import type { PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import { UniqueViolation, type PasswordPolicyRecord, type Store } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { unwrapUpdate, type CreateOptions } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { Actor } from '../roles.js';
import { STANDARD_POLICY } from './built-in.js';
import { parsePasswordPolicyBody, type PasswordPolicyInput } from './parse.js';
import { toPasswordPolicyResponse } from './serialize.js';

export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

/**
 * The rules that govern users of `populationId`. An environment always has a default policy once
 * created (seeded, or by migration 0008); Standard's rules stand in should a store have none.
 */
export async function effectivePasswordPolicy(store: Pick<Store, 'getEffectivePasswordPolicy'>, environmentId: string, populationId: string): Promise<PasswordPolicySettings> {
  return (await store.getEffectivePasswordPolicy(environmentId, populationId))?.settings ?? STANDARD_POLICY;
}

export async function listPasswordPolicies(deps: ManagementDeps, actor: Actor, environmentId: string) {
  await requireEnvironment(deps.store, actor, 'passwordPolicies:read', environmentId);
  const policies = await deps.store.listPasswordPolicies(environmentId);
  const items = await Promise.all(policies.map(async (p) => (await respond(deps, p)).body));
  return {
    _links: { self: { href: `${deps.apiBase}/environments/${environmentId}/passwordPolicies` } },
    _embedded: { passwordPolicies: items },
    count: items.length,
    size: items.length,
  };
}

async function findPolicy(deps: ManagementDeps, environmentId: string, policyId: string): Promise<PasswordPolicyRecord> {
  const policy = await deps.store.getPasswordPolicy(environmentId, policyId);
  if (!policy) throw new NotFoundError();
  return policy;
}

export async function readPasswordPolicy(deps: ManagementDeps, actor: Actor, environmentId: string, policyId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'passwordPolicies:read', environmentId);
  return respond(deps, await findPolicy(deps, environmentId, policyId));
}

export async function createPasswordPolicy(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'passwordPolicies:write', environmentId);
  const input = parsePasswordPolicyBody(body);
  const at = deps.now().toISOString();
  const policy: PasswordPolicyRecord = {
    id: options.id ?? newId(),
    environmentId,
    name: input.name,
    default: input.default ?? false,
    settings: input.settings,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await withUniqueName(() => deps.store.createPasswordPolicy(environmentId, policy), input.name);
  return respond(deps, policy);
}

export async function replacePasswordPolicy(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  policyId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'passwordPolicies:write', environmentId);
  const current = await findPolicy(deps, environmentId, policyId);
  const input = checkPasswordPolicyReplacement(body, current);
  const next: PasswordPolicyRecord = {
    ...current,
    name: input.name,
    default: input.default ?? current.default,
    settings: input.settings,
    updatedAt: deps.now().toISOString(),
  };
  const updated = unwrapUpdate(await withUniqueName(() => deps.store.updatePasswordPolicy(environmentId, next, expectedVersion), input.name));
  return respond(deps, updated);
}

/** The rules a replacement of `current` holds `body` to, without writing (also the declarative check pass's). */
export function checkPasswordPolicyReplacement(body: unknown, current: Pick<PasswordPolicyRecord, 'default'>): PasswordPolicyInput {
  const input = parsePasswordPolicyBody(body);
  if (current.default && input.default === false) {
    throw new InvalidDataError([
      detail.constraint('default', 'An environment always has a default password policy: make another policy the default instead.'),
    ]);
  }
  return input;
}

export async function deletePasswordPolicy(deps: ManagementDeps, actor: Actor, environmentId: string, policyId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'passwordPolicies:write', environmentId);
  const result = await deps.store.deletePasswordPolicy(environmentId, policyId);
  if (result === 'deleted') return;
  if (result === 'not_found') throw new NotFoundError();
  // PingOne: "You cannot delete a password policy if it is set as the default for the
  // environment, or is referenced by a population."
  const [target, message] =
    result === 'default'
      ? ['default', 'The default password policy cannot be deleted: make another policy the default first.']
      : ['populationCount', 'A password policy that a population uses cannot be deleted: assign the populations another policy first.'];
  throw new InvalidDataError([detail.constraint(target, message)]);
}

async function respond(deps: ManagementDeps, policy: PasswordPolicyRecord): Promise<VersionedBody> {
  const populationCount = await deps.store.countPopulationsWithPasswordPolicy(policy.environmentId, policy.id);
  return { body: toPasswordPolicyResponse(policy, populationCount, deps.apiBase), version: policy.version };
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      throw new InvalidDataError([detail.unique('name', `A password policy named "${name}" already exists in this environment.`)]);
    }
    throw err;
  }
}
