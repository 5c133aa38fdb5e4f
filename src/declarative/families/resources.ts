/**
 * Custom resources with their `scopes[]` and `attributes[]` (PingOne's resource, scope and
 * resource attribute bodies). The built-in resources (`openid`, `PingOne API`) and their scopes
 * are matched by name and never written or pruned; grants may name them.
 */
import { OPENID_SCOPES } from '../../management/environments/seed.js';
import {
  createResourceAttribute,
  deleteResourceAttribute,
  listResourceAttributes,
  parseResourceAttributeBody,
  replaceResourceAttribute,
} from '../../management/attribute-mappings/resource-service.js';
import { createResource, deleteResource, listResources, parseResourceBody, replaceResource } from '../../management/resources.js';
import { createScope, deleteScope, listScopes, parseScopeBody, replaceScope } from '../../management/scopes.js';
import { ALL, embedded, isPendingId, nameTable, ownFields, pendingId, reconcile, type Collection, type Existing } from '../engine.js';
import { tables, type EnvironmentParent, type ResourceParent } from './parents.js';

const BUILT_IN_TYPES = new Set(['OPENID_CONNECT', 'PINGONE_API']);
const byName = (spec: Record<string, unknown>): string | undefined => (typeof spec.name === 'string' ? spec.name : undefined);

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
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b, builtIn: BUILT_IN_TYPES.has(b.type as string) }));
  },
  body: async (_e, _p, spec) => ownFields(spec, ['scopes', 'attributes']),
  check: async (e, _p, body) => void parseResourceBody(body, e.deps.publicUrl),
  create: async (e, p, id, body) => void (await createResource(e.deps, e.actor, p.environmentId, body, { id })),
  update: async (e, p, x, body) => void (await replaceResource(e.deps, e.actor, p.environmentId, x.id, body, undefined)),
  remove: async (e, p, x) => deleteResource(e.deps, e.actor, p.environmentId, x.id),
  async children(e, p, id, spec, pointer, isNew) {
    const child: ResourceParent = { ...p, resourceId: id, isNew: p.isNew || isNew };
    await reconcile(e, scopes, child, spec.scopes, `${pointer}/scopes`, child.isNew);
    await reconcile(e, resourceAttributes, child, spec.attributes, `${pointer}/attributes`, child.isNew);
  },
};

const newInCheck = (e: { mode: string }, p: ResourceParent): boolean => e.mode === 'check' && (p.isNew || isPendingId(p.resourceId));

export const scopes: Collection<ResourceParent> = {
  kind: 'scope',
  environmentIdOf: (p) => p.environmentId,
  table: (p) => tables.scopes(p.environmentId, p.resourceId),
  nameOf: byName,
  async list(e, p) {
    if (newInCheck(e, p)) return [];
    const items = embedded(await listScopes(e.deps, e.actor, p, ALL), 'scopes');
    return items.map((b): Existing => ({ id: b.id as string, name: b.name as string, body: b }));
  },
  body: async (_e, _p, spec) => ownFields(spec, []),
  check: async (_e, _p, body) => void parseScopeBody(body),
  create: async (e, p, id, body) => void (await createScope(e.deps, e.actor, p, body, { id })),
  update: async (e, p, x, body) => void (await replaceScope(e.deps, e.actor, p, x.id, body, undefined)),
  remove: async (e, p, x) => deleteScope(e.deps, e.actor, p, x.id),
};

export const resourceAttributes: Collection<ResourceParent> = {
  kind: 'resourceAttribute',
  environmentIdOf: (p) => p.environmentId,
  nameOf: byName,
  async list(e, p) {
    if (newInCheck(e, p)) return [];
    const items = embedded(await listResourceAttributes(e.deps, e.actor, p), 'attributes');
    return items.map((b): Existing => ({ id: b.id as string, name: b.name as string, body: b, builtIn: b.type !== 'CUSTOM' }));
  },
  body: async (_e, _p, spec) => ownFields(spec, []),
  check: async (_e, _p, body) => void parseResourceAttributeBody(body),
  create: async (e, p, id, body) => void (await createResourceAttribute(e.deps, e.actor, p, body, { id })),
  update: async (e, p, x, body) => void (await replaceResourceAttribute(e.deps, e.actor, p, x.id, body, undefined)),
  remove: async (e, p, x) => deleteResourceAttribute(e.deps, e.actor, p, x.id),
};
