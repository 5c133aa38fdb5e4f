/**
 * Resources with their `scopes[]` and `attributes[]` (PingOne's resource, scope and resource
 * attribute bodies). The built-in resources (`openid`, `PingOne API`) are matched by name and
 * never written or pruned; grants may name them. Under the `openid` resource the file gives
 * custom scopes (with `mappedClaims`: ids of the resource's custom attributes) and attributes:
 * custom claims, and overrides of a predefined claim's `value` (PUT of the PREDEFINED attribute,
 * which keeps its name); its standard scopes, its predefined claims and every resource's `sub`
 * are matched by name and never created or pruned. Attributes are reconciled before scopes, so
 * that a scope's `mappedClaims` names attributes that exist.
 */
import { PREDEFINED_OPENID_CLAIMS, STANDARD_OPENID_SCOPES } from '../../domain/openid-resource.js';
import { InvalidDataError } from '../../domain/pingone-error.js';
import { OPENID_SCOPES } from '../../management/environments/seed.js';
import { detail } from '../../management/errors.js';
import {
  checkResourceAttributeBody,
  createResourceAttribute,
  deleteResourceAttribute,
  listResourceAttributes,
  replaceResourceAttribute,
} from '../../management/attribute-mappings/resource-service.js';
import { createResource, deleteResource, listResources, parseResourceBody, replaceResource } from '../../management/resources.js';
import { createScope, deleteScope, listScopes, parseScopeBody, replaceScope } from '../../management/scopes.js';
import { ALL, embedded, isPendingId, nameTable, ownFields, pendingId, reconcile, type Collection, type Engine, type Existing, type Json } from '../engine.js';
import type { ResourceAttributeSettings } from '../../store/types.js';
import { tables, type EnvironmentParent, type ResourceParent } from './parents.js';

/** The built-in resources the walk has met, per engine: id → type. */
const builtInTypes = new WeakMap<Engine, Map<string, string>>();

function typeOf(e: Engine, resourceId: string): string | undefined {
  return builtInTypes.get(e)?.get(resourceId);
}

function noteBuiltIn(e: Engine, id: string, type: string): void {
  let types = builtInTypes.get(e);
  if (!types) builtInTypes.set(e, (types = new Map()));
  types.set(id, type);
}

const BUILT_IN_TYPES = new Set(['OPENID_CONNECT', 'PINGONE_API']);
const byName = (spec: Json): string | undefined => (typeof spec.name === 'string' ? spec.name : undefined);

export const resources: Collection<EnvironmentParent> = {
  kind: 'resource',
  environmentIdOf: (p) => p.environmentId,
  table: (p) => tables.resources(p.environmentId),
  nameOf: byName,
  async list(e, p) {
    if (p.isNew && e.mode === 'check') {
      // What a new environment starts with (../../management/environments/seed.ts).
      const scopes = nameTable(e, tables.scopes(p.environmentId, pendingId(2)));
      OPENID_SCOPES.forEach((name, i) => scopes.set(name, pendingId(10 + i)));
      noteBuiltIn(e, pendingId(2), 'OPENID_CONNECT');
      noteBuiltIn(e, pendingId(3), 'PINGONE_API');
      return [
        { id: pendingId(2), name: 'openid', body: { name: 'openid', type: 'OPENID_CONNECT' }, builtIn: true },
        { id: pendingId(3), name: 'PingOne API', body: { name: 'PingOne API', type: 'PINGONE_API' }, builtIn: true },
      ];
    }
    const items = embedded(await listResources(e.deps, e.actor, p.environmentId, ALL), 'resources');
    // Grants name scopes of any resource, listed in the file or not.
    for (const r of items) {
      const scopes = nameTable(e, tables.scopes(p.environmentId, r.id as string));
      for (const s of embedded(await listScopes(e.deps, e.actor, { environmentId: p.environmentId, resourceId: r.id as string }, ALL), 'scopes')) {
        scopes.set(s.name as string, s.id as string);
      }
    }
    for (const r of items) if (BUILT_IN_TYPES.has(r.type as string)) noteBuiltIn(e, r.id as string, r.type as string);
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b, builtIn: BUILT_IN_TYPES.has(b.type as string) }));
  },
  body: async (_e, _p, spec) => ownFields(spec, ['scopes', 'attributes']),
  check: async (e, _p, body) => void parseResourceBody(body, e.deps.publicUrl),
  create: async (e, p, id, body) => void (await createResource(e.deps, e.actor, p.environmentId, body, { id })),
  update: async (e, p, x, body) => void (await replaceResource(e.deps, e.actor, p.environmentId, x.id, body, undefined)),
  remove: async (e, p, x) => deleteResource(e.deps, e.actor, p.environmentId, x.id),
  async children(e, p, id, spec, pointer, isNew) {
    const child: ResourceParent = { ...p, resourceId: id, isNew: p.isNew || isNew };
    await reconcile(e, resourceAttributes, child, spec.attributes, `${pointer}/attributes`, child.isNew);
    await reconcile(e, scopes, child, spec.scopes, `${pointer}/scopes`, child.isNew);
  },
};

const newInCheck = (e: { mode: string }, p: ResourceParent): boolean => e.mode === 'check' && (p.isNew || isPendingId(p.resourceId));

/** Scopes Keyway makes with the resource: every PingOne API scope, the openid resource's standard ones. */
function isBuiltInScope(e: Engine, p: ResourceParent, name: string): boolean {
  const type = typeOf(e, p.resourceId);
  return type === 'PINGONE_API' || (type === 'OPENID_CONNECT' && STANDARD_OPENID_SCOPES.has(name));
}

export const scopes: Collection<ResourceParent> = {
  kind: 'scope',
  environmentIdOf: (p) => p.environmentId,
  table: (p) => tables.scopes(p.environmentId, p.resourceId),
  nameOf: byName,
  async list(e, p) {
    if (newInCheck(e, p)) {
      // The openid resource of a new environment: its standard scopes, as the name table has them.
      if (typeOf(e, p.resourceId) !== 'OPENID_CONNECT') return [];
      return OPENID_SCOPES.map((name, i): Existing => ({ id: pendingId(10 + i), name, body: { name }, builtIn: true }));
    }
    const items = embedded(await listScopes(e.deps, e.actor, p, ALL), 'scopes');
    return items.map((b): Existing => ({ id: b.id as string, name: b.name as string, body: b, builtIn: isBuiltInScope(e, p, b.name as string) }));
  },
  body: async (_e, _p, spec) => ownFields(spec, []),
  async check(e, p, body) {
    const input = parseScopeBody(body);
    if (input.mappedClaims === undefined) return;
    if (typeOf(e, p.resourceId) !== 'OPENID_CONNECT') throw new InvalidDataError([detail.invalid('mappedClaims', 'mappedClaims applies to scopes of the OPENID_CONNECT resource only.')]);
    // The claims the file or the server gives this resource (the write pass holds them to custom ones).
    const known = new Set(nameTable(e, tables.resourceAttributes(p.environmentId, p.resourceId)).values());
    const issues = input.mappedClaims.flatMap((id, i) => (known.has(id) ? [] : [detail.invalid(`mappedClaims[${i}]`, 'mappedClaims may only name custom attributes of the openid resource.')]));
    if (issues.length > 0) throw new InvalidDataError(issues);
  },
  create: async (e, p, id, body) => void (await createScope(e.deps, e.actor, p, body, { id })),
  update: async (e, p, x, body) => void (await replaceScope(e.deps, e.actor, p, x.id, body, undefined)),
  remove: async (e, p, x) => deleteScope(e.deps, e.actor, p, x.id),
};

/** What a new environment's resource starts with: `sub`, and on the openid resource the predefined claims. */
function startingAttributes(e: Engine, p: ResourceParent): Existing[] {
  const openId = typeOf(e, p.resourceId) === 'OPENID_CONNECT';
  if (typeOf(e, p.resourceId) === undefined) return [];
  const claims = openId ? PREDEFINED_OPENID_CLAIMS.map(([name, value]) => ({ name, value, type: 'PREDEFINED' })) : [];
  return [{ name: 'sub', value: '${user.id}', type: 'CORE' }, ...claims].map((b, i) => ({ id: pendingId(100 + i), name: b.name, body: b, builtIn: true }));
}

export const resourceAttributes: Collection<ResourceParent> = {
  kind: 'resourceAttribute',
  environmentIdOf: (p) => p.environmentId,
  table: (p) => tables.resourceAttributes(p.environmentId, p.resourceId),
  nameOf: byName,
  async list(e, p) {
    if (newInCheck(e, p)) return startingAttributes(e, p);
    const items = embedded(await listResourceAttributes(e.deps, e.actor, p), 'attributes');
    return items.map((b): Existing => ({ id: b.id as string, name: b.name as string, body: b, builtIn: b.type !== 'CUSTOM' }));
  },
  body: async (_e, _p, spec) => ownFields(spec, []),
  async check(e, p, body, _spec, existing) {
    const current = existing ? { name: existing.name, settings: { type: existing.body.type as ResourceAttributeSettings['type'], value: String(existing.body.value) } } : undefined;
    checkResourceAttributeBody(body, typeOf(e, p.resourceId) === 'OPENID_CONNECT', current);
  },
  create: async (e, p, id, body) => void (await createResourceAttribute(e.deps, e.actor, p, body, { id })),
  update: async (e, p, x, body) => void (await replaceResourceAttribute(e.deps, e.actor, p, x.id, body, undefined)),
  remove: async (e, p, x) => deleteResourceAttribute(e.deps, e.actor, p, x.id),
};
