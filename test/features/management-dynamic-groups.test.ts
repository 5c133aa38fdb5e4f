/**
 * Dynamic groups (PingOne "Group Membership": a group's `userFilter` adds every user, existing or
 * later, that meets it; such members count in `totalMemberCounts`, not `directMemberCounts`), the
 * users filter's profile attributes (PingOne "SCIM filter language": eq and sw, ew on email,
 * name.given and name.family) and `expand` on users, which PingOne does not declare.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createEnvironment, expectDetail, expectSchema, expectStatus, startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
let env: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'dynamic-groups');
});
after(() => h.close());

const base = () => `/v1/environments/${env}`;
const post = async (path: string, body: unknown) => expectStatus(await h.inject('POST', `${base()}${path}`, { body }), 201).body;
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
const userIds = async (filter: string): Promise<string[]> =>
  (expectStatus(await h.inject('GET', `${base()}/users?${q(filter)}&limit=1000`), 200).body._embedded.users as Array<{ id: string }>).map((u) => u.id).sort();

describe('users filter: profile attributes (PingOne "SCIM filter language")', () => {
  test('name.given, name.family eq/sw/ew, title and locale eq, email ew; combined with and/or; other operators are INVALID_FILTER', async () => {
    const ann = (await post('/users', { username: 'f-ann', email: 'ann@north.example', name: { given: 'Ann', family: 'Smith' }, title: 'Manager', locale: 'en' })).id;
    const bob = (await post('/users', { username: 'f-bob', email: 'bob@south.example', name: { given: 'Bob', family: 'Smithers' }, title: 'Engineer' })).id;
    const cy = (await post('/users', { username: 'f-cy', email: 'cy@north.example', name: { given: 'Wanda', family: 'Jones' } })).id;
    assert.deepEqual(await userIds('name.family eq "Smith"'), [ann]);
    assert.deepEqual(await userIds('name.family sw "Smith"'), [ann, bob].sort());
    assert.deepEqual(await userIds('(name.family eq "Jones") and (name.given sw "W")'), [cy]);
    assert.deepEqual(await userIds('name.given ew "nn"'), [ann]);
    assert.deepEqual(await userIds('email ew "@north.example"'), [ann, cy].sort());
    assert.deepEqual(await userIds('title eq "Manager" or locale eq "en"'), [ann]);
    assert.deepEqual(await userIds('NAME.GIVEN EQ "ann"'), [], 'profile strings compare exactly');
    for (const filter of ['name.given co "n"', 'title ew "er"', 'name.given ne "Ann"', 'address.locality ew "x"', 'verifyStatus eq "x"', 'name.given pr']) {
      const found = expectDetail(await h.inject('GET', `${base()}/users?${q(filter)}`), 'INVALID_FILTER', 'filter');
      assert.match(String(found.message), /name\.given \(eq, sw, ew\)/);
    }
  });
});

describe('dynamic groups: userFilter adds members, evaluated when read', () => {
  test('members through the filter appear in the memberOfGroups filter, memberships (INDIRECT), include and totalMemberCounts only', async () => {
    const group = await post('/groups', { name: 'Managers', userFilter: 'title eq "Boss"' });
    const parent = await post('/groups', { name: 'Everyone' });
    await post(`/groups/${group.id}/memberOfGroups`, { id: parent.id });
    const boss = (await post('/users', { username: 'd-boss', email: 'boss@example.com', title: 'Boss' })).id;
    const clerk = (await post('/users', { username: 'd-clerk', email: 'clerk@example.com', title: 'Clerk' })).id;
    const member = encodeURIComponent(`memberOfGroups[id eq "${group.id}"]`);

    // A user created after the group is a member (PingOne: "all subsequent new users … are also added").
    const listed = expectStatus(await h.inject('GET', `${base()}/users?filter=${member}`), 200).body;
    assert.deepEqual(listed._embedded.users.map((u: { id: string }) => u.id), [boss]);
    // Added directly as well: the user counts once, as DIRECT.
    await post(`/users/${clerk}/memberOfGroups`, { id: group.id });
    assert.deepEqual(await userIds(`memberOfGroups[id eq "${group.id}"]`), [boss, clerk].sort());
    assert.deepEqual(await userIds(`memberOfGroups[id eq "${group.id}"] and title eq "Boss"`), [boss]);

    const memberships = expectStatus(await h.inject('GET', `${base()}/users/${boss}/memberOfGroups?expand=group`), 200).body;
    for (const m of memberships._embedded.groupMemberships) expectSchema('GroupMembership', m);
    const types = Object.fromEntries(memberships._embedded.groupMemberships.map((m: Record<string, string>) => [m.id, m.type]));
    assert.deepEqual(types, { [group.id]: 'INDIRECT', [parent.id]: 'INDIRECT' });
    assert.equal(expectStatus(await h.inject('GET', `${base()}/users/${boss}/memberOfGroups/${group.id}`), 200).body.type, 'INDIRECT');
    assert.equal(expectStatus(await h.inject('GET', `${base()}/users/${clerk}/memberOfGroups/${group.id}`), 200).body.type, 'DIRECT');

    const withGroups = expectStatus(await h.inject('GET', `${base()}/users/${boss}?include=memberOfGroupIDs,memberOfGroupNames`), 200).body;
    expectSchema('User', withGroups);
    assert.deepEqual([...withGroups.memberOfGroupNames].sort(), ['Everyone', 'Managers']);

    const counts = expectStatus(await h.inject('GET', `${base()}/groups/${group.id}?expand=directMemberCounts,totalMemberCounts`), 200).body;
    assert.equal(counts.directMemberCounts.users, 1);
    assert.equal(counts.totalMemberCounts.users, 2);
    const parentCounts = expectStatus(await h.inject('GET', `${base()}/groups/${parent.id}?expand=totalMemberCounts`), 200).body;
    assert.equal(parentCounts.totalMemberCounts.users, 2);

    // The filter is read each time: a changed user or a changed filter takes effect at once.
    expectStatus(await h.inject('PUT', `${base()}/groups/${group.id}`, { body: { name: 'Managers', userFilter: 'title eq "Clerk"' } }), 200);
    assert.deepEqual(await userIds(`memberOfGroups[id eq "${group.id}"]`), [clerk]);
    expectStatus(await h.inject('GET', `${base()}/users/${boss}/memberOfGroups/${group.id}`), 404);
    const after = expectStatus(await h.inject('GET', `${base()}/groups/${group.id}?expand=totalMemberCounts`), 200).body;
    assert.equal(after.totalMemberCounts.users, 1);
  });

  test('a population group matches only its population; a userFilter naming memberOfGroups sees added members only', async () => {
    const staff = await post('/populations', { name: 'Dyn staff' });
    const inStaff = (await post('/users', { username: 'p-in', email: 'in@example.com', title: 'Pilot', population: { id: staff.id } })).id;
    await post('/users', { username: 'p-out', email: 'out@example.com', title: 'Pilot' });
    const pilots = await post('/groups', { name: 'Staff pilots', population: { id: staff.id }, userFilter: 'title eq "Pilot"' });
    assert.deepEqual(await userIds(`memberOfGroups[id eq "${pilots.id}"]`), [inStaff]);

    const plain = await post('/groups', { name: 'Plain' });
    const added = (await post('/users', { username: 'p-added', email: 'added@example.com' })).id;
    await post(`/users/${added}/memberOfGroups`, { id: plain.id });
    const derived = await post('/groups', { name: 'Derived', userFilter: `memberOfGroups[id eq "${plain.id}"] or memberOfGroups[id eq "${pilots.id}"]` });
    // Pilots' dynamic member is not an added member of Pilots: no filter depends on another one.
    assert.deepEqual(await userIds(`memberOfGroups[id eq "${derived.id}"]`), [added]);
  });

  test('userFilter is checked when written: INVALID_FILTER on userFilter, nothing stored', async () => {
    const before = expectStatus(await h.inject('GET', `${base()}/groups`), 200).body.count as number;
    for (const userFilter of ['title eq', 'title gt "a"', 'password eq "x"', 'title eq "a" and not (title eq "b")']) {
      expectDetail(await h.inject('POST', `${base()}/groups`, { body: { name: 'Bad filter', userFilter } }), 'INVALID_FILTER', 'userFilter');
    }
    assert.equal(expectStatus(await h.inject('GET', `${base()}/groups`), 200).body.count, before);
  });
});

describe('expand on users', () => {
  test('PingOne declares no expand on user reads and lists: refused with INVALID_PARAMETER, include still works', async () => {
    const user = (await post('/users', { username: 'x-user', email: 'x@example.com' })).id;
    for (const path of [`${base()}/users/${user}?expand=memberOfGroups`, `${base()}/users?expand=memberOfGroups`, `${base()}/users/${user}?expand=population`]) {
      const found = expectDetail(await h.inject('GET', path), 'INVALID_PARAMETER', 'expand');
      assert.match(String(found.message), /include=memberOfGroupIDs,memberOfGroupNames/);
    }
    expectStatus(await h.inject('GET', `${base()}/users/${user}?include=memberOfGroupIDs`), 200);
  });
});
