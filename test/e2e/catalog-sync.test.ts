/**
 * The catalog-sync client of issue 11 against real Keyway processes, on SQLite and on
 * PostgreSQL: it pages through users, lists groups page by page, reads each group's parents
 * through `memberOfGroups` (`size`, `_embedded.groupMemberships`) and each group's users with
 * `filter=memberOfGroups[id eq "…"]` (RFC 7644 §3.4.2.2), following `_links.next`, and must
 * assemble exactly the directory written. It works in the bootstrap environment, where the
 * admin worker holds Identity Data Admin.
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, bootstrapAdmin, call, postgresAnswers, scratchSchemaName, schemaUrl } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function start(env: Record<string, string>): Promise<{ server: RunningServer; token: string; envId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyway-catalog-sync-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startProcess({ KEYWAY_DATA_DIR: dataDir, ...env });
  cleanups.push(() => server.stop());
  const { summary, token } = await bootstrapAdmin(server, dataDir);
  return { server, token, envId: summary.environmentId as string };
}

/** Every item of a paged collection, following `_links.next`; checks count and size on each page. */
async function allPages(server: RunningServer, token: string, path: string, name: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  let next: string | undefined = path;
  while (next !== undefined) {
    const page = await call(server, 'GET', next, { token });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    pages += 1;
    const items = page.body._embedded[name] as Array<{ id: string }>;
    assert.equal(page.body.size, items.length);
    ids.push(...items.map((i) => i.id));
    const href = page.body._links.next?.href as string | undefined;
    next = href === undefined ? undefined : new URL(href).pathname + new URL(href).search;
  }
  return { ids, pages };
}

async function catalogSync(server: RunningServer, token: string, envId: string): Promise<void> {
  const post = async (path: string, json: unknown) => {
    const res = await call(server, 'POST', `/v1/environments/${envId}${path}`, { token, json });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const userIds: string[] = [];
  for (let i = 0; i < 7; i++) userIds.push((await post('/users', { username: `e2e-sync-${i}`, email: `e2e-sync-${i}@example.com` })).id);
  const group: Record<string, string> = {};
  for (const name of ['all', 'eng', 'ops']) group[name] = (await post('/groups', { name: `e2e-${name}` })).id;
  const parents: Record<string, string[]> = { all: [], eng: ['all'], ops: ['all'] };
  for (const [child, list] of Object.entries(parents)) for (const p of list) await post(`/groups/${group[child]}/memberOfGroups`, { id: group[p] });
  const members: Record<string, number[]> = { all: [0], eng: [1, 2, 3], ops: [3, 4, 5, 6] };
  for (const [name, list] of Object.entries(members)) for (const i of list) await post(`/users/${userIds[i]}/memberOfGroups`, { id: group[name] });

  const users = await allPages(server, token, `/v1/environments/${envId}/users?limit=3`, 'users');
  assert.deepEqual([...users.ids].sort(), [...userIds].sort());
  const groups = await allPages(server, token, `/v1/environments/${envId}/groups?limit=2`, 'groups');
  assert.deepEqual([...groups.ids].sort(), Object.values(group).sort());
  assert.equal(groups.pages, 2);
  const nameOf = Object.fromEntries(Object.entries(group).map(([name, id]) => [id, name]));
  for (const id of groups.ids) {
    const nesting = await call(server, 'GET', `/v1/environments/${envId}/groups/${id}/memberOfGroups`, { token });
    assert.equal(nesting.status, 200);
    const found = nesting.body._embedded.groupMemberships as Array<{ id: string }>;
    assert.equal(nesting.body.size, found.length);
    assert.deepEqual(found.map((m) => nameOf[m.id]), parents[nameOf[id]!]);
    const filter = encodeURIComponent(`memberOfGroups[id eq "${id}"]`);
    const inGroup = await allPages(server, token, `/v1/environments/${envId}/users?filter=${filter}&limit=2`, 'users');
    assert.deepEqual([...inGroup.ids].sort(), members[nameOf[id]!]!.map((i) => userIds[i]!).sort());
  }
}

describe('catalog sync through a real process', () => {
  test('on SQLite', async () => {
    const { server, token, envId } = await start({});
    await catalogSync(server, token, envId);
  });
});

if (await postgresAnswers('catalog sync through a real process on PostgreSQL')) {
  describe('catalog sync through a real process', () => {
    test('on PostgreSQL', async () => {
      const schema = scratchSchemaName('keyway_catalog_sync');
      await adminQuery(`CREATE SCHEMA ${schema}`);
      cleanups.push(() => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      const { server, token, envId } = await start({ KEYWAY_DATABASE_URL: schemaUrl(schema) });
      await catalogSync(server, token, envId);
    });
  });
}
