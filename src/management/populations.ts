/**
 * Populations: list, read, create, replace (PUT), delete (docs/pingone-reference.md §5.3, OpenAPI
 * `Population`). Every environment has exactly one default population (created with it): making
 * another one the default moves the flag, and the default cannot be unset directly or deleted. The
 * last population and populations holding users cannot be deleted either.
 */
import { newId } from '../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../domain/pingone-error.js';
import { MissingReference, UniqueViolation, type PageRequest, type PopulationDeleteResult, type PopulationRecord } from '../store/types.js';
import { requireEnvironment } from './access.js';
import { collection, unwrapUpdate, type CreateOptions } from './common.js';
import type { ManagementDeps } from './context.js';
import { detail, throwIfInvalid } from './errors.js';
import { GENERAL_RULES } from './field-rules.js';
import { asObject, FieldReader } from './fields.js';
import { parseCollectionFilter, POPULATION_FILTER } from './filter/spec.js';
import type { Actor } from './roles.js';

// Request bodies. Keyway stores `name`, `description`, `default` and `passwordPolicy` (the
// population's password policy; absent: the environment's default applies); `userCount` and the
// other read-only fields are ignored, as are PingOne's `theme`, `preferredLanguage` and
// `alternativeIdentifiers`, which Keyway does not implement.

const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;

export interface PopulationInput {
  name: string;
  description?: string;
  /** Absent when the body does not say (create: not the default; replace: unchanged). */
  default?: boolean;
  passwordPolicyId?: string;
}

export function parsePopulationBody(body: unknown): PopulationInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH, { nonBlank: true });
  const isDefault = fields.boolean('default');
  const passwordPolicyId = fields.reference('passwordPolicy');
  throwIfInvalid(fields.issues);
  const input: PopulationInput = { name: name as string };
  if (passwordPolicyId !== undefined) input.passwordPolicyId = passwordPolicyId;
  if (description !== undefined) input.description = description;
  if (isDefault !== undefined) input.default = isDefault;
  return input;
}

// Responses: fields in PingOne's order, with the computed `userCount` (read-only: the store
// counts the users of the population on each read). The unimplemented fields are never present.

export function populationHref(apiBase: string, environmentId: string, populationId: string): string {
  return `${apiBase}/environments/${environmentId}/populations/${populationId}`;
}

export function toPopulationResponse(population: PopulationRecord, userCount: number, apiBase: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    _links: {
      self: { href: populationHref(apiBase, population.environmentId, population.id) },
      environment: { href: `${apiBase}/environments/${population.environmentId}` },
    },
    id: population.id,
    environment: { id: population.environmentId },
    name: population.name,
  };
  if (population.description !== undefined) body.description = population.description;
  if (population.passwordPolicyId !== undefined) body.passwordPolicy = { id: population.passwordPolicyId };
  Object.assign(body, {
    userCount,
    createdAt: population.createdAt,
    updatedAt: population.updatedAt,
    default: population.default,
  });
  return body;
}

// Operations.

export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

export async function listPopulations(deps: ManagementDeps, actor: Actor, environmentId: string, page: PageRequest, rawFilter?: unknown) {
  await requireEnvironment(deps.store, actor, 'populations:read', environmentId);
  const filter = parseCollectionFilter(POPULATION_FILTER, rawFilter);
  const result = await deps.store.listPopulations(environmentId, page, filter);
  const items = await Promise.all(result.items.map(async (p) => toPopulationResponse(p, await countUsers(deps, p), deps.apiBase)));
  const self = new URL(`${deps.apiBase}/environments/${environmentId}/populations`);
  if (typeof rawFilter === 'string') self.searchParams.set('filter', rawFilter);
  return collection(self.href, 'populations', { ...result, items }, page);
}

/** Loads a population of the environment or throws 404 (also for ids of other environments). */
async function findPopulation(deps: ManagementDeps, environmentId: string, populationId: string): Promise<PopulationRecord> {
  const population = await deps.store.getPopulation(environmentId, populationId);
  if (!population) throw new NotFoundError();
  return population;
}

export async function readPopulation(deps: ManagementDeps, actor: Actor, environmentId: string, populationId: string): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'populations:read', environmentId);
  return respond(deps, await findPopulation(deps, environmentId, populationId));
}

export async function createPopulation(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown, options: CreateOptions = {}): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'populations:write', environmentId);
  const input = parsePopulationBody(body);
  const at = deps.now().toISOString();
  const population: PopulationRecord = { id: options.id ?? newId(), environmentId, ...input, default: input.default ?? false, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createPopulation(environmentId, population), input.name);
  return respond(deps, population);
}

export async function replacePopulation(
  deps: ManagementDeps,
  actor: Actor,
  environmentId: string,
  populationId: string,
  body: unknown,
  expectedVersion: number | undefined,
): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'populations:write', environmentId);
  const current = await findPopulation(deps, environmentId, populationId);
  const input = parsePopulationBody(body);
  if (current.default && input.default === false) {
    throw new InvalidDataError([
      detail.constraint('default', 'An environment always has a default population: make another population the default instead.'),
    ]);
  }
  const next: PopulationRecord = { ...current, ...input, default: input.default ?? current.default, updatedAt: deps.now().toISOString() };
  if (input.description === undefined) delete next.description;
  if (input.passwordPolicyId === undefined) delete next.passwordPolicyId;
  const updated = unwrapUpdate(await withUniqueName(() => deps.store.updatePopulation(environmentId, next, expectedVersion), input.name));
  return respond(deps, updated);
}

const DELETE_REFUSALS: Record<Exclude<PopulationDeleteResult, 'deleted' | 'not_found'>, [string, string]> = {
  last: ['id', 'The last population of an environment cannot be deleted.'],
  default: ['default', 'The default population cannot be deleted: make another population the default first.'],
  has_users: ['userCount', 'A population that holds users cannot be deleted: move or delete its users first.'],
  has_groups: ['id', 'A population that holds groups cannot be deleted: delete its groups first.'],
};

export async function deletePopulation(deps: ManagementDeps, actor: Actor, environmentId: string, populationId: string): Promise<void> {
  await requireEnvironment(deps.store, actor, 'populations:write', environmentId);
  const result = await deps.store.deletePopulation(environmentId, populationId);
  if (result === 'deleted') return;
  if (result === 'not_found') throw new NotFoundError();
  const [target, message] = DELETE_REFUSALS[result];
  throw new InvalidDataError([detail.constraint(target, message)]);
}

function countUsers(deps: ManagementDeps, population: PopulationRecord): Promise<number> {
  return deps.store.countUsersInPopulation(population.environmentId, population.id);
}

async function respond(deps: ManagementDeps, population: PopulationRecord): Promise<VersionedBody> {
  return { body: toPopulationResponse(population, await countUsers(deps, population), deps.apiBase), version: population.version };
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      throw new InvalidDataError([detail.unique('name', `A population named "${name}" already exists in this environment.`)]);
    }
    if (err instanceof MissingReference && err.field === 'passwordPolicy') {
      throw new InvalidDataError([detail.invalid('passwordPolicy.id', 'passwordPolicy.id does not name a password policy of this environment.')]);
    }
    throw err;
  }
}
