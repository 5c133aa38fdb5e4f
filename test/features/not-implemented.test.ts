/**
 * PingOne operations Keyway does not serve answer 501 `NOT_IMPLEMENTED` naming the operation (a
 * Keyway extension, README "Keyway extensions"), derived from PingOne's OpenAPI description; ids
 * that do not exist on served operations stay 404, paths that are no PingOne operation stay 404,
 * and the README's coverage figure is the computed one.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FIXTURE, moduleText, operationsOf, MODULE } from '../../scripts/pingone-operations.mjs';
import { PINGONE_OPERATIONS } from '../../src/http/management/pingone-operations.js';
import { expectStatus, startInProcess, type InProcess, type HttpMethod } from '../support/harness.js';

let h: InProcess;
before(async () => {
  h = await startInProcess();
});
after(() => h.close());

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The path with every `{param}` replaced by an id that names nothing. */
const concrete = (template: string): string => template.replace(/\{[^}]+\}/g, UNKNOWN);

/** Every PingOne operation with the status Keyway answers it with (ids that name nothing). */
async function answers(): Promise<Array<{ method: string; path: string; operationId: string; status: number }>> {
  const out = [];
  for (const [method, path, operationId] of PINGONE_OPERATIONS) {
    const reply = await h.inject(method as HttpMethod, concrete(path), method === 'GET' || method === 'DELETE' ? {} : { body: {} });
    out.push({ method, path, operationId, status: reply.status });
  }
  return out;
}

describe('operations Keyway does not implement', () => {
  test('the committed operation list is the one scripts/pingone-operations.mjs derives from the OpenAPI description', () => {
    const derived = operationsOf(readFileSync(FIXTURE, 'utf8'));
    assert.equal(readFileSync(MODULE, 'utf8'), moduleText(derived), 'run node scripts/pingone-operations.mjs');
    assert.equal(PINGONE_OPERATIONS.length, derived.length);
  });

  test('an unserved PingOne operation is 501 NOT_IMPLEMENTED naming it, in PingOne\'s error shape', async () => {
    const reply = expectStatus(await h.inject('GET', `/v1/environments/${h.adminEnvId}/gateways`), 501);
    assert.equal(reply.body.code, 'NOT_IMPLEMENTED');
    assert.equal(typeof reply.body.id, 'string');
    assert.match(reply.body.message, /readAllGateways \(GET \/v1\/environments\/\{environmentID\}\/gateways\)/);
  });

  test('a served operation still answers 404 for an id that does not exist; a path PingOne does not have is 404', async () => {
    for (const path of [`/v1/environments/${UNKNOWN}`, `/v1/environments/${h.adminEnvId}/applications/${UNKNOWN}`, `/v1/environments/${h.adminEnvId}/applications/not-a-uuid`]) {
      assert.equal(expectStatus(await h.inject('GET', path), 404).body.code, 'NOT_FOUND', path);
    }
    assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${h.adminEnvId}/widgets`), 404).body.code, 'NOT_FOUND');
    assert.equal(expectStatus(await h.inject('GET', '/v1/nothing/here'), 404).body.code, 'NOT_FOUND');
  });

  test('authentication comes first: without a token an unserved operation is 401', async () => {
    expectStatus(await h.inject('GET', `/v1/environments/${h.adminEnvId}/gateways`, { token: null }), 401);
  });

  test("every operation is either served or 501, never 404 or 405, and the README's coverage figure is the computed one", async () => {
    const all = await answers();
    const wrong = all.filter((a) => a.status === 404 && !a.path.includes('{')).concat(all.filter((a) => a.status === 405));
    assert.deepEqual(wrong, [], 'no PingOne operation answers 405, nor 404 without an id in its path');
    const served = all.filter((a) => a.status !== 501).length;
    const readme = readFileSync(README, 'utf8');
    const figure = /Keyway serves \*\*(\d+) of (\d+)\*\* operations/.exec(readme);
    assert.ok(figure, 'README states the coverage as "Keyway serves **N of M** operations"');
    assert.deepEqual([Number(figure[1]), Number(figure[2])], [served, all.length], `README should say: Keyway serves **${served} of ${all.length}** operations`);
  });
});
