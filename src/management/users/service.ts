/**
 * Users: list (cursor paging, `filter`), read, create, replace (PUT), merge (PATCH), delete
 * (docs/pingone-reference.md §5.3). Passwords: ./password-service.ts; sign-in: ./credentials.ts.
 */
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import type { UserRecord } from '../../domain/users/user.js';
import { MissingReference, UniqueAttributeValue, UniqueViolation, type PageRequest, type SchemaAttributeRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate, type CreateOptions } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { isJsonObject } from '../../domain/json-object.js';
import { detail } from '../errors.js';
import { referenceId } from '../fields.js';
import { effectivePasswordPolicy } from '../password-policies/service.js';
import type { Actor } from '../roles.js';
import { parseUserFilter } from './filter.js';
import { dynamicGroupRules, namesMembership } from '../groups/dynamic.js';
import { withGroupAttributes, type UserInclude } from './include.js';
import { parseNewUser, parseUserPatch, parseUserReplacement, type UserInput } from './parse.js';
import { hashPassword } from './password-hash.js';
import { toUserResponse } from './serialize.js';

export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

const usersHref = (deps: ManagementDeps, environmentId: string) => `${deps.apiBase}/environments/${environmentId}/users`;

export async function listUsers(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  page: PageRequest,
  rawFilter: unknown,
  include: UserInclude = new Set(),
) {
  await requireEnvironment(deps.store, actor, 'users:read', environmentId);
  const filter = parseUserFilter(rawFilter);
  const rules = namesMembership(filter) ? await dynamicGroupRules(deps, environmentId) : [];
  const result = await deps.store.listUsers(environmentId, page, filter, rules);
  const now = deps.now();
  const self = new URL(usersHref(deps, environmentId));
  if (typeof rawFilter === 'string') self.searchParams.set('filter', rawFilter);
  const items = await Promise.all(result.items.map((u) => included(deps, toUserResponse(u, deps.apiBase, now), u, include)));
  return collection(self.href, 'users', { ...result, items }, page);
}

/** Loads a user of the environment or throws 404 (also for ids of other environments). */
export async function findUser(deps: ManagementDeps, environmentId: string, userId: string): Promise<UserRecord> {
  const user = await deps.store.getUser(environmentId, userId);
  if (!user) throw new NotFoundError();
  return user;
}

export async function readUser(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  userId: string,
  include: UserInclude = new Set(),
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'users:read', environmentId);
  const user = await findUser(deps, environmentId, userId);
  const { body, version } = respond(deps, user);
  return { body: await included(deps, body, user, include), version };
}

/** The user's group attributes when asked for (one query for both). */
async function included(deps: ManagementDeps, body: Record<string, unknown>, user: UserRecord, include: UserInclude): Promise<Record<string, unknown>> {
  if (include.size === 0) return body;
  const rules = await dynamicGroupRules(deps, user.environmentId);
  return withGroupAttributes(body, include, await deps.store.userGroupAttributes(user.environmentId, user.id, rules));
}

/**
 * `POST …/users`. `imported` is the body of `application/vnd.pingidentity.user.import+json`,
 * whose password may be pre-encoded (./pre-encoded.ts) and is then stored as given.
 */
export async function createUser(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown, imported = false, options: CreateOptions = {}): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const schema = await deps.store.listSchemaAttributes(environmentId);
  const input = parseNewUser(body, schema, imported, await newUserPasswordPolicy(deps, environmentId, body));
  const populationId = await resolvePopulation(deps, environmentId, input.populationId);
  const at = deps.now().toISOString();
  const user: UserRecord = {
    id: options.id ?? newId(),
    environmentId,
    populationId,
    username: input.username,
    email: input.email,
    enabled: input.enabled,
    lifecycleStatus: input.lifecycleStatus,
    profile: input.profile,
    customAttributes: input.customAttributes,
    signIn: { failedAttempts: 0 },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const password = input.password;
  if (password) {
    const hash = password.kind === 'cleartext' ? await hashPassword(password.value) : password.hash;
    user.password = { hash, forceChange: password.forceChange, changedAt: at };
  }
  await withUserConstraints(() => deps.store.createUser(environmentId, user), input.username);
  return respond(deps, user);
}

/** PUT: the body replaces the user's attributes (omitted optional ones are removed). */
export async function replaceUser(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  userId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  return writeUser(deps, actor, environmentId, userId, expectedVersion, (current, schema) => parseUserReplacement(body, schema, current.customAttributes));
}

/** PATCH: the body's top-level fields are merged into the user's (`null` removes one). */
export async function patchUser(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  userId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  return writeUser(deps, actor, environmentId, userId, expectedVersion, (current, schema) => parseUserPatch(body, current, schema));
}

async function writeUser(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  userId: string,
  expectedVersion: number | undefined,
  parse: (current: UserRecord, schema: readonly SchemaAttributeRecord[]) => UserInput,
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  const current = await findUser(deps, environmentId, userId);
  const input = parse(current, await deps.store.listSchemaAttributes(environmentId));
  const next = await nextUser(deps, current, input);
  const updated = unwrapUpdate(await withUserConstraints(() => deps.store.replaceUser(environmentId, next, expectedVersion), input.username));
  return respond(deps, updated);
}

export async function deleteUser(deps: ManagementDeps, actor: Actor, environmentId: string, userId: string, expectedVersion: number | undefined) {
  await requireEnvironment(deps.store, actor, 'users:write', environmentId);
  unwrapUpdate(await deps.store.deleteUser(environmentId, userId, expectedVersion));
}

async function nextUser(deps: ManagementDeps, current: UserRecord, input: UserInput): Promise<UserRecord> {
  const populationId =
    input.populationId === undefined || input.populationId === current.populationId
      ? current.populationId
      : await resolvePopulation(deps, current.environmentId, input.populationId);
  return {
    ...current,
    populationId,
    username: input.username,
    email: input.email,
    profile: input.profile,
    customAttributes: input.customAttributes,
    updatedAt: deps.now().toISOString(),
  };
}

/**
 * The password policy a new user's password must meet: that of the population the body names
 * (a population that does not exist is reported by the body's own checks), else the default's.
 */
async function newUserPasswordPolicy(deps: ManagementDeps, environmentId: string, body: unknown) {
  const named = isJsonObject(body) ? referenceId(body.population) : undefined;
  const population = named ?? (await deps.store.getDefaultPopulation(environmentId))?.id;
  return population === undefined ? undefined : effectivePasswordPolicy(deps.store, environmentId, population);
}

/** The population named in the body (it must exist in the environment), or the default one. */
async function resolvePopulation(deps: ManagementDeps, environmentId: string, populationId: string | undefined): Promise<string> {
  const population =
    populationId === undefined ? await deps.store.getDefaultPopulation(environmentId) : await deps.store.getPopulation(environmentId, populationId);
  if (!population) throw missingPopulation();
  return population.id;
}

function missingPopulation(): InvalidDataError {
  return new InvalidDataError([detail.invalid('population.id', 'population.id does not name a population of this environment.')]);
}

async function withUserConstraints<T>(write: () => Promise<T>, username: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueAttributeValue) {
      throw new InvalidDataError([detail.unique(err.attribute, `Another user of this environment holds this value of ${err.attribute}, whose values are unique.`)]);
    }
    if (err instanceof MissingReference && err.field === 'attribute') {
      // The schema changed between this request's read of it and its write.
      throw new InvalidDataError([detail.invalid('customAttributes', 'A custom attribute of this request was deleted meanwhile; send the request again.')]);
    }
    if (err instanceof UniqueViolation && err.field === 'username') {
      throw new InvalidDataError([detail.unique('username', `A user named "${username}" already exists in this environment.`)]);
    }
    if (err instanceof MissingReference) throw missingPopulation();
    throw err;
  }
}

function respond(deps: ManagementDeps, user: UserRecord): VersionedBody {
  return { body: toUserResponse(user, deps.apiBase, deps.now()), version: user.version };
}
