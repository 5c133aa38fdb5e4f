/**
 * The user schema's custom attributes, nested as PingOne nests them
 * (`/environments/{envId}/schemas/{schemaId}/attributes`): `schemas: [{name: User, attributes: […]}]`.
 * An environment has one schema, `User`, which Keyway makes (src/management/schemas/service.ts):
 * it is matched by name and never written. Its core and standard attributes are matched by name
 * too and never changed or pruned; custom ones are created, replaced and pruned. They are
 * reconciled before users, whose custom attribute values the check pass holds to the schema the
 * file gives (`plannedSchema`), before any of it is written.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import { detail } from '../../management/errors.js';
import { USER_ATTRIBUTES } from '../../management/schemas/attributes.js';
import { checkCustomAttribute, createCustomAttribute, deleteCustomAttribute, replaceCustomAttribute } from '../../management/schemas/custom.js';
import { attributeId, listSchemaAttributes, schemaId } from '../../management/schemas/service.js';
import type { SchemaAttributeRecord } from '../../store/types.js';
import { embedded, ownFields, reconcile, type Collection, type Engine, type Existing, type Json } from '../engine.js';
import type { EnvironmentParent } from './parents.js';

const USER_SCHEMA = 'User';

/** The custom attributes the check pass found in the file, per engine and environment, by name. */
const planned = new WeakMap<Engine, Map<string, Map<string, SchemaAttributeRecord>>>();

function plannedOf(e: Engine, environmentId: string): Map<string, SchemaAttributeRecord> {
  let byEnv = planned.get(e);
  if (!byEnv) planned.set(e, (byEnv = new Map()));
  let byName = byEnv.get(environmentId);
  if (!byName) byEnv.set(environmentId, (byName = new Map()));
  return byName;
}

/** The custom attributes users are checked against: the stored ones, with the file's creates and replacements over them. */
export async function plannedSchema(e: Engine, p: EnvironmentParent): Promise<SchemaAttributeRecord[]> {
  const stored = p.isNew && e.mode === 'check' ? [] : await e.deps.store.listSchemaAttributes(p.environmentId);
  const byName = new Map(stored.map((a) => [a.name, a]));
  for (const [name, a] of plannedOf(e, p.environmentId)) byName.set(name, a);
  return [...byName.values()];
}

const byName = (spec: Json): string | undefined => (typeof spec.name === 'string' ? spec.name : undefined);

export const schemas: Collection<EnvironmentParent> = {
  kind: 'schema',
  environmentIdOf: (p) => p.environmentId,
  nameOf: byName,
  list: async (_e, p) => [{ id: schemaId(p.environmentId), name: USER_SCHEMA, body: { name: USER_SCHEMA }, builtIn: true }],
  body: async (_e, _p, spec) => ownFields(spec, ['attributes']),
  async check(_e, _p, _body, _spec, existing) {
    throw new InvalidDataError([
      existing ? detail.constraint('name', 'The User schema cannot be changed; list its attributes.') : detail.invalid('name', 'An environment has one schema, named User.'),
    ]);
  },
  async create() {
    throw new InvalidDataError([detail.invalid('name', 'An environment has one schema, named User.')]);
  },
  async update() {
    throw new InvalidDataError([detail.constraint('name', 'The User schema cannot be changed; list its attributes.')]);
  },
  async remove() {},
  async children(e, p, _id, spec, pointer, isNew) {
    await reconcile(e, schemaAttributes, { ...p, isNew: p.isNew || isNew }, spec.attributes, `${pointer}/attributes`, p.isNew || isNew);
  },
};

/** Fields the API answers that a body does not hold (`schemaType` only tells built-in from custom). */
const ANSWER_ONLY = ['schema', 'schemaType', 'ldapAttribute'];

export const schemaAttributes: Collection<EnvironmentParent> = {
  kind: 'schemaAttribute',
  environmentIdOf: (p) => p.environmentId,
  nameOf: byName,
  async list(e, p) {
    if (p.isNew && e.mode === 'check') {
      // A new environment's schema holds the core and standard attributes only (their ids are name-based).
      return USER_ATTRIBUTES.map((a) => ({ id: attributeId(p.environmentId, a.name), name: a.name, body: { ...a }, builtIn: true }));
    }
    const items = embedded(await listSchemaAttributes(e.deps, e.actor, p.environmentId, schemaId(p.environmentId)), 'attributes');
    return items.map((b): Existing => ({ id: b.id as string, name: b.name as string, body: b, builtIn: b.schemaType !== 'CUSTOM' }));
  },
  body: async (_e, _p, spec) => ownFields(spec, ANSWER_ONLY),
  async check(e, p, body, _spec, existing) {
    if (existing?.builtIn) {
      throw new InvalidDataError([detail.constraint('schemaType', `${existing.name} is a ${String(existing.body.schemaType)} attribute: only CUSTOM attributes can be changed.`)]);
    }
    const current = existing ? await e.deps.store.getSchemaAttribute(p.environmentId, existing.id) : undefined;
    const input = checkCustomAttribute(body, current);
    const at = e.deps.now().toISOString();
    const id = existing?.id ?? attributeId(p.environmentId, input.name);
    plannedOf(e, p.environmentId).set(input.name, { id, environmentId: p.environmentId, name: input.name, settings: input.settings, version: 1, createdAt: at, updatedAt: at });
  },
  create: async (e, p, id, body) => void (await createCustomAttribute(e.deps, e.actor, p.environmentId, schemaId(p.environmentId), body, { id })),
  update: async (e, p, x, body) => void (await replaceCustomAttribute(e.deps, e.actor, p.environmentId, schemaId(p.environmentId), x.id, body, undefined)),
  remove: async (e, p, x) => deleteCustomAttribute(e.deps, e.actor, p.environmentId, schemaId(p.environmentId), x.id),
};
