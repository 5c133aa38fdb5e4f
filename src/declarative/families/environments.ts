/**
 * Environments: the PingOne environment body (`license` may be left out: the organization's one
 * license), then everything in it, parents before children: client-authentication settings,
 * keys, key rotation policies (before the applications naming them), the user schema's custom
 * attributes (before the users holding their values), password policies (before the populations
 * naming them), the directory, resources, applications.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import {
  parseClientAuthSettings,
  readClientAuthSettings,
  replaceClientAuthSettings,
} from '../../management/environments/client-auth-settings.js';
import { parseEnvironmentBody } from '../../management/environments/parse.js';
import { createEnvironment, deleteEnvironment, listEnvironments, replaceEnvironment } from '../../management/environments/service.js';
import { detail } from '../../management/errors.js';
import { describes } from '../compare.js';
import { ALL, attempt, embedded, ownFields, reconcile, type Collection, type Engine, type Json } from '../engine.js';
import { applications } from './applications.js';
import { reconcileDirectory } from './directory.js';
import { keyRotationPolicies } from './key-rotation-policies.js';
import { keys } from './keys.js';
import type { EnvironmentParent } from './parents.js';
import { tables } from './parents.js';
import { passwordPolicies } from './password-policies.js';
import { resources } from './resources.js';
import { schemas } from './schemas.js';

export const CHILD_KEYS = ['clientAuthenticationSettings', 'keys', 'keyRotationPolicies', 'schemas', 'passwordPolicies', 'populations', 'groups', 'users', 'resources', 'applications'] as const;

/** The organization: the parent of environments. */
export interface OrganizationParent {
  licenseId: string;
}

function environmentBody(spec: Json, licenseId: string): Json {
  const body = ownFields(spec, CHILD_KEYS);
  if (body.license === undefined) body.license = { id: licenseId };
  return body;
}

export const environments: Collection<OrganizationParent> = {
  kind: 'environment',
  environmentIdOf: () => undefined,
  table: () => tables.environments(),
  nameOf: (spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  async list(e) {
    const items = embedded(await listEnvironments(e.deps, e.actor, ALL), 'environments');
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b }));
  },
  body: async (_e, p, spec) => environmentBody(spec, p.licenseId),
  check: async (e, p, body) => void parseEnvironmentBody(body, { licenseId: p.licenseId, licenseRequired: true, at: e.deps.now().toISOString() }),
  async create(e, _p, id, body) {
    await createEnvironment(e.deps, e.actor, body, { id });
    await e.refreshActor(id);
  },
  update: async (e, _p, x, body) => void (await replaceEnvironment(e.deps, e.actor, x.id, body, undefined)),
  async remove(e, _p, x) {
    await deleteEnvironment(e.deps, e.actor, x.id);
    await e.refreshActor();
  },
  async children(e, _p, id, spec, pointer, isNew) {
    const p: EnvironmentParent = { environmentId: id, isNew };
    await e.refreshActor(id);
    await clientAuthSettings(e, p, spec.clientAuthenticationSettings, `${pointer}/clientAuthenticationSettings`);
    await reconcileKeys(e, p, spec.keys, `${pointer}/keys`);
    await reconcile(e, keyRotationPolicies, p, spec.keyRotationPolicies, `${pointer}/keyRotationPolicies`, isNew);
    await reconcile(e, schemas, p, spec.schemas, `${pointer}/schemas`, isNew);
    await reconcile(e, passwordPolicies, p, spec.passwordPolicies, `${pointer}/passwordPolicies`, isNew);
    await reconcileDirectory(e, p, spec, pointer);
    await reconcile(e, resources, p, spec.resources, `${pointer}/resources`, isNew);
    await reconcile(e, applications, p, spec.applications, `${pointer}/applications`, isNew);
  },
};

/**
 * A new environment whose file names its default SIGNING key keeps only the file's keys: the key
 * it was made with is deleted (as if pruned), so its JWKS is the file's.
 */
async function reconcileKeys(e: Engine, p: EnvironmentParent, specs: unknown, pointer: string): Promise<void> {
  const pinsDefault = Array.isArray(specs) && specs.some((k: Json) => k.usageType === 'SIGNING' && k.default === true);
  const prune = e.prune;
  if (p.isNew && pinsDefault) e.prune = true;
  try {
    await reconcile(e, keys, p, specs, pointer, p.isNew);
  } finally {
    e.prune = prune;
  }
}

/** The environment's client-assertion policy (Keyway extension), written when it differs. */
async function clientAuthSettings(e: Engine, p: EnvironmentParent, spec: unknown, pointer: string): Promise<void> {
  if (spec === undefined) return;
  const body = (spec ?? {}) as Json;
  await attempt(e, pointer, async () => {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new InvalidDataError([detail.invalid('clientAuthenticationSettings', 'must be an object.')]);
    const current = p.isNew && e.mode === 'check' ? undefined : await readClientAuthSettings(e.deps, e.actor, p.environmentId);
    const changed = !current || !describes(body, current);
    e.plan.push({ action: changed ? (current ? 'update' : 'create') : 'unchanged', kind: 'clientAuthenticationSettings', id: p.environmentId, pointer, environmentId: p.environmentId });
    if (!changed) return;
    if (e.mode === 'check') parseClientAuthSettings(body);
    else await replaceClientAuthSettings(e.deps, e.actor, p.environmentId, body);
  });
}
