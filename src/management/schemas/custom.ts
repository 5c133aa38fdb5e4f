/**
 * Creating, replacing (PUT), patching (PATCH) and deleting the custom attributes of the user
 * schema (OpenAPI operations createAttribute, updateAttributePut, updateAttributePatch,
 * deleteAttribute; developer.pingidentity.com, "Schemas"). PingOne's mutability rules: core
 * attributes cannot be modified, standard ones cannot be deleted, and a custom one can be
 * modified "except for the name, type and schema"; `multiValued` "can only change from false to
 * true". Keyway derives its standard attributes rather than storing them, so it refuses any
 * change to them as well (the README says so in its Endpoints table).
 */
import { newId } from '../../domain/ids.js';
import { InvalidDataError, NotFoundError } from '../../domain/pingone-error.js';
import { isJsonObject } from '../../domain/json-object.js';
import { UniqueViolation, type SchemaAttributeRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { unwrapUpdate, type CreateOptions } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { detail } from '../errors.js';
import type { Actor } from '../roles.js';
import { USER_FIELDS } from '../users/custom-values.js';
import { USER_ATTRIBUTES } from './attributes.js';
import { parseCustomAttributeBody, type CustomAttributeInput } from './parse.js';
import { builtInAttribute, requireSchema, toCustomAttributeResponse } from './service.js';

/**
 * Names a custom attribute cannot take, in any case: the core and standard attributes', and
 * every other field of PingOne's `User` (a user body could not tell the two apart).
 */
const BUILT_IN_NAMES = new Set([...USER_ATTRIBUTES.map((a) => a.name), ...USER_FIELDS].map((name) => name.toLowerCase()));

export async function createCustomAttribute(deps: ManagementDeps, actor: Actor, environmentId: string, schema: string, body: unknown, options: CreateOptions = {}) {
  await requireEnvironment(deps.store, actor, 'schemas:write', environmentId);
  requireSchema(environmentId, schema);
  const input = checkCustomAttribute(body, undefined);
  const at = deps.now().toISOString();
  const record: SchemaAttributeRecord = { id: options.id ?? newId(), environmentId, name: input.name, settings: input.settings, version: 1, createdAt: at, updatedAt: at };
  await withUniqueName(() => deps.store.createSchemaAttribute(environmentId, record), input.name);
  return toCustomAttributeResponse(deps, record);
}

/** PUT: the body is the whole attribute. */
export async function replaceCustomAttribute(deps: ManagementDeps, actor: Actor, environmentId: string, schema: string, id: string, body: unknown, expectedVersion?: number) {
  const current = await findWritable(deps, actor, environmentId, schema, id);
  return writeUpdate(deps, current, parseCustomAttributeBody(body), expectedVersion);
}

/** PATCH: the fields the body names replace the current ones; the rest stay. */
export async function patchCustomAttribute(deps: ManagementDeps, actor: Actor, environmentId: string, schema: string, id: string, body: unknown, expectedVersion?: number) {
  const current = await findWritable(deps, actor, environmentId, schema, id);
  const merged = isJsonObject(body) ? { name: current.name, ...current.settings, ...body } : body;
  return writeUpdate(deps, current, parseCustomAttributeBody(merged), expectedVersion);
}

export async function deleteCustomAttribute(deps: ManagementDeps, actor: Actor, environmentId: string, schema: string, id: string): Promise<void> {
  await findWritable(deps, actor, environmentId, schema, id);
  if (!(await deps.store.deleteSchemaAttribute(environmentId, id))) throw new NotFoundError();
}

/** The custom attribute `id`; a core or standard one answers 400, anything else 404. */
async function findWritable(deps: ManagementDeps, actor: Actor, environmentId: string, schema: string, id: string): Promise<SchemaAttributeRecord> {
  await requireEnvironment(deps.store, actor, 'schemas:write', environmentId);
  requireSchema(environmentId, schema);
  const builtIn = builtInAttribute(environmentId, id);
  if (builtIn) {
    throw new InvalidDataError([
      detail.constraint('schemaType', `${builtIn.name} is a ${builtIn.schemaType} attribute: only CUSTOM attributes can be changed or deleted.`),
    ]);
  }
  const current = await deps.store.getSchemaAttribute(environmentId, id);
  if (!current) throw new NotFoundError();
  return current;
}

/**
 * The rules a create (`current` absent) or a replacement of `current` holds `body` to, without
 * writing: what the declarative configuration's check pass runs (src/declarative/).
 */
export function checkCustomAttribute(body: unknown, current: SchemaAttributeRecord | undefined): CustomAttributeInput {
  const input = parseCustomAttributeBody(body);
  if (current) refuseImmutableChanges(current, input);
  else refuseBuiltInName(input.name);
  return input;
}

async function writeUpdate(deps: ManagementDeps, current: SchemaAttributeRecord, input: CustomAttributeInput, expectedVersion?: number) {
  refuseImmutableChanges(current, input);
  const next: SchemaAttributeRecord = { ...current, settings: input.settings, updatedAt: deps.now().toISOString() };
  const updated = unwrapUpdate(await withUniqueValues(() => deps.store.updateSchemaAttribute(current.environmentId, next, expectedVersion), current.name));
  return toCustomAttributeResponse(deps, updated);
}

function refuseImmutableChanges(current: SchemaAttributeRecord, input: CustomAttributeInput): void {
  const issues = [];
  if (input.name !== current.name) issues.push(detail.constraint('name', 'The name of an attribute cannot be changed.'));
  if (input.settings.type !== current.settings.type) issues.push(detail.constraint('type', 'The type of an attribute cannot be changed.'));
  if (current.settings.multiValued && !input.settings.multiValued) {
    issues.push(detail.constraint('multiValued', 'multiValued can only change from false to true.'));
  }
  if (issues.length > 0) throw new InvalidDataError(issues);
}

/** A custom attribute cannot take the name of a core or standard one, in any case. */
function refuseBuiltInName(name: string): void {
  if (BUILT_IN_NAMES.has(name.toLowerCase())) {
    throw new InvalidDataError([detail.unique('name', `"${name}" is the name of a core or standard attribute, or another field, of the user.`)]);
  }
}

/** Turning `unique` on fails while two users hold equal values. */
async function withUniqueValues<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'values') {
      throw new InvalidDataError([detail.unique('unique', `Users of this environment hold equal values of ${name}, so its values cannot be made unique.`)]);
    }
    throw err;
  }
}

async function withUniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueViolation && err.field === 'name') {
      throw new InvalidDataError([detail.unique('name', `An attribute named "${name}" already exists in this schema.`)]);
    }
    throw err;
  }
}
