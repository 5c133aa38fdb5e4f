/**
 * Populations, groups and users of an environment (PingOne's directory). A user's `password`
 * (clear text, or a pre-encoded `{SSHA}…` form as PingOne's import takes it) is set when the user
 * is made and whenever it no longer matches; `memberOfGroups` lists the groups it is added to
 * (its DIRECT memberships, exactly).
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import { detail } from '../../management/errors.js';
import { addUserToGroup, listUserGroups, removeUserFromGroup } from '../../management/groups/memberships.js';
import { parseGroupBody } from '../../management/groups/parse.js';
import { createGroup, deleteGroup, listGroups, replaceGroup } from '../../management/groups/service.js';
import { createPopulation, deletePopulation, listPopulations, parsePopulationBody, replacePopulation } from '../../management/populations.js';
import { verifyPassword } from '../../management/users/password-hash.js';
import { setPassword } from '../../management/users/password-service.js';
import { parseNewUser, parseUserReplacement } from '../../management/users/parse.js';
import { createUser, deleteUser, listUsers, replaceUser } from '../../management/users/service.js';
import { ALL, embedded, ownFields, pendingId, reconcile, resolveRef, type Collection, type Engine, type Existing, type Json } from '../engine.js';
import { reconcileGroupNesting } from './group-nesting.js';
import { tables, type EnvironmentParent } from './parents.js';
import { plannedSchema } from './schemas.js';
import { checkUniqueValues } from './user-unique-values.js';

const envOf = (p: EnvironmentParent): string => p.environmentId;

export const populations: Collection<EnvironmentParent> = {
  kind: 'population',
  environmentIdOf: envOf,
  table: (p) => tables.populations(p.environmentId),
  nameOf: (spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  async list(e, p) {
    // A new environment starts with its default population (docs/pingone-reference.md §5.3).
    if (p.isNew && e.mode === 'check') return [{ id: pendingId(1), name: 'Default', body: { name: 'Default', default: true }, builtIn: true }];
    const items = embedded(await listPopulations(e.deps, e.actor, p.environmentId, ALL), 'populations');
    // The default population is never pruned: PingOne refuses to delete it while it is the default.
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b, builtIn: b.default === true }));
  },
  body: async (e, p, spec, pointer) => withPasswordPolicy(e, p, ownFields(spec, []), pointer),
  check: async (_e, _p, body) => void parsePopulationBody(body),
  create: async (e, p, id, body) => void (await createPopulation(e.deps, e.actor, p.environmentId, body, { id })),
  update: async (e, p, x, body) => void (await replacePopulation(e.deps, e.actor, p.environmentId, x.id, body, undefined)),
  remove: async (e, p, x) => deletePopulation(e.deps, e.actor, p.environmentId, x.id),
};

/** A population's `passwordPolicy: {name}` becomes `{id}` (../families/password-policies.ts). */
function withPasswordPolicy(e: Engine, p: EnvironmentParent, body: Json, pointer: string): Json {
  const ref = body.passwordPolicy as Json | undefined;
  if (!ref || typeof ref !== 'object' || ref.id !== undefined || ref.name === undefined) return body;
  return { ...body, passwordPolicy: { id: resolveRef(e, tables.passwordPolicies(p.environmentId), ref, `${pointer}/passwordPolicy`, 'password policy') } };
}

/** `population: {id}` or `{name}` in a group's or user's body becomes `{id}`. */
function withPopulation(e: Engine, p: EnvironmentParent, spec: Json, pointer: string): Json {
  const body = { ...spec };
  if (spec.population !== undefined) body.population = { id: resolveRef(e, tables.populations(p.environmentId), spec.population, `${pointer}/population`, 'population') };
  return body;
}

export const groups: Collection<EnvironmentParent> = {
  kind: 'group',
  environmentIdOf: envOf,
  table: (p) => tables.groups(p.environmentId),
  nameOf: (spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listGroups(e.deps, e.actor, p.environmentId, ALL, undefined), 'groups');
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b }));
  },
  // `memberOfGroups` (nesting) is reconciled once every group exists (./group-nesting.ts).
  body: async (e, p, spec, pointer) => withPopulation(e, p, ownFields(spec, ['memberOfGroups']), pointer),
  check: async (_e, _p, body) => void parseGroupBody(body),
  create: async (e, p, id, body) => void (await createGroup(e.deps, e.actor, p.environmentId, body, { id })),
  update: async (e, p, x, body) => void (await replaceGroup(e.deps, e.actor, p.environmentId, x.id, body, undefined)),
  remove: async (e, p, x) => deleteGroup(e.deps, e.actor, p.environmentId, x.id),
};

const USER_LOCAL = ['password', 'memberOfGroups'] as const;

/** The file's `password`: a string, or PingOne's `{value, forceChange}`. */
function passwordOf(spec: Json): { value: string; forceChange?: boolean } | undefined {
  const p = spec.password;
  if (typeof p === 'string') return { value: p };
  if (p !== null && typeof p === 'object' && typeof (p as Json).value === 'string') return p as { value: string; forceChange?: boolean };
  return undefined;
}

/** PingOne's pre-encoded forms start with the scheme in braces (`{SSHA512}…`, `{BCRYPT}…`). */
const isPreEncoded = (value: string): boolean => /^\{[A-Z0-9-]+\}/.test(value);

function groupIds(e: Engine, p: EnvironmentParent, spec: Json, pointer: string): string[] | undefined {
  if (!Array.isArray(spec.memberOfGroups)) return undefined;
  return spec.memberOfGroups.map((ref, i) => resolveRef(e, tables.groups(p.environmentId), ref, `${pointer}/memberOfGroups/${i}`, 'group'));
}

async function directGroups(e: Engine, p: EnvironmentParent, userId: string): Promise<string[]> {
  const items = embedded(await listUserGroups(e.deps, e.actor, p.environmentId, userId, ALL, false), 'groupMemberships');
  return items.filter((m) => m.type === 'DIRECT').map((m) => m.id as string);
}

async function syncGroups(e: Engine, p: EnvironmentParent, userId: string, wanted: readonly string[] | undefined): Promise<void> {
  if (wanted === undefined) return;
  const have = await directGroups(e, p, userId);
  for (const id of wanted) if (!have.includes(id)) await addUserToGroup(e.deps, e.actor, p.environmentId, userId, { id });
  for (const id of have) if (!wanted.includes(id)) await removeUserFromGroup(e.deps, e.actor, p.environmentId, userId, id);
}

/** The user's stored password still is the file's (clear text verified against the hash; a pre-encoded one compared as text). */
async function passwordMatches(e: Engine, p: EnvironmentParent, userId: string, wanted: string): Promise<boolean> {
  const user = await e.deps.store.getUser(p.environmentId, userId);
  const stored = user?.password?.hash;
  if (stored === undefined) return false;
  return isPreEncoded(wanted) ? stored === wanted : verifyPassword(wanted, stored);
}

export const users: Collection<EnvironmentParent> = {
  kind: 'user',
  environmentIdOf: envOf,
  nameOf: (spec) => (typeof spec.username === 'string' ? spec.username : undefined),
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listUsers(e.deps, e.actor, p.environmentId, ALL, undefined), 'users');
    return items.map((b) => ({ id: b.id as string, name: b.username as string, body: b }));
  },
  async body(e, p, spec, pointer) {
    groupIds(e, p, spec, pointer); // names must resolve in the check pass
    return withPopulation(e, p, ownFields(spec, USER_LOCAL), pointer);
  },
  async check(e, p, body, spec, existing) {
    const schema = await plannedSchema(e, p);
    const password = passwordOf(spec);
    if (spec.password !== undefined && !password) throw new InvalidDataError([detail.invalid('password', 'password is a string or {value, forceChange}.')]);
    if (existing) parseUserReplacement(body, schema);
    else parseNewUser(password ? { ...body, password } : body, schema, password ? isPreEncoded(password.value) : false);
  },
  async create(e, p, id, body, spec) {
    const password = passwordOf(spec);
    await createUser(e.deps, e.actor, p.environmentId, password ? { ...body, password } : body, password ? isPreEncoded(password.value) : false, { id });
    await syncGroups(e, p, id, groupIds(e, p, spec, ''));
  },
  async update(e, p, x, body, spec) {
    await replaceUser(e.deps, e.actor, p.environmentId, x.id, body, undefined);
    const password = passwordOf(spec);
    if (password && !(await passwordMatches(e, p, x.id, password.value))) await setPassword(e.deps, e.actor, p.environmentId, x.id, password);
    await syncGroups(e, p, x.id, groupIds(e, p, spec, ''));
  },
  async extraDiffers(e, p, x: Existing, spec) {
    const password = passwordOf(spec);
    if (password && !(await passwordMatches(e, p, x.id, password.value))) return true;
    const wanted = groupIds(e, p, spec, '');
    if (wanted === undefined) return false;
    const have = await directGroups(e, p, x.id);
    return wanted.length !== have.length || wanted.some((id) => !have.includes(id));
  },
  remove: async (e, p, x) => deleteUser(e.deps, e.actor, p.environmentId, x.id, undefined),
};

export async function reconcileDirectory(e: Engine, p: EnvironmentParent, spec: Json, pointer: string): Promise<void> {
  await reconcile(e, populations, p, spec.populations, `${pointer}/populations`, p.isNew);
  await reconcile(e, groups, p, spec.groups, `${pointer}/groups`, p.isNew);
  await reconcileGroupNesting(e, p, spec.groups, `${pointer}/groups`);
  await reconcile(e, users, p, spec.users, `${pointer}/users`, p.isNew);
  await checkUniqueValues(e, p, spec.users, `${pointer}/users`);
}
