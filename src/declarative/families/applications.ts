/**
 * Applications with a pinned `secret`, and their `grants[]` (`{resource: {id}, scopes: [{id}]}`,
 * either by id or by name), `signing.keyRotationPolicy` by id or name, `attributes[]` (attribute mappings) and `roleAssignments[]`. An
 * application's `jwks` is its PingOne body field; PRIVATE_KEY_JWT clients verify with it, and
 * with its uploaded `certificates[]` (./client-certificates.ts).
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import {
  createApplicationAttribute,
  deleteApplicationAttribute,
  listApplicationAttributes,
  replaceApplicationAttribute,
} from '../../management/attribute-mappings/application-service.js';
import { parseApplicationAttributeBody } from '../../management/attribute-mappings/application-parse.js';
import { currentSecret, pinSecret } from '../../management/applications/secret-service.js';
import { createApplication, deleteApplication, listApplications, replaceApplication } from '../../management/applications/service.js';
import { parseApplicationBody } from '../../management/applications/validate.js';
import { detail } from '../../management/errors.js';
import { createGrant, deleteGrant, listGrants, parseGrantBody, replaceGrant } from '../../management/grants.js';
import { createRoleAssignment, deleteRoleAssignment, listRoleAssignments, parseRoleAssignmentBody } from '../../management/role-assignments.js';
import { ALL_ROLES, canAssign } from '../../management/roles.js';
import { withoutStanding } from '../standing.js';
import { ALL, embedded, ownFields, reconcile, resolveRef, type Collection, type Engine, type Json } from '../engine.js';
import { clientCertificates } from './client-certificates.js';
import { tables, type ApplicationParent, type EnvironmentParent } from './parents.js';

const APPLICATION_LOCAL = ['secret', 'grants', 'attributes', 'roleAssignments', 'certificates'] as const;
/** As for the bootstrap secret (README, KEYWAY_BOOTSTRAP_CLIENT_SECRET): 32–256 printable ASCII characters. */
const SECRET = /^[\x21-\x7e]{32,256}$/;

export const applications: Collection<EnvironmentParent> = {
  kind: 'application',
  environmentIdOf: (p) => p.environmentId,
  nameOf: (spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listApplications(e.deps, e.actor, p.environmentId, ALL), 'applications');
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b }));
  },
  body: async (e, p, spec, pointer) => withPolicy(e, p, ownFields(spec, APPLICATION_LOCAL), pointer),
  async check(e, p, body, spec, existing) {
    if (spec.secret !== undefined && (typeof spec.secret !== 'string' || !SECRET.test(spec.secret))) {
      throw new InvalidDataError([detail.invalid('secret', 'secret must be 32 to 256 printable ASCII characters.')]);
    }
    const stored = existing ? await e.deps.store.getApplication(p.environmentId, existing.id) : undefined;
    const mode = stored ? { kind: 'replace' as const, existing: stored.config } : { kind: 'create' as const };
    parseApplicationBody(body, { ...mode, jwksUrlHosts: e.deps.jwksUrlHosts });
  },
  async create(e, p, id, body, spec) {
    await createApplication(e.deps, e.actor, p.environmentId, body, { id, ...(typeof spec.secret === 'string' ? { secret: spec.secret } : {}) });
  },
  async update(e, p, x, body, spec) {
    await replaceApplication(e.deps, e.actor, p.environmentId, x.id, body, undefined);
    if (typeof spec.secret === 'string' && (await currentSecret(e.deps, e.actor, p.environmentId, x.id)) !== spec.secret) {
      await pinSecret(e.deps, e.actor, p.environmentId, x.id, spec.secret);
    }
  },
  async extraDiffers(e, p, x, spec) {
    return typeof spec.secret === 'string' && (await currentSecret(e.deps, e.actor, p.environmentId, x.id)) !== spec.secret;
  },
  remove: async (e, p, x) => deleteApplication(e.deps, e.actor, p.environmentId, x.id, undefined),
  async children(e, p, id, spec, pointer, isNew) {
    const child: ApplicationParent = { ...p, applicationId: id, isNew: p.isNew || isNew };
    await reconcile(e, grants, child, spec.grants, `${pointer}/grants`, child.isNew);
    await reconcile(e, applicationAttributes, child, spec.attributes, `${pointer}/attributes`, child.isNew);
    await reconcile(e, roleAssignments, child, spec.roleAssignments, `${pointer}/roleAssignments`, child.isNew);
    await reconcile(e, clientCertificates, child, spec.certificates, `${pointer}/certificates`, child.isNew);
  },
};

/** `signing.keyRotationPolicy: {name}` becomes `{id}` (a policy of the file or of the server). */
function withPolicy(e: Engine, p: EnvironmentParent, body: Json, pointer: string): Json {
  const signing = body.signing as Json | undefined;
  const ref = signing?.keyRotationPolicy as Json | undefined;
  if (!ref || typeof ref !== 'object' || ref.id !== undefined || ref.name === undefined) return body;
  const id = resolveRef(e, tables.keyRotationPolicies(p.environmentId), ref, `${pointer}/signing/keyRotationPolicy`, 'key rotation policy');
  return { ...body, signing: { ...signing, keyRotationPolicy: { id } } };
}

const pathOf = (p: ApplicationParent) => ({ environmentId: p.environmentId, applicationId: p.applicationId });

/** The grant body with its resource and scopes as ids. */
function grantBody(e: Engine, p: ApplicationParent, spec: Json, pointer: string): Json {
  const resourceId = resolveRef(e, tables.resources(p.environmentId), spec.resource, `${pointer}/resource`, 'resource');
  const scopeRefs = Array.isArray(spec.scopes) ? spec.scopes : [];
  const scopeIds = scopeRefs.map((ref, i) => resolveRef(e, tables.scopes(p.environmentId, resourceId), ref, `${pointer}/scopes/${i}`, 'scope of the resource'));
  return { ...ownFields(spec, []), resource: { id: resourceId }, scopes: scopeIds.map((id) => ({ id })) };
}

export const grants: Collection<ApplicationParent> = {
  kind: 'grant',
  environmentIdOf: (p) => p.environmentId,
  // An application has one grant per resource: the resource is the grant's name.
  nameOf(spec, p, e, pointer) {
    try {
      return resolveRef(e, tables.resources(p.environmentId), spec.resource, `${pointer}/resource`, 'resource');
    } catch {
      return undefined;
    }
  },
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listGrants(e.deps, e.actor, pathOf(p), ALL), 'grants');
    return items.map((b) => ({ id: b.id as string, name: (b.resource as Json).id as string, body: b }));
  },
  body: async (e, p, spec, pointer) => grantBody(e, p, spec, pointer),
  check: async (_e, _p, body) => void parseGrantBody(body),
  create: async (e, p, id, body) => void (await createGrant(e.deps, e.actor, pathOf(p), body, { id })),
  update: async (e, p, x, body) => void (await replaceGrant(e.deps, e.actor, pathOf(p), x.id, body, undefined)),
  remove: async (e, p, x) => deleteGrant(e.deps, e.actor, pathOf(p), x.id),
};

export const applicationAttributes: Collection<ApplicationParent> = {
  kind: 'applicationAttribute',
  environmentIdOf: (p) => p.environmentId,
  nameOf: (spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listApplicationAttributes(e.deps, e.actor, pathOf(p)), 'attributes');
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b, builtIn: b.mappingType === 'CORE' }));
  },
  body: async (_e, _p, spec) => ownFields(spec, []),
  // The granted openid scopes `oidcScopes` may name are known once the grants are written: the
  // write pass checks them (through the service), the check pass the rest of the body.
  check: async (_e, _p, body) => void parseApplicationAttributeBody(body, new Set(Array.isArray(body.oidcScopes) ? (body.oidcScopes as string[]) : []), false),
  create: async (e, p, id, body) => void (await createApplicationAttribute(e.deps, e.actor, pathOf(p), body, { id })),
  update: async (e, p, x, body) => void (await replaceApplicationAttribute(e.deps, e.actor, pathOf(p), x.id, body, undefined)),
  remove: async (e, p, x) => deleteApplicationAttribute(e.deps, e.actor, pathOf(p), x.id),
};

/** A role named by `name` instead of id (`Environment Admin`). */
function roleAssignmentBody(spec: Json): Json {
  const body = ownFields(spec, []);
  const role = spec.role as Json | undefined;
  if (role && typeof role.name === 'string' && role.id === undefined) {
    const found = ALL_ROLES.find((r) => r.name === role.name);
    if (!found) throw new InvalidDataError([detail.invalid('role.name', `no role is named ${JSON.stringify(role.name)}.`)]);
    body.role = { id: found.id };
  }
  return body;
}

const assignmentKey = (b: Json): string => `${(b.role as Json | undefined)?.id} ${(b.scope as Json | undefined)?.type} ${(b.scope as Json | undefined)?.id}`;

export const roleAssignments: Collection<ApplicationParent> = {
  kind: 'roleAssignment',
  environmentIdOf: (p) => p.environmentId,
  // Matched by role and scope when no id is given: an application holds one of each.
  nameOf: (spec) => {
    try {
      return assignmentKey(roleAssignmentBody(spec));
    } catch {
      return undefined;
    }
  },
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listRoleAssignments(e.deps, e.actor, pathOf(p), ALL), 'roleAssignments');
    return items.map((b) => ({ id: b.id as string, name: assignmentKey(b), body: b }));
  },
  body: async (_e, _p, spec) => roleAssignmentBody(spec),
  async check(e, _p, body, _spec, existing) {
    if (existing) throw unchangeable();
    const input = parseRoleAssignmentBody(body);
    if (!canAssign(withoutStanding(e.actor), input.roleId, input.scopeType, input.scopeId)) throw notHeld();
  },
  // The caller's own roles, never the apply's standing over the environments it covers (../standing.ts).
  create: async (e, p, id, body) => void (await createRoleAssignment(e.deps, withoutStanding(e.actor), pathOf(p), body, { id })),
  async update() {
    throw unchangeable();
  },
  remove: async (e, p, x) => deleteRoleAssignment(e.deps, withoutStanding(e.actor), pathOf(p), x.id),
};

const notHeld = (): InvalidDataError =>
  new InvalidDataError([detail.constraint('role', 'A role can be given only by a caller that holds it at that scope (its standing over the environments of this apply does not count).')]);

const unchangeable = (): InvalidDataError =>
  new InvalidDataError([detail.constraint('role', 'A role assignment cannot change: remove it and add another (with another id).')]);
