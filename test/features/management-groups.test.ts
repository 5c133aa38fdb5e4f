/**
 * Groups through the management API (PingOne "Groups"; OpenAPI `Group`, `GroupMembership`):
 * CRUD with population scoping and SCIM filters (RFC 7644 §3.4.2.2), nesting without cycles,
 * users' direct and indirect memberships, the group attributes of users, and the role checks
 * (Identity Data Admin manages groups; Environment Admin and Client Application Developer read).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
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
  startInProcess,
  tokenFor,
  type InProcess,
  type Reply,
} from '../support/harness.js';

let h: InProcess;
let env: string;
let base: string;
let users: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'groups-env');
  base = `/v1/environments/${env}/groups`;
  users = `/v1/environments/${env}/users`;
});
after(() => h.close());

const createGroup = async (body: Record<string, unknown>) => expectStatus(await h.inject('POST', base, { body }), 201).body as Record<string, any>;
const createUser = async (username: string, extra: Record<string, unknown> = {}) =>
  expectStatus(await h.inject('POST', users, { body: { username, email: `${username}@example.com`, ...extra } }), 201).body as Record<string, any>;
const join = (userId: string, groupId: string) => h.inject('POST', `${users}/${userId}/memberOfGroups`, { body: { id: groupId } });
const nest = (groupId: string, parentId: string) => h.inject('POST', `${base}/${groupId}/memberOfGroups`, { body: { id: parentId } });
const listed = async (path: string, name: string) => expectStatus(await h.inject('GET', path), 200).body._embedded[name] as Array<Record<string, any>>;
const defaultPopulation = async (envId: string) =>
  (await listed(`/v1/environments/${envId}/populations`, 'populations')).find((p) => p.default)?.id as string;

describe('groups: create, read, replace, delete', () => {
  test('POST creates a Group; GET reads it with its ETag; PUT replaces; DELETE removes', async () => {
    const created = await createGroup({ name: 'Training', description: 'New hires', externalId: 'ext-1', customData: { site: 'Leeds' }, userFilter: 'email sw "a"' });
    expectSchema('Group', created);
    assert.deepEqual(created._links, {
      self: { href: `${h.publicUrl}${base}/${created.id}` },
      environment: { href: `${h.publicUrl}/v1/environments/${env}` },
    });
    assert.deepEqual(created.customData, { site: 'Leeds' });
    const read = expectStatus(await h.inject('GET', `${base}/${created.id}`), 200);
    assert.deepEqual(read.body, created);
    assert.equal(read.headers.etag, '"1"');
    const replaced = expectStatus(await h.inject('PUT', `${base}/${created.id}`, { body: { name: 'Training 2' } }), 200);
    expectSchema('Group', replaced.body);
    assert.equal(replaced.headers.etag, '"2"');
    assert.equal(replaced.body.description, undefined, 'PUT removes omitted attributes');
    expectStatus(await h.inject('PUT', `${base}/${created.id}`, { body: { name: 'x' }, headers: { 'if-match': '"1"' } }), 412);
    expectStatus(await h.inject('DELETE', `${base}/${created.id}`), 204);
    expectStatus(await h.inject('GET', `${base}/${created.id}`), 404);
    expectStatus(await h.inject('DELETE', `${base}/${created.id}`), 404);
  });

  test('bad bodies answer INVALID_DATA with a detail per field, and store nothing', async () => {
    const before = (expectStatus(await h.inject('GET', base), 200).body.count) as number;
    expectDetail(await h.inject('POST', base, { body: { description: 'no name' } }), 'REQUIRED_VALUE', 'name');
    const many = await h.inject('POST', base, { body: { name: 'x', customData: 'text', population: { id: 'nope' }, userFilter: 'password eq "x"' } });
    expectDetail(many, 'INVALID_VALUE', 'customData');
    expectDetail(many, 'INVALID_VALUE', 'population.id');
    const filterDetail = expectDetail(many, 'INVALID_FILTER', 'userFilter');
    assert.match(String(filterDetail.message), /supported: .*username \(eq, sw\)/);
    expectDetail(await h.inject('POST', base, { body: { name: 'x', population: { id: '00000000-0000-4000-8000-000000000000' } } }), 'INVALID_VALUE', 'population.id');
    assert.equal(expectStatus(await h.inject('GET', base), 200).body.count, before);
  });

  test('names are unique in the environment and per population; a population group keeps its population', async () => {
    const population = await defaultPopulation(env);
    await createGroup({ name: 'Sales' });
    expectDetail(await h.inject('POST', base, { body: { name: 'Sales' } }), 'UNIQUENESS_VIOLATION', 'name');
    const scoped = await createGroup({ name: 'Sales team', population: { id: population } });
    expectSchema('Group', scoped);
    assert.deepEqual(scoped.population, { id: population });
    assert.equal(scoped._links.population.href, `${h.publicUrl}/v1/environments/${env}/populations/${population}`);
    const other = expectStatus(await h.inject('POST', `/v1/environments/${env}/populations`, { body: { name: 'Elsewhere' } }), 201).body.id;
    expectDetail(await h.inject('PUT', `${base}/${scoped.id}`, { body: { name: 'Sales team', population: { id: other } } }), 'INVALID_VALUE', 'population.id');
    const kept = expectStatus(await h.inject('PUT', `${base}/${scoped.id}`, { body: { name: 'Sales EU' } }), 200).body;
    assert.deepEqual(kept.population, { id: population }, 'PUT without population keeps it');
    // A population holding a group is not deleted (the group would name nothing).
    const holder = await createGroup({ name: 'Held', population: { id: other } });
    expectDetail(await h.inject('DELETE', `/v1/environments/${env}/populations/${other}`), 'CONSTRAINT_VIOLATION', 'id');
    expectStatus(await h.inject('DELETE', `${base}/${holder.id}`), 204);
    expectStatus(await h.inject('DELETE', `/v1/environments/${env}/populations/${other}`), 204);
  });

  test('OpenAPI Group.name: population groups share names with each other, never with an environment group (UNIQUENESS_VIOLATION)', async () => {
    const fresh = await createEnvironment(h, 'group-names');
    const path = `/v1/environments/${fresh}/groups`;
    const home = await defaultPopulation(fresh);
    const away = expectStatus(await h.inject('POST', `/v1/environments/${fresh}/populations`, { body: { name: 'Away' } }), 201).body.id;
    const make = async (body: Record<string, unknown>) => h.inject('POST', path, { body });
    const envGroup = expectStatus(await make({ name: 'Finance' }), 201).body;
    const clash = expectDetail(await make({ name: 'Finance', population: { id: home } }), 'UNIQUENESS_VIOLATION', 'name');
    assert.match(String(clash.message), /environment group/);
    const homeGroup = expectStatus(await make({ name: 'Payroll', population: { id: home } }), 201).body;
    expectStatus(await make({ name: 'Payroll', population: { id: away } }), 201);
    expectDetail(await make({ name: 'Payroll' }), 'UNIQUENESS_VIOLATION', 'name');
    // A rename (PUT) is held to the same rule, both ways; a refused one changes nothing.
    expectDetail(await h.inject('PUT', `${path}/${homeGroup.id}`, { body: { name: 'Finance' } }), 'UNIQUENESS_VIOLATION', 'name');
    expectDetail(await h.inject('PUT', `${path}/${envGroup.id}`, { body: { name: 'Payroll' } }), 'UNIQUENESS_VIOLATION', 'name');
    assert.equal(expectStatus(await h.inject('GET', `${path}/${homeGroup.id}`), 200).body.name, 'Payroll');
    assert.equal(expectStatus(await h.inject('GET', `${path}/${envGroup.id}`), 200).body.name, 'Finance');
    expectStatus(await h.inject('PUT', `${path}/${envGroup.id}`, { body: { name: 'Finance', description: 'unchanged name' } }), 200);
    assert.equal((await listed(path, 'groups')).length, 3, 'nothing stored by the refusals');
  });

  test("an environment's groups are invisible from another environment", async () => {
    const other = await createEnvironment(h, 'groups-other');
    const g = await createGroup({ name: 'Private' });
    expectStatus(await h.inject('GET', `/v1/environments/${other}/groups/${g.id}`), 404);
    expectStatus(await h.inject('DELETE', `/v1/environments/${other}/groups/${g.id}`), 404);
    assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${other}/groups`), 200).body.count, 0);
    expectStatus(await h.inject('POST', `/v1/environments/${other}/groups/${g.id}/memberOfGroups`, { body: { id: g.id } }), 404);
  });
});

describe('groups: paging and filters (RFC 7644 §3.4.2.2)', () => {
  let fresh: string;
  before(async () => {
    fresh = await createEnvironment(h, 'groups-filters');
    for (const [i, name] of ['Alpha', 'Alpine', 'Beta', 'Gamma', 'Delta'].entries()) {
      expectStatus(await h.inject('POST', `/v1/environments/${fresh}/groups`, { body: { name, externalId: `W-${i}` } }), 201);
    }
  });
  const names = async (filter: string) =>
    (await listed(`/v1/environments/${fresh}/groups?filter=${encodeURIComponent(filter)}`, 'groups')).map((g) => g.name as string).sort();

  test('limit pages through every group with _links.next and a stable count', async () => {
    const { ids, pages } = await collectPages(h, `/v1/environments/${fresh}/groups?limit=2`, 'groups');
    assert.equal(ids.length, 5);
    assert.equal(pages, 3);
  });

  test('name eq and sw, externalId, and/or with parentheses; operator and attribute names in any case', async () => {
    assert.deepEqual(await names('name eq "Alpha"'), ['Alpha']);
    assert.deepEqual(await names('NAME SW "Alp"'), ['Alpha', 'Alpine']);
    assert.deepEqual(await names('(name eq "Beta") or (externalId sw "W-4")'), ['Beta', 'Delta']);
    assert.deepEqual(await names('name sw "A" and (externalId eq "W-1" or externalId eq "W-2")'), ['Alpine']);
  });

  test('a malformed filter, or one on an unsupported attribute or operator, is 400 INVALID_FILTER naming what is supported', async () => {
    for (const filter of ['name co "a"', 'description eq "x"', 'name eq', '(name eq "a"', 'name eq "a" xor name eq "b"']) {
      const res = await h.inject('GET', `/v1/environments/${fresh}/groups?filter=${encodeURIComponent(filter)}`);
      const found = expectDetail(res, 'INVALID_FILTER', 'filter');
      assert.match(String(found.message), /supported: id \(eq\), name \(eq, sw\), externalId \(eq, sw\), population\.id \(eq\)/, filter);
    }
  });
});

describe('nesting and memberships', () => {
  test('nesting: add a parent, list GroupMemberships, read one, refuse cycles (400), remove', async () => {
    const [team, dept, org] = [await createGroup({ name: 'N-Team' }), await createGroup({ name: 'N-Dept' }), await createGroup({ name: 'N-Org' })];
    const added = expectStatus(await nest(team.id, dept.id), 201).body;
    expectSchema('GroupMembership', added);
    assert.equal(added.id, dept.id);
    assert.equal(added.type, 'DIRECT');
    expectStatus(await nest(dept.id, org.id), 201);
    expectDetail(await nest(team.id, dept.id), 'UNIQUENESS_VIOLATION', 'id');
    expectDetail(await nest(org.id, team.id), 'CONSTRAINT_VIOLATION', 'id');
    expectDetail(await nest(team.id, team.id), 'CONSTRAINT_VIOLATION', 'id');
    expectDetail(await nest(team.id, '00000000-0000-4000-8000-000000000000'), 'INVALID_VALUE', 'id');
    expectDetail(await h.inject('POST', `${base}/${team.id}/memberOfGroups`, { body: {} }), 'REQUIRED_VALUE', 'id');
    const list = expectStatus(await h.inject('GET', `${base}/${team.id}/memberOfGroups?expand=group`), 200).body;
    assert.equal(list.size, 1);
    const [parent] = list._embedded.groupMemberships;
    expectSchema('GroupMembership', parent);
    assert.equal(parent._embedded.group.name, 'N-Dept');
    const one = expectStatus(await h.inject('GET', `${base}/${team.id}/memberOfGroups/${dept.id}`), 200).body;
    assert.equal(one.name, 'N-Dept');
    expectStatus(await h.inject('DELETE', `${base}/${team.id}/memberOfGroups/${dept.id}`), 204);
    expectStatus(await h.inject('GET', `${base}/${team.id}/memberOfGroups/${dept.id}`), 404);
    assert.equal(expectStatus(await h.inject('GET', `${base}/${team.id}/memberOfGroups`), 200).body.size, 0);
  });

  test('users: direct and indirect memberships, counts on expand, include=memberOfGroupIDs/Names; deletes remove links', async () => {
    const [team, dept] = [await createGroup({ name: 'M-Team' }), await createGroup({ name: 'M-Dept' })];
    expectStatus(await nest(team.id, dept.id), 201);
    const [ann, bob] = [await createUser('m-ann'), await createUser('m-bob')];
    const added = expectStatus(await join(ann.id, team.id), 201).body;
    expectSchema('GroupMembership', added);
    expectDetail(await join(ann.id, team.id), 'UNIQUENESS_VIOLATION', 'id');
    expectStatus(await join(bob.id, dept.id), 201);
    expectStatus(await join('00000000-0000-4000-8000-000000000000', dept.id), 404);
    const list = expectStatus(await h.inject('GET', `${users}/${ann.id}/memberOfGroups`), 200).body;
    assert.equal(list.size, 2);
    for (const m of list._embedded.groupMemberships) expectSchema('GroupMembership', m);
    const types = Object.fromEntries(list._embedded.groupMemberships.map((m: any) => [m.name, m.type]));
    assert.deepEqual(types, { 'M-Team': 'DIRECT', 'M-Dept': 'INDIRECT' });
    assert.equal(expectStatus(await h.inject('GET', `${users}/${ann.id}/memberOfGroups/${dept.id}`), 200).body.type, 'INDIRECT');
    const counted = expectStatus(await h.inject('GET', `${base}/${dept.id}?expand=directMemberCounts,totalMemberCounts`), 200).body;
    expectSchema('Group', counted);
    assert.deepEqual([counted.directMemberCounts, counted.totalMemberCounts], [{ users: 1 }, { users: 2 }]);
    expectStatus(await h.inject('GET', `${base}/${dept.id}?expand=members`), 400);
    const withGroups = expectStatus(await h.inject('GET', `${users}/${ann.id}?include=memberOfGroupIDs,memberOfGroupNames`), 200).body;
    expectSchema('User', withGroups);
    assert.deepEqual([...withGroups.memberOfGroupIDs].sort(), [team.id, dept.id].sort());
    assert.deepEqual([...withGroups.memberOfGroupNames].sort(), ['M-Dept', 'M-Team']);
    assert.equal(expectStatus(await h.inject('GET', `${users}/${ann.id}`), 200).body.memberOfGroupIDs, undefined);
    // An indirect membership is not removed here; a direct one is.
    expectStatus(await h.inject('DELETE', `${users}/${ann.id}/memberOfGroups/${dept.id}`), 404);
    expectStatus(await h.inject('DELETE', `${users}/${ann.id}/memberOfGroups/${team.id}`), 204);
    assert.equal(expectStatus(await h.inject('GET', `${users}/${ann.id}/memberOfGroups`), 200).body.size, 0);
    // Deleting a user or a group removes its memberships.
    expectStatus(await h.inject('DELETE', `${users}/${bob.id}`), 204);
    assert.deepEqual(expectStatus(await h.inject('GET', `${base}/${dept.id}?include=directMemberCounts`), 200).body.directMemberCounts, { users: 0 });
    expectStatus(await join(ann.id, dept.id), 201);
    expectStatus(await h.inject('DELETE', `${base}/${dept.id}`), 204);
    assert.equal(expectStatus(await h.inject('GET', `${users}/${ann.id}/memberOfGroups`), 200).body.size, 0);
  });

  test("a population's group takes only that population's users", async () => {
    const other = expectStatus(await h.inject('POST', `/v1/environments/${env}/populations`, { body: { name: 'Contractors' } }), 201).body.id;
    const scoped = await createGroup({ name: 'Contractors only', population: { id: other } });
    const outsider = await createUser('m-outsider');
    expectDetail(await join(outsider.id, scoped.id), 'CONSTRAINT_VIOLATION', 'id');
    const insider = await createUser('m-insider', { population: { id: other } });
    expectStatus(await join(insider.id, scoped.id), 201);
  });

  test("moving a user to another population (PUT …/population, PUT or PATCH of the user) removes it from the old population's groups only", async () => {
    const home = await defaultPopulation(env);
    const away = expectStatus(await h.inject('POST', `/v1/environments/${env}/populations`, { body: { name: 'Movers away' } }), 201).body.id;
    const [homeGroup, everyone] = [await createGroup({ name: 'Movers home', population: { id: home } }), await createGroup({ name: 'Movers everyone' })];
    const groupIds = async (userId: string) =>
      (await listed(`${users}/${userId}/memberOfGroups`, 'groupMemberships')).map((m) => m.id as string).sort();
    const moves: Array<[string, (u: Record<string, any>) => Promise<Reply>]> = [
      ['PUT …/population', async (u) => h.inject('PUT', `${users}/${u.id}/population`, { body: { id: away } })],
      ['PUT user', async (u) => h.inject('PUT', `${users}/${u.id}`, { body: { username: u.username, email: u.email, population: { id: away } } })],
      // The harness has no PATCH; Fastify's inject does.
      ['PATCH user', async (u) => {
        const res = await h.app.server.inject({ method: 'PATCH', url: `${users}/${u.id}`, headers: { authorization: `Bearer ${h.token}` }, payload: { population: { id: away } } });
        return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
      }],
    ];
    for (const [how, move] of moves) {
      const mover = await createUser(`m-mover-${how.replace(/\W+/g, '-').toLowerCase()}`);
      expectStatus(await join(mover.id, homeGroup.id), 201);
      expectStatus(await join(mover.id, everyone.id), 201);
      expectStatus(await move(mover), 200);
      assert.deepEqual(await groupIds(mover.id), [everyone.id], how);
      const counts = expectStatus(await h.inject('GET', `${base}/${homeGroup.id}?expand=directMemberCounts`), 200).body.directMemberCounts;
      assert.deepEqual(counts, { users: 0 }, how);
      const filtered = await listed(`${users}?filter=${encodeURIComponent(`memberOfGroups[id eq "${homeGroup.id}"]`)}`, 'users');
      assert.equal(filtered.length, 0, how);
    }
  });
});

describe('users filter (RFC 7644 §3.4.2.2, PingOne users filtering)', () => {
  test('memberOfGroups[id eq], username/email sw, population.id, enabled, and/or with parentheses', async () => {
    const fresh = await createEnvironment(h, 'users-filter');
    const path = `/v1/environments/${fresh}/users`;
    const make = async (username: string, enabled = true) =>
      expectStatus(await h.inject('POST', path, { body: { username, email: `${username}@example.org`, enabled } }), 201).body.id as string;
    const [ann, anna, bob] = [await make('ann'), await make('anna', false), await make('bob')];
    const group = expectStatus(await h.inject('POST', `/v1/environments/${fresh}/groups`, { body: { name: 'Readers' } }), 201).body.id;
    expectStatus(await h.inject('POST', `${path}/${anna}/memberOfGroups`, { body: { id: group } }), 201);
    expectStatus(await h.inject('POST', `${path}/${bob}/memberOfGroups`, { body: { id: group } }), 201);
    const ids = async (filter: string) => (await listed(`${path}?filter=${encodeURIComponent(filter)}`, 'users')).map((u) => u.id as string).sort();
    assert.deepEqual(await ids(`memberOfGroups[id eq "${group}"]`), [anna, bob].sort());
    assert.deepEqual(await ids('username sw "AN"'), [ann, anna].sort(), 'username compares case-insensitively');
    assert.deepEqual(await ids('email sw "bob@"'), [bob]);
    assert.deepEqual(await ids('username sw "an" and enabled eq true'), [ann]);
    assert.deepEqual(await ids(`(username eq "ann" or username eq "bob") and memberOfGroups[id eq "${group}"]`), [bob]);
    assert.deepEqual(await ids(`population.id eq "${await defaultPopulation(fresh)}"`), [ann, anna, bob].sort());
    const refused = expectDetail(await h.inject('GET', `${path}?filter=${encodeURIComponent('memberOfGroups[name eq "Readers"]')}`), 'INVALID_FILTER', 'filter');
    assert.match(String(refused.message), /memberOfGroups\[id eq "…"\]/);
  });
});

describe('roles', () => {
  test('Identity Data Admin manages groups; Client Application Developer and Environment Admin read them and are refused writes', async () => {
    // The admin may give Environment Admin only where it holds it: its own environment.
    const readers = [
      { envId: env, roleId: ROLES.clientApplicationDeveloper.id },
      { envId: h.adminEnvId, roleId: ROLES.environmentAdmin.id },
    ];
    for (const { envId, roleId } of readers) {
      const groups = `/v1/environments/${envId}/groups`;
      const people = `/v1/environments/${envId}/users`;
      const g = expectStatus(await h.inject('POST', groups, { body: { name: `Roles ${roleId}` } }), 201).body;
      const u = expectStatus(await h.inject('POST', people, { body: { username: `roles-${roleId}`, email: 'r@example.com' } }), 201).body;
      const worker = await createApp(h, envId, `groups-reader-${roleId}`);
      expectStatus(await assignRole(h, envId, worker.id, roleId, { type: 'ENVIRONMENT', id: envId }), 201);
      const token = await tokenFor(h, envId, worker);
      expectStatus(await h.inject('GET', groups, { token }), 200);
      expectStatus(await h.inject('GET', `${groups}/${g.id}`, { token }), 200);
      expectStatus(await h.inject('GET', `${groups}/${g.id}/memberOfGroups`, { token }), 200);
      expectForbidden(await h.inject('POST', groups, { token, body: { name: 'nope' } }));
      expectForbidden(await h.inject('PUT', `${groups}/${g.id}`, { token, body: { name: 'nope' } }));
      expectForbidden(await h.inject('DELETE', `${groups}/${g.id}`, { token }));
      expectForbidden(await h.inject('POST', `${groups}/${g.id}/memberOfGroups`, { token, body: { id: g.id } }));
      expectForbidden(await h.inject('DELETE', `${groups}/${g.id}/memberOfGroups/${g.id}`, { token }));
      expectForbidden(await h.inject('POST', `${people}/${u.id}/memberOfGroups`, { token, body: { id: g.id } }));
      expectForbidden(await h.inject('DELETE', `${people}/${u.id}/memberOfGroups/${g.id}`, { token }));
      // Reading a user's memberships also needs users:read, which neither role holds.
      expectForbidden(await h.inject('GET', `${people}/${u.id}/memberOfGroups`, { token }));
    }
    const u = await createUser('roles-user');
    const admin = await createApp(h, env, 'groups-identity-admin');
    expectStatus(await assignRole(h, env, admin.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
    const token = await tokenFor(h, env, admin);
    const made = expectStatus(await h.inject('POST', base, { token, body: { name: 'By IDA' } }), 201).body;
    expectStatus(await h.inject('POST', `${users}/${u.id}/memberOfGroups`, { token, body: { id: made.id } }), 201);
    expectStatus(await h.inject('GET', `${users}/${u.id}/memberOfGroups`, { token }), 200);
    expectStatus(await h.inject('DELETE', `${base}/${made.id}`, { token }), 204);
  });
});
