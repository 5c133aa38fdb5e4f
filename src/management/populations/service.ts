/**
 * Populations: list, read, create, replace (PUT), delete (reference/pingone-api.md §5.3).
 * Every environment has exactly one default population (created with it): making another one
 * the default moves the flag, and the default cannot be unset directly or deleted. The last
 * population and populations holding users cannot be deleted either.
 */
import { newId } from '../../domain/ids.js';
import { UniqueViolation, type PageRequest, type PopulationDeleteResult, type PopulationRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { collection, unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail, InvalidDataError, NotFoundError } from '../errors.js';
import type { Actor } from '../roles.js';
import { parsePopulationBody } from './parse.js';
import { toPopulationResponse } from './serialize.js';

export interface VersionedBody {
  body: Record<string, unknown>;
  version: number;
}

export async function listPopulations(deps: ManagementDeps, actor: Actor, environmentId: string, page: PageRequest) {
  await requireEnvironment(deps.store, actor, 'populations:read', environmentId);
  const result = await deps.store.listPopulations(environmentId, page);
  const items = await Promise.all(result.items.map(async (p) => toPopulationResponse(p, await countUsers(deps, p), deps.apiBase)));
  return collection(`${deps.apiBase}/environments/${environmentId}/populations`, 'populations', { ...result, items }, page);
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

export async function createPopulation(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown): Promise<VersionedBody> {
  await requireEnvironment(deps.store, actor, 'populations:write', environmentId);
  const input = parsePopulationBody(body);
  const at = deps.now().toISOString();
  const population: PopulationRecord = { id: newId(), environmentId, ...input, default: input.default ?? false, version: 1, createdAt: at, updatedAt: at };
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
  const updated = unwrapUpdate(await withUniqueName(() => deps.store.updatePopulation(environmentId, next, expectedVersion), input.name));
  return respond(deps, updated);
}

const DELETE_REFUSALS: Record<Exclude<PopulationDeleteResult, 'deleted' | 'not_found'>, [string, string]> = {
  last: ['id', 'The last population of an environment cannot be deleted.'],
  default: ['default', 'The default population cannot be deleted: make another population the default first.'],
  has_users: ['userCount', 'A population that holds users cannot be deleted: move or delete its users first.'],
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
    throw err;
  }
}
