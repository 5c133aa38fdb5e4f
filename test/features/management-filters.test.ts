/**
 * `filter` on the collections besides users and groups (RFC 7644 §3.4.2.2; PingOne "Query
 * parameter quick reference"): populations take `name sw` and `id eq`; environments and roles,
 * which Keyway does not filter, refuse any filter with INVALID_FILTER instead of ignoring it (a
 * client taking the first hit would otherwise get the wrong record).
 */
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createEnvironment, expectDetail, expectStatus, startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
let env: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'filters-env');
});
after(() => h.close());

const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

test('populations: name sw and id eq filter; the next link keeps the filter; anything else is INVALID_FILTER', async () => {
  const base = `/v1/environments/${env}/populations`;
  for (const name of ['Staff', 'Students', 'Partners']) expectStatus(await h.inject('POST', base, { body: { name } }), 201);
  const page = expectStatus(await h.inject('GET', `${base}?${q('name sw "St"')}&limit=1`), 200).body;
  assert.equal(page.count, 2);
  assert.match(page._links.next.href, /filter=name\+sw\+%22St%22/);
  const staff = page._embedded.populations[0];
  const byId = expectStatus(await h.inject('GET', `${base}?${q(`id eq "${staff.id}"`)}`), 200).body;
  assert.deepEqual(byId._embedded.populations.map((p: { id: string }) => p.id), [staff.id]);
  for (const filter of ['name eq "Staff"', 'name sw "S" and id eq "x"', 'userCount gt 0']) {
    const found = expectDetail(await h.inject('GET', `${base}?${q(filter)}`), 'INVALID_FILTER', 'filter');
    assert.match(String(found.message), /supported: id \(eq\), name \(sw\)/);
  }
});

test('environments and roles refuse any filter, naming that none is supported', async () => {
  for (const path of ['/v1/environments', '/v1/roles']) {
    const found = expectDetail(await h.inject('GET', `${path}?${q('name sw "A"')}`), 'INVALID_FILTER', 'filter');
    assert.match(String(found.message), /no filter is supported/);
    expectStatus(await h.inject('GET', path), 200);
  }
});
