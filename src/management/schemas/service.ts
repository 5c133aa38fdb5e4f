/**
 * `GET …/schemas`, `GET …/schemas/{schemaId}`, `GET …/schemas/{schemaId}/attributes` and
 * `GET …/attributes/{attributeId}` (OpenAPI `Schema`, `SchemaAttribute`). PingOne has one schema
 * per environment, "User". Its core and standard attributes are the same in every environment,
 * so Keyway derives them instead of storing them; their ids are name-based UUIDs (RFC 9562 §5.8,
 * a SHA-256 hash of the environment id and the attribute's name), stable across restarts and
 * instances and different in each environment. Custom attributes are stored, with random ids
 * (src/management/schemas/custom.ts writes them).
 */
import { createHash } from 'node:crypto';
import { NotFoundError } from '../../domain/pingone-error.js';
import type { SchemaAttributeRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import type { ManagementDeps } from '../context.js';
import type { Actor } from '../roles.js';
import { USER_ATTRIBUTES, type AttributeDefinition } from './attributes.js';

/** A UUID (RFC 9562 §5.8, version 8) named by `parts`. */
function nameBasedId(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const schemaId = (environmentId: string): string => nameBasedId(environmentId, 'schema', 'User');
export const attributeId = (environmentId: string, path: string): string => nameBasedId(environmentId, 'attribute', path);

export const schemaHref = (deps: ManagementDeps, environmentId: string) => `${deps.apiBase}/environments/${environmentId}/schemas/${schemaId(environmentId)}`;

function toAttributeResponse(deps: ManagementDeps, environmentId: string, a: AttributeDefinition, path = a.name): Record<string, unknown> {
  const id = attributeId(environmentId, path);
  const body: Record<string, unknown> = {
    _links: { self: { href: `${schemaHref(deps, environmentId)}/attributes/${id}` }, schema: { href: schemaHref(deps, environmentId) } },
    id,
    environment: { id: environmentId },
    schema: { id: schemaId(environmentId) },
    name: a.name,
    displayName: a.displayName,
    type: a.type,
    schemaType: a.schemaType,
    enabled: true,
    required: a.required,
    unique: a.unique,
    multiValued: a.multiValued,
  };
  if (a.subAttributes) body.subAttributes = a.subAttributes.map((sub) => toAttributeResponse(deps, environmentId, sub, `${path}.${sub.name}`));
  return body;
}

/** A custom attribute as PingOne answers it: the fields of a built-in one, with its definition's. */
export function toCustomAttributeResponse(deps: ManagementDeps, a: SchemaAttributeRecord): Record<string, unknown> {
  const { environmentId } = a;
  return {
    _links: { self: { href: `${schemaHref(deps, environmentId)}/attributes/${a.id}` }, schema: { href: schemaHref(deps, environmentId) } },
    id: a.id,
    environment: { id: environmentId },
    schema: { id: schemaId(environmentId) },
    name: a.name,
    ...a.settings,
    schemaType: 'CUSTOM',
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

async function attributesOf(deps: ManagementDeps, environmentId: string): Promise<Record<string, unknown>[]> {
  const custom = await deps.store.listSchemaAttributes(environmentId);
  return [...USER_ATTRIBUTES.map((a) => toAttributeResponse(deps, environmentId, a)), ...custom.map((a) => toCustomAttributeResponse(deps, a))];
}

/** The core or standard attribute `id` names in `environmentId`, if it names one. */
export function builtInAttribute(environmentId: string, id: string): AttributeDefinition | undefined {
  return USER_ATTRIBUTES.find((a) => attributeId(environmentId, a.name) === id);
}

async function toSchemaResponse(deps: ManagementDeps, environmentId: string): Promise<Record<string, unknown>> {
  return {
    _links: {
      self: { href: schemaHref(deps, environmentId) },
      environment: { href: `${deps.apiBase}/environments/${environmentId}` },
      attributes: { href: `${schemaHref(deps, environmentId)}/attributes` },
    },
    id: schemaId(environmentId),
    environment: { id: environmentId },
    name: 'User',
    description: "The environment's user schema",
    attributes: await attributesOf(deps, environmentId),
  };
}

export function requireSchema(environmentId: string, id: string): void {
  if (id !== schemaId(environmentId)) throw new NotFoundError();
}

export async function listSchemas(deps: ManagementDeps, actor: Actor, environmentId: string) {
  await requireEnvironment(deps.store, actor, 'schemas:read', environmentId);
  const self = `${deps.apiBase}/environments/${environmentId}/schemas`;
  return { _links: { self: { href: self } }, _embedded: { schemas: [await toSchemaResponse(deps, environmentId)] }, count: 1, size: 1 };
}

export async function readSchema(deps: ManagementDeps, actor: Actor, environmentId: string, id: string) {
  await requireEnvironment(deps.store, actor, 'schemas:read', environmentId);
  requireSchema(environmentId, id);
  return toSchemaResponse(deps, environmentId);
}

export async function listSchemaAttributes(deps: ManagementDeps, actor: Actor, environmentId: string, id: string) {
  await requireEnvironment(deps.store, actor, 'schemas:read', environmentId);
  requireSchema(environmentId, id);
  const items = await attributesOf(deps, environmentId);
  return { _links: { self: { href: `${schemaHref(deps, environmentId)}/attributes` } }, _embedded: { attributes: items }, count: items.length, size: items.length };
}

export async function readSchemaAttribute(deps: ManagementDeps, actor: Actor, environmentId: string, id: string, attribute: string) {
  await requireEnvironment(deps.store, actor, 'schemas:read', environmentId);
  requireSchema(environmentId, id);
  const custom = await deps.store.getSchemaAttribute(environmentId, attribute);
  if (custom) return toCustomAttributeResponse(deps, custom);
  const found = (await attributesOf(deps, environmentId)).find((a) => a.id === attribute);
  if (!found) throw new NotFoundError();
  return found;
}
