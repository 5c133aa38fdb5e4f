/**
 * The current state of environments written in the configuration format, so that applying it
 * to an empty server makes the same objects under the same ids. Secrets (application secrets,
 * private keys) only with `includeSecrets`; without, the places they go are left out, and
 * `${VAR}` references can be added there. Objects Keyway makes itself (the built-in resources,
 * their scopes and attributes, the core `sub` mapping) are not listed; references to them, and
 * to populations, are written by name (the user schema too), since a new environment gives them new ids.
 */
import { PREDEFINED_OPENID_CLAIMS, STANDARD_OPENID_SCOPES } from '../domain/openid-resource.js';
import { keyCertificatePem } from '../keys/certificates.js';
import { listApplicationAttributes } from '../management/attribute-mappings/application-service.js';
import { listResourceAttributes } from '../management/attribute-mappings/resource-service.js';
import { currentSecret } from '../management/applications/secret-service.js';
import { listApplications } from '../management/applications/service.js';
import type { ManagementDeps } from '../management/context.js';
import { readClientAuthSettings } from '../management/environments/client-auth-settings.js';
import { listEnvironments, readEnvironment } from '../management/environments/service.js';
import { listGrants } from '../management/grants.js';
import { listCertificates } from '../management/client-keys/certificate-service.js';
import { listGroupParents, listUserGroups } from '../management/groups/memberships.js';
import { listGroups } from '../management/groups/service.js';
import { listPolicies } from '../management/key-rotation-policies/service.js';
import { listKeys } from '../management/keys/service.js';
import { BUILT_IN_PASSWORD_POLICY_NAMES } from '../management/password-policies/built-in.js';
import { listPasswordPolicies } from '../management/password-policies/service.js';
import { listPopulations } from '../management/populations.js';
import { listResources } from '../management/resources.js';
import { listRoleAssignments } from '../management/role-assignments.js';
import type { Actor } from '../management/roles.js';
import { listSchemaAttributes, schemaId } from '../management/schemas/service.js';
import { listScopes } from '../management/scopes.js';
import { listUsers } from '../management/users/service.js';
import { ALL, embedded, type Json } from './engine.js';
import { ANSWER_ONLY_FIELDS } from './unread-fields.js';
import { withEnvironmentStanding } from './standing.js';

export interface ExportOptions {
  /** One environment; default: every environment the actor reads, but its own. */
  environmentId?: string;
  includeSecrets?: boolean;
}

function strip(body: Json, keep: readonly string[] = []): Json {
  const out: Json = { id: body.id };
  for (const [k, v] of Object.entries(body)) if (k !== 'id' && (keep.includes(k) || !ANSWER_ONLY_FIELDS.includes(k))) out[k] = v;
  return out;
}

export async function exportConfiguration(deps: ManagementDeps, actor: Actor, options: ExportOptions = {}): Promise<Json> {
  const envs =
    options.environmentId !== undefined
      ? [(await readEnvironment(deps, actor, options.environmentId)).body]
      : embedded(await listEnvironments(deps, actor, ALL), 'environments').filter((env) => env.id !== actor.environmentId);
  const environments: Json[] = [];
  for (const env of envs) environments.push(await exportEnvironment(deps, withEnvironmentStanding(actor, env.id as string, deps.now().toISOString()), env, options.includeSecrets === true));
  return { environments };
}

/** What an environment's export needs besides the environment: the caller, and whether secrets go in. */
interface Scope {
  deps: ManagementDeps;
  actor: Actor;
  envId: string;
  secrets: boolean;
}

/** A built-in resource (openid, PingOne API): referenced by name, with its scopes' names by id. */
interface BuiltIn {
  name: string;
  scopes: Map<string, string>;
}

async function exportEnvironment(deps: ManagementDeps, actor: Actor, env: Json, secrets: boolean): Promise<Json> {
  const scope: Scope = { deps, actor, envId: env.id as string, secrets };
  const out: Json = { id: scope.envId, name: env.name };
  for (const k of ['description', 'type', 'region', 'icon', 'billOfMaterials']) if (env[k] !== undefined) out[k] = env[k];
  out.clientAuthenticationSettings = await exportClientAuthSettings(scope);
  out.keys = await exportKeys(deps, actor, scope.envId, secrets);
  out.keyRotationPolicies = await exportKeyRotationPolicies(scope);
  out.schemas = [{ name: 'User', attributes: await exportSchemaAttributes(scope) }];
  const policies = embedded(await listPasswordPolicies(deps, actor, scope.envId), 'passwordPolicies');
  out.passwordPolicies = byName(policies.map(exportPasswordPolicy));
  const policyName = new Map(policies.map((p) => [p.id as string, p.name as string]));
  const populations = embedded(await listPopulations(deps, actor, scope.envId, ALL), 'populations');
  out.populations = byName(populations.map((p) => exportPopulation(p, policyName)));
  const byPopulationName = populationReferenceByName(populations);
  out.groups = await exportGroups(scope, byPopulationName);
  out.users = await exportUsers(scope, byPopulationName);
  const { builtIn, custom } = await exportResources(scope);
  out.resources = byName(custom);
  out.applications = await exportApplications(scope, builtIn);
  return out;
}

/**
 * A list ordered by name. The store lists by id, and the objects every environment starts with
 * (the default population, the built-in policies, the openid resource) get new ids on another
 * server: by name, an export of what an export set up comes out in the same order.
 */
function byName(items: Json[]): Json[] {
  return items.sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

async function exportClientAuthSettings(scope: Scope): Promise<Json> {
  const settings = await readClientAuthSettings(scope.deps, scope.actor, scope.envId);
  return Object.fromEntries(['clientAssertionAudiencePolicy', 'clockToleranceSeconds', 'maxAssertionLifetimeSeconds', 'detailedErrors'].map((k) => [k, settings[k]]));
}

/** The user schema's custom attributes; its core and standard ones are every environment's. */
async function exportSchemaAttributes(scope: Scope): Promise<Json[]> {
  const items = embedded(await listSchemaAttributes(scope.deps, scope.actor, scope.envId, schemaId(scope.envId)), 'attributes');
  return items.filter((a) => a.schemaType === 'CUSTOM').map((a) => omit(strip(a), ['schema', 'schemaType']));
}

/** Every password policy; the three a new environment starts with by name (they get new ids there). */
function exportPasswordPolicy(p: Json): Json {
  const body = omit(strip(p), ['populationCount']);
  return BUILT_IN_PASSWORD_POLICY_NAMES.includes(p.name as string) ? omit(body, ['id']) : body;
}

/** The default population of a new environment gets a new id: it is matched by name; its password policy is named too. */
function exportPopulation(p: Json, policyName: ReadonlyMap<string, string>): Json {
  const body = strip(p);
  const policy = (p.passwordPolicy as Json | undefined)?.id;
  if (typeof policy === 'string') body.passwordPolicy = { name: policyName.get(policy) };
  return p.default === true ? { name: p.name, ...omit(body, ['id', 'name']) } : body;
}

/** A body's `population: {id}` rewritten as `{name}`, which holds on a server where the default population has another id. */
function populationReferenceByName(populations: readonly Json[]): (body: Json) => Json {
  const populationName = new Map(populations.map((p) => [p.id as string, p.name as string]));
  return (b) => {
    const population = b.population as Json | undefined;
    return population?.id === undefined ? b : { ...b, population: { name: populationName.get(population.id as string) } };
  };
}

/** Groups with the groups they are directly nested in (by id: the apply nests once every group exists). */
async function exportGroups(scope: Scope, byPopulationName: (body: Json) => Json): Promise<Json[]> {
  const { deps, actor, envId } = scope;
  const groups: Json[] = [];
  for (const g of embedded(await listGroups(deps, actor, envId, ALL, undefined), 'groups')) {
    const parents = embedded(await listGroupParents(deps, actor, envId, g.id as string, ALL, false), 'groupMemberships');
    groups.push({ ...byPopulationName(strip(g)), memberOfGroups: parents.map((m) => ({ id: m.id })) });
  }
  return groups;
}

/** Users with their direct group memberships (by id); never a password (README, Export). */
async function exportUsers(scope: Scope, byPopulationName: (body: Json) => Json): Promise<Json[]> {
  const { deps, actor, envId } = scope;
  const users: Json[] = [];
  for (const u of embedded(await listUsers(deps, actor, envId, ALL, undefined), 'users')) {
    const groups = embedded(await listUserGroups(deps, actor, envId, u.id as string, ALL, false), 'groupMemberships').filter((m) => m.type === 'DIRECT');
    users.push({ ...byPopulationName(omit(strip(u, ['enabled']), ['memberOfGroupIDs', 'memberOfGroupNames'])), memberOfGroups: groups.map((m) => ({ id: m.id })) });
  }
  return users;
}

/** Custom resources with their scopes and custom attributes, the openid resource's own; the built-in ones otherwise only as names for references. */
async function exportResources(scope: Scope): Promise<{ builtIn: Map<string, BuiltIn>; custom: Json[] }> {
  const { deps, actor, envId } = scope;
  const builtIn = new Map<string, BuiltIn>();
  const custom: Json[] = [];
  for (const r of embedded(await listResources(deps, actor, envId, ALL), 'resources')) {
    const path = { environmentId: envId, resourceId: r.id as string };
    const scopes = embedded(await listScopes(deps, actor, path, ALL), 'scopes');
    if (r.type !== 'CUSTOM') {
      builtIn.set(r.id as string, { name: r.name as string, scopes: new Map(scopes.map((s) => [s.id as string, s.name as string])) });
      if (r.type === 'OPENID_CONNECT') custom.push(await exportOpenIdResource(scope, r, scopes));
      continue;
    }
    const attributes = embedded(await listResourceAttributes(deps, actor, path), 'attributes').filter((a) => a.type === 'CUSTOM');
    custom.push({
      ...omit(strip(r), ['audience']),
      ...(r.audience !== undefined ? { audience: r.audience } : {}),
      scopes: scopes.map((s) => omit(strip(s), ['schemaAttributes'])),
      attributes: attributes.map((a) => strip(a)),
    });
  }
  return { builtIn, custom };
}

/**
 * The openid resource by name, with what the file can change: its custom scopes and claims, and
 * the predefined claims whose value differs from Keyway's (by name: their ids follow the resource's).
 */
async function exportOpenIdResource(scope: Scope, r: Json, scopes: readonly Json[]): Promise<Json> {
  const attributes = embedded(await listResourceAttributes(scope.deps, scope.actor, { environmentId: scope.envId, resourceId: r.id as string }), 'attributes');
  const defaults = new Map(PREDEFINED_OPENID_CLAIMS.map(([name, value]) => [name, value]));
  const overridden = attributes.filter((a) => a.type === 'PREDEFINED' && defaults.get(a.name as string) !== a.value).map((a) => ({ name: a.name, value: a.value }));
  return {
    name: r.name,
    attributes: [...attributes.filter((a) => a.type === 'CUSTOM').map((a) => strip(a)), ...overridden],
    scopes: scopes.filter((s) => !STANDARD_OPENID_SCOPES.has(s.name as string)).map((s) => omit(strip(s), ['schemaAttributes'])),
  };
}

/** Every application but the caller itself, with its grants, attribute mappings and (workers) role assignments. */
async function exportApplications(scope: Scope, builtIn: ReadonlyMap<string, BuiltIn>): Promise<Json[]> {
  const applications: Json[] = [];
  for (const a of embedded(await listApplications(scope.deps, scope.actor, scope.envId, ALL), 'applications')) {
    if (a.id !== scope.actor.applicationId) applications.push(await exportApplication(scope, a, builtIn));
  }
  return applications;
}

async function exportApplication(scope: Scope, a: Json, builtIn: ReadonlyMap<string, BuiltIn>): Promise<Json> {
  const { deps, actor, envId } = scope;
  const app: Json = strip(a, ['type']);
  if (scope.secrets && a.protocol === 'OPENID_CONNECT' && a.tokenEndpointAuthMethod !== 'NONE') {
    const secret = await currentSecret(deps, actor, envId, a.id as string).catch(() => undefined);
    if (secret !== undefined) app.secret = secret;
  }
  const path = { environmentId: envId, applicationId: a.id as string };
  app.grants = embedded(await listGrants(deps, actor, path, ALL), 'grants').map((g) => exportGrant(g, builtIn));
  app.attributes = embedded(await listApplicationAttributes(deps, actor, path), 'attributes')
    .filter((m) => m.mappingType !== 'CORE')
    .map((m) => omit(strip(m), ['mappingType']));
  // Uploaded certificates are public material: exported without includeSecrets.
  app.certificates = embedded(await listCertificates(deps, actor, envId, a.id as string), 'keys').map((k) => ({ kid: k.kid, certificate: k.certificate }));
  if (a.type === 'WORKER') app.roleAssignments = embedded(await listRoleAssignments(deps, actor, path, ALL), 'roleAssignments').map((r) => ({ id: r.id, role: r.role, scope: r.scope }));
  return app;
}

/** A grant of a built-in resource names it and its scopes (a new environment gives them new ids); a custom one by id. */
function exportGrant(g: Json, builtIn: ReadonlyMap<string, BuiltIn>): Json {
  const resourceId = (g.resource as Json).id as string;
  const b = builtIn.get(resourceId);
  const scopes = (g.scopes as Json[]).map((s) => (b ? { name: b.scopes.get(s.id as string) } : { id: s.id }));
  return { ...omit(strip(g), ['scopes']), resource: b ? { name: b.name } : { id: resourceId }, scopes };
}

/**
 * Policies with their CURRENT and NEXT keys (a PREVIOUS one, still published until its tokens
 * expire, is not: applying makes no PREVIOUS key). Applications name them by id.
 */
async function exportKeyRotationPolicies(scope: Scope): Promise<Json[]> {
  const { deps, actor, envId, secrets } = scope;
  const out: Json[] = [];
  for (const policy of embedded(await listPolicies(deps, actor, envId), 'keyRotationPolicies')) {
    const body = omit(strip(policy), ['currentKeyId', 'nextKeyId', 'rotatedAt']);
    for (const [field, answer] of [['currentKey', 'currentKeyId'], ['nextKey', 'nextKeyId']] as const) {
      const record = typeof policy[answer] === 'string' ? await deps.store.getSigningKey(envId, policy[answer] as string) : undefined;
      if (!record) continue;
      const key: Json = { id: record.id };
      if (record.certificate) key.certificate = keyCertificatePem(record.certificate);
      if (secrets) key.privateKey = deps.sealer.open(record.privateKeyCiphertext);
      body[field] = key;
    }
    out.push(body);
  }
  return out;
}

async function exportKeys(deps: ManagementDeps, actor: Actor, envId: string, secrets: boolean): Promise<Json[]> {
  const listed = embedded(await listKeys(deps, actor, envId), 'keys');
  const out: Json[] = [];
  for (const k of listed) {
    const record = await deps.store.getSigningKey(envId, k.id as string);
    const key: Json = { id: k.id, usageType: k.usageType, default: k.default };
    if (record?.certificate) key.certificate = keyCertificatePem(record.certificate);
    if (secrets && record) key.privateKey = deps.sealer.open(record.privateKeyCiphertext);
    out.push(key);
  }
  return out;
}

function omit(body: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
}
