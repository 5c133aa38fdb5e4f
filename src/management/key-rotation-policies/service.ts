/**
 * Key rotation policies (PingOne's `/environments/{envId}/keyRotationPolicies`; docs.pingidentity.com,
 * "Key rotation policies"): a policy holds a CURRENT key, which signs the tokens of the
 * applications naming it (`signing.keyRotationPolicy.id`), and a NEXT key, published in the JWKS
 * from the start so that a relying party knows it before it signs anything. Rotating makes NEXT
 * CURRENT, makes a new NEXT, and keeps the former CURRENT published (PREVIOUS) until every token
 * it signed has expired. Rotations happen when due (./timer.ts) or on demand (Keyway's
 * `POST …/keyRotationPolicies/{id}/rotate`).
 */
import { newId } from '../../domain/ids.js';
import { NotFoundError } from '../../domain/pingone-error.js';
import type { SigningKeyRecord } from '../../domain/signing-key.js';
import { parseDn } from '../../keys/distinguished-name.js';
import { createKeyRecord } from '../../keys/signing-keys.js';
import type { KeyRotationPolicyRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import type { Actor } from '../roles.js';
import { parseKeyRotationPolicyBody } from './parse.js';
import { pinnedPolicyKey, type PinnedPolicyKey, type PolicyKeyState } from './pinned.js';
import { toPolicyResponse } from './serialize.js';

const DAY_MS = 86_400_000;
/** Lifetime of ID tokens and management-API tokens (src/protocol/tokens/). */
const FIXED_TOKEN_LIFETIME_SECONDS = 3600;
/** The JWKS's `Cache-Control: max-age` (src/http/oauth/routes.ts): how long a relying party may hold an old copy. */
const JWKS_MAX_AGE_SECONDS = 300;

export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

/** A new key of the policy, in the given state. */
async function policyKey(deps: ManagementDeps, policy: KeyRotationPolicyRecord, state: 'CURRENT' | 'NEXT', now: Date): Promise<SigningKeyRecord> {
  const s = policy.settings;
  const key = await createKeyRecord(
    policy.environmentId,
    {
      name: policy.name,
      keyAlgorithm: s.algorithm,
      keyLength: s.keyLength,
      signatureAlgorithm: s.signatureAlgorithm,
      subject: parseDn(s.dn) ?? [['CN', policy.name]],
      validityDays: s.validityPeriod,
      usageType: s.usageType,
      default: false,
    },
    deps.sealer,
    now,
  );
  return { ...key, rotationPolicyId: policy.id, rotationState: state };
}

async function respond(deps: ManagementDeps, policy: KeyRotationPolicyRecord): Promise<VersionedBody> {
  const keys = await deps.store.listSigningKeys(policy.environmentId);
  return { body: toPolicyResponse(policy, keys, deps.apiBase), version: policy.version };
}

async function findPolicy(deps: ManagementDeps, environmentId: string, policyId: string): Promise<KeyRotationPolicyRecord> {
  const policy = await deps.store.getKeyRotationPolicy(environmentId, policyId);
  if (!policy) throw new NotFoundError();
  return policy;
}

export async function listPolicies(deps: ManagementDeps, actor: Actor, environmentId: string) {
  await requireEnvironment(deps.store, actor, 'keys:read', environmentId);
  const policies = await deps.store.listKeyRotationPolicies(environmentId);
  const keys = await deps.store.listSigningKeys(environmentId);
  const items = policies.map((p) => toPolicyResponse(p, keys, deps.apiBase));
  return collection(`${deps.apiBase}/environments/${environmentId}/keyRotationPolicies`, 'keyRotationPolicies', { items, count: items.length }, undefined);
}

export async function readPolicy(deps: ManagementDeps, actor: Actor, environmentId: string, policyId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'keys:read', environmentId);
  return respond(deps, await findPolicy(deps, environmentId, policyId));
}

/** What a declarative configuration pins (src/declarative/): the policy's id and its keys. */
export interface CreatePolicyOptions {
  id?: string;
  keys?: Partial<Record<PolicyKeyState, PinnedPolicyKey>>;
}

/** Creates the policy with its CURRENT and NEXT keys, both published at once. */
export async function createPolicy(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown, options: CreatePolicyOptions = {}): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  const input = parseKeyRotationPolicyBody(body);
  const now = deps.now();
  const at = now.toISOString();
  const policy: KeyRotationPolicyRecord = {
    id: options.id ?? newId(),
    environmentId,
    ...input,
    rotatedAt: at,
    nextRotationAt: addDays(at, input.settings.rotationPeriod),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const keyOf = async (state: PolicyKeyState): Promise<SigningKeyRecord> => {
    const pinned = options.keys?.[state];
    return pinned ? pinnedPolicyKey(policy, state, pinned, deps.sealer, now) : policyKey(deps, policy, state, now);
  };
  const keys = [await keyOf('CURRENT'), await keyOf('NEXT')];
  await deps.store.createKeyRotationPolicy(environmentId, policy, keys);
  deps.changes.environmentChanged(environmentId);
  return respond(deps, policy);
}

/** Replaces name and settings; keys already made keep theirs, the next rotation moves with `rotationPeriod`. */
export async function replacePolicy(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  policyId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  const current = await findPolicy(deps, environmentId, policyId);
  const input = parseKeyRotationPolicyBody(body);
  const next: KeyRotationPolicyRecord = {
    ...current,
    ...input,
    nextRotationAt: addDays(current.rotatedAt, input.settings.rotationPeriod),
    updatedAt: deps.now().toISOString(),
  };
  const updated = unwrapUpdate(await deps.store.updateKeyRotationPolicy(environmentId, next, expectedVersion));
  deps.changes.environmentChanged(environmentId);
  return respond(deps, updated);
}

/**
 * Deletes the policy and its keys: they leave the JWKS at once, and applications naming the
 * policy sign with the environment's default key again.
 */
export async function deletePolicy(deps: ManagementDeps, actor: Actor, environmentId: string, policyId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  if (!(await deps.store.deleteKeyRotationPolicy(environmentId, policyId))) throw new NotFoundError();
  deps.changes.environmentChanged(environmentId);
}

/** Rotates now (Keyway extension, for tests and emergencies). */
export async function rotatePolicyNow(deps: ManagementDeps, actor: Actor, environmentId: string, policyId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'keys:write', environmentId);
  const policy = await findPolicy(deps, environmentId, policyId);
  await rotate(deps, policy, policy.rotatedAt);
  return respond(deps, await findPolicy(deps, environmentId, policyId));
}

/**
 * One rotation under the `rotated_at` guard (src/store/areas/key-rotation-policies.ts): 'stale'
 * when another instance rotated the policy since `expectedRotatedAt` was read.
 */
export async function rotate(deps: ManagementDeps, policy: KeyRotationPolicyRecord, expectedRotatedAt: string): Promise<'rotated' | 'stale' | 'not_found'> {
  const now = deps.now();
  const at = now.toISOString();
  const next = await policyKey(deps, policy, 'NEXT', now);
  const retireAt = new Date(now.getTime() + (await longestTokenLifetimeSeconds(deps, policy.environmentId) + JWKS_MAX_AGE_SECONDS) * 1000).toISOString();
  const result = await deps.store.rotateKeyRotationPolicy(policy.environmentId, policy.id, {
    expectedRotatedAt,
    rotatedAt: at,
    nextRotationAt: addDays(at, policy.settings.rotationPeriod),
    next,
    retireAt,
  });
  if (result === 'rotated') deps.changes.environmentChanged(policy.environmentId);
  return result;
}

/**
 * The longest a token the environment signs now can live: its resources' access-token lifetimes,
 * and the one hour of ID tokens and management tokens. A key retired now must stay published
 * that long, plus the JWKS's cache lifetime, so that no relying party meets an unknown `kid`.
 */
async function longestTokenLifetimeSeconds(deps: ManagementDeps, environmentId: string): Promise<number> {
  let longest = FIXED_TOKEN_LIFETIME_SECONDS;
  let after: string | undefined;
  for (;;) {
    const page = await deps.store.listResources(environmentId, { limit: 1000, ...(after === undefined ? {} : { after }) });
    for (const r of page.items) longest = Math.max(longest, r.accessTokenValiditySeconds);
    if (page.nextCursor === undefined) return longest;
    after = page.nextCursor;
  }
}
