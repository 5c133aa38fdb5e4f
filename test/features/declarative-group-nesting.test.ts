/**
 * Declarative configuration of nested groups (README, "Declarative configuration"; PingOne
 * "Groups": nesting groups, circular references): a group's `memberOfGroups` lists the groups
 * it is directly a member of, applied once every group of the environment exists. A broken file
 * is caught by the check pass with nothing written; the same file again changes nothing; one
 * changed list is exactly one update; an export applied to an empty server nests the same way.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { startInProcess, type InProcess } from '../support/harness.js';

const ENV = '7a2e3b40-0000-4000-8000-000000000201';
const STAFF = '7a2e3b40-0000-4000-8000-000000000211';
const EVERYONE = '7a2e3b40-0000-4000-8000-000000000212';
const ADMINS = '7a2e3b40-0000-4000-8000-000000000213';

type Doc = { environments: any[] };

/** Staff names Everyone, which the file lists after it. */
function nestingDocument(): Doc {
  return {
    environments: [
      {
        id: ENV,
        name: 'Nesting',
        type: 'SANDBOX',
        region: 'NA',
        groups: [
          { id: STAFF, name: 'Staff', memberOfGroups: [{ name: 'Everyone' }] },
          { id: EVERYONE, name: 'Everyone', memberOfGroups: [] },
          { id: ADMINS, name: 'Admins', memberOfGroups: [{ name: 'Staff' }, { id: EVERYONE }] },
        ],
      },
    ],
  };
}

async function apply(h: InProcess, doc: unknown, query = ''): Promise<any> {
  const reply = await h.inject('POST', `/v1/keyway/configuration${query}`, { body: doc });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

const changes = (result: any): string[] => result.plan.filter((e: any) => e.action !== 'unchanged').map((e: any) => `${e.action} ${e.kind} ${e.id}`);

async function parentsOf(h: InProcess, groupId: string): Promise<string[]> {
  const reply = await h.inject('GET', `/v1/environments/${ENV}/groups/${groupId}/memberOfGroups`);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body._embedded.groupMemberships.map((m: any) => m.id).sort();
}

const nestings = async (h: InProcess): Promise<Record<string, string[]>> => ({
  staff: await parentsOf(h, STAFF),
  everyone: await parentsOf(h, EVERYONE),
  admins: await parentsOf(h, ADMINS),
});

describe('declarative configuration: groups nested in groups', () => {
  let h: InProcess;
  before(async () => {
    h = await startInProcess();
  });
  after(() => h.close());

  test('an unknown group and a circular nesting (PingOne Groups: circular references) are found by the check pass; nothing written', async () => {
    const doc = nestingDocument();
    doc.environments[0].groups[1].memberOfGroups = [{ name: 'Admins' }];
    doc.environments[0].groups[0].memberOfGroups.push({ name: 'Nobody' }, { id: '7a2e3b40-0000-4000-8000-0000000002ff' });
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    const targets = reply.body.details.map((d: any) => d.target).sort();
    assert.deepEqual(targets, [
      '/environments/0/groups/0/memberOfGroups',
      '/environments/0/groups/0/memberOfGroups/1',
      '/environments/0/groups/0/memberOfGroups/2',
      '/environments/0/groups/1/memberOfGroups',
      '/environments/0/groups/2/memberOfGroups',
    ]);
    assert.ok(reply.body.details.some((d: any) => /circular/.test(d.message)), JSON.stringify(reply.body.details));
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404, 'nothing written');
  });

  test('groups are nested once they all exist, a later one named by an earlier one', async () => {
    const result = await apply(h, nestingDocument());
    assert.deepEqual(changes(result).filter((c) => c.includes('group')).sort(), [`create group ${ADMINS}`, `create group ${EVERYONE}`, `create group ${STAFF}`].sort());
    assert.deepEqual(await nestings(h), { staff: [EVERYONE], everyone: [], admins: [EVERYONE, STAFF].sort() });
  });

  test('the same file again changes nothing; one changed list is exactly one update; a group without the list keeps its nestings', async () => {
    assert.deepEqual(changes(await apply(h, nestingDocument())), []);
    const doc = nestingDocument();
    doc.environments[0].groups[2].memberOfGroups = [{ name: 'Staff' }];
    assert.deepEqual(changes(await apply(h, doc)), [`update group ${ADMINS}`]);
    assert.deepEqual(await parentsOf(h, ADMINS), [STAFF]);
    delete doc.environments[0].groups[0].memberOfGroups;
    assert.deepEqual(changes(await apply(h, doc)), []);
    assert.deepEqual(await parentsOf(h, STAFF), [EVERYONE]);
  });

  test('a nesting the server has that would close a cycle with the file is refused before anything is written', async () => {
    const doc = nestingDocument();
    doc.environments[0].groups = [{ id: EVERYONE, name: 'Everyone', memberOfGroups: [{ id: ADMINS }] }];
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.details.map((d: any) => d.target), ['/environments/0/groups/0/memberOfGroups']);
    assert.deepEqual(await parentsOf(h, EVERYONE), []);
  });

  test('export, applied on an empty server, nests the same groups', async () => {
    const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}&includeSecrets=true`);
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const fresh = await startInProcess();
    try {
      await apply(fresh, exported.body);
      assert.deepEqual(await nestings(fresh), await nestings(h));
      assert.deepEqual(changes(await apply(fresh, exported.body)), []);
    } finally {
      await fresh.close();
    }
  });
});
