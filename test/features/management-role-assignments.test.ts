/**
 * Role assignments of worker applications (docs/pingone-reference.md §5.1, §6.7) and what they
 * allow: a worker whose role covers environment X cannot act on Y, and no actor can give away a
 * role it does not hold itself over the target scope.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  collectPages,
  createApp,
  createEnvironment,
  expectDetail,
  expectForbidden,
  expectSchema,
  expectStatus,
  jwtPayload,
  raceAtStore,
  startInProcess,
  tokenFor,
  type CreatedApp,
  type InProcess,
  type RoleScope,
} from '../support/harness.js';

let h: InProcess;
let envX: string;
let envY: string;
let worker: CreatedApp;
let assignmentId: string;

const onX = (): RoleScope => ({ type: 'ENVIRONMENT', id: envX });
const assignmentsOf = (envId: string, app: CreatedApp) => `/v1/environments/${envId}/applications/${app.id}/roleAssignments`;

before(async () => {
  h = await startInProcess();
  envX = await createEnvironment(h, 'Environment X');
  envY = await createEnvironment(h, 'Environment Y');
  worker = await createApp(h, envX, 'x-worker');
});
after(() => h.close());

describe('role assignments: create, read, list, effect, delete', () => {
  test('a worker without roles or grants gets no token (invalid_scope)', async () => {
    assert.equal(expectStatus(await h.clientCredentials(envX, worker.id, worker.secret), 400).body.error, 'invalid_scope');
  });

  test('POST assigns a role shaped like RoleAssignment', async () => {
    const res = expectStatus(await assignRole(h, envX, worker.id, ROLES.clientApplicationDeveloper.id, onX()), 201);
    expectSchema('RoleAssignment', res.body);
    assignmentId = res.body.id as string;
    assert.deepEqual(res.body.role, { id: ROLES.clientApplicationDeveloper.id });
    assert.deepEqual(res.body.scope, { id: envX, type: 'ENVIRONMENT' });
    assert.deepEqual(res.body.environment, { id: envX });
    assert.equal(res.body.readOnly, false);
    assert.deepEqual(res.body._links, {
      self: { href: `${h.publicUrl}${assignmentsOf(envX, worker)}/${assignmentId}` },
      environment: { href: `${h.publicUrl}/v1/environments/${envX}` },
      role: { href: `${h.publicUrl}/v1/roles/${ROLES.clientApplicationDeveloper.id}` },
    });
    assert.deepEqual(expectStatus(await h.inject('GET', `${assignmentsOf(envX, worker)}/${assignmentId}`), 200).body, res.body);
    const list = expectStatus(await h.inject('GET', assignmentsOf(envX, worker)), 200);
    assert.deepEqual(list.body._embedded.roleAssignments, [res.body]);
  });

  test('the next token request gets a management token for environment X', async () => {
    const claims = jwtPayload(await tokenFor(h, envX, worker));
    assert.ok((claims.aud as string[]).includes(h.publicUrl));
    assert.equal(claims.env, envX);
  });

  test('the worker acts on X, and gets 403 on Y', async () => {
    const token = await tokenFor(h, envX, worker);
    expectStatus(await h.inject('GET', `/v1/environments/${envX}/resources`, { token }), 200);
    expectStatus(await h.inject('POST', `/v1/environments/${envX}/resources`, { token, body: { name: 'x-api' } }), 201);
    expectForbidden(await h.inject('GET', `/v1/environments/${envY}/resources`, { token }));
    expectForbidden(await h.inject('POST', `/v1/environments/${envY}/resources`, { token, body: { name: 'y-api' } }));
    const yApp = await createApp(h, envY, 'y-app');
    expectForbidden(await h.inject('GET', `/v1/environments/${envY}/applications/${yApp.id}/grants`, { token }));
    // Client Application Developer carries no role-assignment permissions, even on X.
    expectForbidden(await h.inject('GET', assignmentsOf(envX, worker), { token }));
    const noneCreated = expectStatus(await h.inject('GET', `/v1/environments/${envY}/resources`), 200);
    assert.ok(!(noneCreated.body._embedded.resources as Array<{ name: string }>).some((r) => r.name === 'y-api'));
  });

  test('any authenticated caller reads the role catalogue', async () => {
    const token = await tokenFor(h, envX, worker);
    const list = expectStatus(await h.inject('GET', '/v1/roles', { token }), 200);
    assert.equal(list.body.count, Object.keys(ROLES).length);
    for (const role of list.body._embedded.roles as unknown[]) expectSchema('Role', role);
    const one = expectStatus(await h.inject('GET', `/v1/roles/${ROLES.environmentAdmin.id}`, { token }), 200);
    expectSchema('Role', one.body);
    assert.equal(one.body.name, 'Environment Admin');
    assert.deepEqual(one.body._links, { self: { href: `${h.publicUrl}/v1/roles/${ROLES.environmentAdmin.id}` } });
    const perm = (one.body.permissions as Array<Record<string, string>>).find((p) => p.id === 'resources:write');
    assert.equal(perm?.classifier, 'resources');
    assert.ok(perm?.description);
    expectStatus(await h.inject('GET', `/v1/roles/${randomUUID()}`), 404);
    expectStatus(await h.inject('GET', '/v1/roles/not-a-uuid'), 404);
    expectStatus(await h.inject('GET', '/v1/roles', { token: null }), 401);
  });
});

describe('escalation is refused', () => {
  let orgAdmin: CreatedApp;
  before(async () => {
    orgAdmin = await createApp(h, envX, 'x-org-admin');
    expectStatus(await assignRole(h, envX, orgAdmin.id, ROLES.organizationAdmin.id, { type: 'ORGANIZATION', id: h.organizationId }), 201);
  });

  test('the admin cannot give a role it holds on another scope only', async () => {
    // The bootstrap worker holds Environment Admin on its own environment, not on X.
    expectForbidden(await assignRole(h, envX, worker.id, ROLES.environmentAdmin.id, onX()));
    expectForbidden(await assignRole(h, envX, worker.id, ROLES.identityDataAdmin.id, { type: 'ORGANIZATION', id: h.organizationId }));
  });

  test('an Organization Admin cannot give or take away roles it does not hold', async () => {
    const token = await tokenFor(h, envX, orgAdmin);
    expectForbidden(await assignRole(h, envX, worker.id, ROLES.clientApplicationDeveloper.id, { type: 'ENVIRONMENT', id: envY }, token));
    expectForbidden(await h.inject('DELETE', `${assignmentsOf(envX, worker)}/${assignmentId}`, { token }));
    const other = await createApp(h, envX, 'x-second-org-admin');
    expectStatus(await assignRole(h, envX, other.id, ROLES.organizationAdmin.id, { type: 'ORGANIZATION', id: h.organizationId }, token), 201);
  });

  test('a refused request changes nothing', async () => {
    const list = expectStatus(await h.inject('GET', assignmentsOf(envX, worker)), 200).body;
    expectForbidden(await assignRole(h, envX, worker.id, ROLES.environmentAdmin.id, onX()));
    expectDetail(await assignRole(h, envX, worker.id, randomUUID(), onX()), 'INVALID_VALUE', 'role.id');
    assert.deepEqual(expectStatus(await h.inject('GET', assignmentsOf(envX, worker)), 200).body, list);
  });
});

describe('role assignment validation', () => {
  const post = (body: unknown) => h.inject('POST', assignmentsOf(envX, worker), { body });
  const cad = { id: ROLES.clientApplicationDeveloper.id };

  test('shape errors name their target', async () => {
    expectDetail(await post({ scope: onX() }), 'REQUIRED_VALUE', 'role.id');
    expectDetail(await post({ role: { id: 'cad' }, scope: onX() }), 'INVALID_VALUE', 'role.id');
    expectDetail(await post({ role: cad }), 'REQUIRED_VALUE', 'scope');
    expectDetail(await post({ role: cad, scope: { id: envX } }), 'REQUIRED_VALUE', 'scope.type');
    expectDetail(await post({ role: cad, scope: { type: 'ENVIRONMENT' } }), 'REQUIRED_VALUE', 'scope.id');
    expectDetail(await post({ role: cad, scope: { id: 'x', type: 'ENVIRONMENT' } }), 'INVALID_VALUE', 'scope.id');
    expectDetail(await post({ role: cad, scope: { id: envX, type: 'POPULATION' } }), 'INVALID_VALUE', 'scope.type');
  });

  test('the role must exist and apply to the scope type', async () => {
    expectDetail(await post({ role: { id: randomUUID() }, scope: onX() }), 'INVALID_VALUE', 'role.id');
    const found = expectDetail(await post({ role: { id: ROLES.organizationAdmin.id }, scope: onX() }), 'INVALID_VALUE', 'scope.type');
    assert.deepEqual(found.innerError, { allowedValues: ['ORGANIZATION'] });
  });

  test('the scope must be this organization or one of its environments', async () => {
    const org = { id: ROLES.organizationAdmin.id };
    expectDetail(await post({ role: org, scope: { type: 'ORGANIZATION', id: randomUUID() } }), 'INVALID_VALUE', 'scope.id');
    expectDetail(await post({ role: cad, scope: { type: 'ENVIRONMENT', id: randomUUID() } }), 'INVALID_VALUE', 'scope.id');
  });

  test('the same role over the same scope twice → UNIQUENESS_VIOLATION', async () => {
    const found = expectDetail(await post({ role: cad, scope: onX() }), 'UNIQUENESS_VIOLATION', 'role.id');
    assert.deepEqual(found.innerError, { existingId: assignmentId });
  });

  test('concurrent creates of one assignment: one 201, the others UNIQUENESS_VIOLATION (the store key decides)', async () => {
    const racer = await createApp(h, envX, 'x-racer');
    const create = () => h.inject('POST', assignmentsOf(envX, racer), { body: { role: cad, scope: onX() } });
    const replies = await raceAtStore(h, 'createRoleAssignment', [create, create, create, create]);
    const created = replies.filter((r) => r.status === 201);
    assert.equal(created.length, 1);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      const clash = expectDetail(reply, 'UNIQUENESS_VIOLATION', 'role.id');
      assert.deepEqual(clash.innerError, { existingId: created[0]?.body.id });
    }
    assert.equal(expectStatus(await h.inject('GET', assignmentsOf(envX, racer)), 200).body.count, 1);
  });

  test('only WORKER applications hold roles', async () => {
    const service = await createApp(h, envX, 'x-service', 'SERVICE');
    const res = await assignRole(h, envX, service.id, cad.id, onX());
    expectDetail(res, 'CONSTRAINT_VIOLATION', 'application.type');
    assert.deepEqual(expectStatus(await h.inject('GET', assignmentsOf(envX, service)), 200).body._embedded.roleAssignments, []);
  });

  test('applications and assignments of another environment are 404', async () => {
    expectStatus(await h.inject('GET', assignmentsOf(envY, worker)), 404);
    expectStatus(await assignRole(h, envY, worker.id, cad.id, onX()), 404);
    expectStatus(await h.inject('GET', `${assignmentsOf(envY, worker)}/${assignmentId}`), 404);
    const sibling = await createApp(h, envX, 'x-sibling');
    expectStatus(await h.inject('GET', `${assignmentsOf(envX, sibling)}/${assignmentId}`), 404);
    expectStatus(await h.inject('DELETE', `${assignmentsOf(envX, sibling)}/${assignmentId}`), 404);
    expectStatus(await h.inject('GET', assignmentsOf(envX, { id: randomUUID(), secret: '' })), 404);
  });
});

describe('listing assignments', () => {
  test('the list pages with limit and cursor (Keyway extension): every assignment once', async () => {
    const holder = await createApp(h, envX, 'x-many-roles');
    const created: string[] = [];
    for (const name of ['p1', 'p2', 'p3']) {
      const scopeEnv = await createEnvironment(h, `paging-${name}`);
      const res = await assignRole(h, envX, holder.id, ROLES.clientApplicationDeveloper.id, { type: 'ENVIRONMENT', id: scopeEnv });
      created.push(expectStatus(res, 201).body.id as string);
    }
    const { ids, pages } = await collectPages(h, `${assignmentsOf(envX, holder)}?limit=2`, 'roleAssignments');
    assert.equal(pages, 2);
    assert.deepEqual([...ids].sort(), [...created].sort());
    expectDetail(await h.inject('GET', `${assignmentsOf(envX, holder)}?limit=1001`), 'INVALID_PARAMETER', 'limit');
  });
});

describe('deleting an assignment', () => {
  test('answers 204 and the worker loses access on its next request', async () => {
    const token = await tokenFor(h, envX, worker);
    expectStatus(await h.inject('DELETE', `${assignmentsOf(envX, worker)}/${assignmentId}`), 204);
    expectStatus(await h.inject('GET', `${assignmentsOf(envX, worker)}/${assignmentId}`), 404);
    expectForbidden(await h.inject('GET', `/v1/environments/${envX}/resources`, { token }));
    assert.equal(expectStatus(await h.clientCredentials(envX, worker.id, worker.secret), 400).body.error, 'invalid_scope');
  });
});
