/**
 * A catalog-sync client, as one integrating with PingOne reads a directory: it pages through
 * users, lists groups page by page, reads each group's parents through `memberOfGroups`
 * (`size` and `_embedded.groupMemberships`), and lists each group's users with
 * `filter=memberOfGroups[id eq "…"]` (RFC 7644 §3.4.2.2 valuePath), following `_links.next`
 * everywhere. What it assembles must be exactly the directory that was written.
 */
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { collectPages, createEnvironment, expectSchema, expectStatus, startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
let env: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'catalog-sync');
});
after(() => h.close());

const post = async (path: string, body: unknown) => expectStatus(await h.inject('POST', `/v1/environments/${env}${path}`, { body }), 201).body;

test('catalog sync: users, groups, parents and members, all paged, match the directory written', async () => {
  // The directory: 9 users, 5 groups nested as eng ⊂ rnd ⊂ all and ops ⊂ all, sales alone.
  const userIds: string[] = [];
  for (let i = 0; i < 9; i++) userIds.push((await post('/users', { username: `sync-${i}`, email: `sync-${i}@example.com` })).id);
  const group: Record<string, string> = {};
  for (const name of ['all', 'rnd', 'eng', 'ops', 'sales']) group[name] = (await post('/groups', { name })).id;
  const parents: Record<string, string[]> = { eng: ['rnd'], rnd: ['all'], ops: ['all'], all: [], sales: [] };
  for (const [child, list] of Object.entries(parents)) for (const p of list) await post(`/groups/${group[child]}/memberOfGroups`, { id: group[p] });
  const members: Record<string, number[]> = { all: [0], rnd: [], eng: [1, 2, 3, 4], ops: [5, 6], sales: [6, 7, 8] };
  for (const [name, list] of Object.entries(members)) for (const i of list) await post(`/users/${userIds[i]}/memberOfGroups`, { id: group[name] });

  // The client.
  const users = await collectPages(h, `/v1/environments/${env}/users?limit=4`, 'users');
  assert.deepEqual([...users.ids].sort(), [...userIds].sort());
  assert.equal(users.pages, 3);
  const groups = await collectPages(h, `/v1/environments/${env}/groups?limit=2`, 'groups');
  assert.deepEqual([...groups.ids].sort(), Object.values(group).sort());
  assert.equal(groups.pages, 3);
  const nameOf = Object.fromEntries(Object.entries(group).map(([name, id]) => [id, name]));
  for (const id of groups.ids) {
    const nesting = expectStatus(await h.inject('GET', `/v1/environments/${env}/groups/${id}/memberOfGroups`), 200).body;
    const found = nesting._embedded.groupMemberships as Array<Record<string, any>>;
    for (const m of found) expectSchema('GroupMembership', m);
    assert.equal(nesting.size, found.length);
    assert.deepEqual(found.map((m) => nameOf[m.id]).sort(), parents[nameOf[id]!], `parents of ${nameOf[id]}`);
    const filter = encodeURIComponent(`memberOfGroups[id eq "${id}"]`);
    const inGroup = await collectPages(h, `/v1/environments/${env}/users?filter=${filter}&limit=2`, 'users');
    const expected = members[nameOf[id]!]!.map((i) => userIds[i]!);
    assert.deepEqual([...inGroup.ids].sort(), [...expected].sort(), `users of ${nameOf[id]}`);
  }
});
