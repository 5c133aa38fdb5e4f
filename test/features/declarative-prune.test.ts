/**
 * Declarative configuration with prune (README, "Declarative configuration"): a dry run plans
 * `delete` for what the file no longer lists and deletes nothing; the apply deletes it (an
 * unlisted environment of the organization, and inside a listed one an unlisted group and user),
 * never the caller's own environment and application nor a built-in object; applying the same
 * file with prune again changes nothing.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { loadConfigurationText } from '../../src/declarative/load.js';
import { clientKey, createEnvironment, expectStatus, jwksString, startInProcess, type InProcess } from '../support/harness.js';
import { FIXTURE, fixtureVariables, ORDERS } from '../support/declarative-fixture.js';

let h: InProcess;
let doc: unknown;

async function apply(query: string): Promise<any> {
  const reply = await h.inject('POST', `/v1/keyway/configuration${query}`, { body: doc });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

const deletes = (result: any): string[] => result.plan.filter((e: any) => e.action === 'delete').map((e: any) => `${e.kind} ${e.id}`);

describe('declarative configuration: prune', () => {
  let extraEnv: string;
  let extraGroup: string;
  let extraUser: string;

  before(async () => {
    h = await startInProcess();
    doc = loadConfigurationText('two-environments.yaml', readFileSync(FIXTURE, 'utf8'), await fixtureVariables(jwksString(await clientKey('RS256')))).document;
    await apply('');
    extraEnv = await createEnvironment(h, 'Not in the file');
    extraGroup = expectStatus(await h.inject('POST', `/v1/environments/${ORDERS}/groups`, { body: { name: 'Not in the file' } }), 201).body.id;
    extraUser = expectStatus(await h.inject('POST', `/v1/environments/${ORDERS}/users`, { body: { username: 'stray', email: 'stray@example.com' } }), 201).body.id;
  });
  after(() => h.close());

  test('without prune, what the file does not list is only "would delete"', async () => {
    const result = await apply('?dryRun=true');
    assert.deepEqual(deletes(result), []);
    const would = result.plan.filter((e: any) => e.action === 'would delete').map((e: any) => e.id);
    for (const id of [extraEnv, extraGroup, extraUser]) assert.ok(would.includes(id), id);
  });

  test('a dry run with prune plans the deletes and deletes nothing', async () => {
    const result = await apply('?dryRun=true&prune=true');
    assert.deepEqual(deletes(result).sort(), [`environment ${extraEnv}`, `group ${extraGroup}`, `user ${extraUser}`].sort());
    assert.equal((await h.inject('GET', `/v1/environments/${extraEnv}`)).status, 200);
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}/groups/${extraGroup}`)).status, 200);
  });

  test("prune deletes them, never the caller's environment and application nor built-in objects; again, nothing changes", async () => {
    const result = await apply('?prune=true');
    assert.deepEqual(deletes(result).sort(), [`environment ${extraEnv}`, `group ${extraGroup}`, `user ${extraUser}`].sort());
    assert.equal((await h.inject('GET', `/v1/environments/${extraEnv}`)).status, 404);
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}/groups/${extraGroup}`)).status, 404);
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}/users/${extraUser}`)).status, 404);
    assert.equal((await h.inject('GET', `/v1/environments/${h.adminEnvId}`)).status, 200, "the caller's environment stays");
    const resources = expectStatus(await h.inject('GET', `/v1/environments/${ORDERS}/resources`), 200).body._embedded.resources.map((r: any) => r.name);
    assert.ok(resources.includes('openid') && resources.includes('PingOne API'), 'built-in resources stay');
    const again = await apply('?prune=true');
    assert.deepEqual(again.plan.filter((e: any) => e.action !== 'unchanged'), []);
  });
});
