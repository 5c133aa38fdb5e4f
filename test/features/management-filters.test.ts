/**
 * `filter` on the collections besides users and groups (RFC 7644 §3.4.2.2; PingOne "Query
 * parameter quick reference"): populations take `name sw` and `id eq`; environments `name sw`,
 * `id eq`, `organization.id eq` and `license.id eq` combined with `and` (OpenAPI `GET
 * /environments`); roles, applications and resources, which PingOne does not filter, refuse any
 * filter with INVALID_FILTER instead of ignoring it (a client taking the first hit would
 * otherwise get the wrong record).
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

test('roles, applications and resources refuse any filter, naming that none is supported', async () => {
  for (const path of ['/v1/roles', `/v1/environments/${env}/applications`, `/v1/environments/${env}/resources`]) {
    const found = expectDetail(await h.inject('GET', `${path}?${q('name sw "A"')}`), 'INVALID_FILTER', 'filter');
    assert.match(String(found.message), /no filter is supported/);
    expectStatus(await h.inject('GET', path), 200);
  }
});

test('organizations take name sw, licenses status eq (any case) and beginsAt lt combined with and (PingOne "Read All Licenses"); anything else is INVALID_FILTER', async () => {
  const org = expectStatus(await h.inject('GET', '/v1/organizations'), 200).body._embedded.organizations[0];
  const orgs = (filter: string) => h.inject('GET', `/v1/organizations?${q(filter)}`).then((r) => expectStatus(r, 200).body);
  assert.equal((await orgs(`name sw "${String(org.name).slice(0, 3).toUpperCase()}"`)).count, 1);
  const none = await orgs('name sw "no such organization"');
  assert.equal(none.count, 0);
  assert.deepEqual(none._embedded.organizations, []);
  const base = `/v1/organizations/${org.id}/licenses`;
  const licenses = (filter: string) => h.inject('GET', `${base}?${q(filter)}`).then((r) => expectStatus(r, 200).body._embedded.licenses.length);
  assert.equal(await licenses('status eq "active"'), 1);
  assert.equal(await licenses('status eq "TERMINATED"'), 0);
  assert.equal(await licenses('beginsAt lt "2999-01-01T00:00:00Z" and status eq "ACTIVE"'), 1);
  assert.equal(await licenses('beginsAt lt "2000-01-01T00:00:00Z"'), 0);
  for (const [path, filter, supported] of [
    ['/v1/organizations', 'name eq "x"', /supported: name \(sw\)/],
    ['/v1/organizations', 'id eq "x"', /supported: name \(sw\)/],
    [base, 'beginsAt lt "yesterday"', /date-time/],
    [base, 'beginsAt gt "2000-01-01T00:00:00Z"', /beginsAt \(lt\), status \(eq\)/],
    [base, 'status eq "ACTIVE" or status eq "EXPIRED"', /combined with and/],
  ] as const) {
    const found = expectDetail(await h.inject('GET', `${path}?${q(filter)}`), 'INVALID_FILTER', 'filter');
    assert.match(String(found.message), supported);
  }
});

test('every other list refuses a filter instead of ignoring it: scopes, grants, password policies, schemas, memberships', async () => {
  const resource = expectStatus(await h.inject('POST', `/v1/environments/${env}/resources`, { body: { name: 'filters-api' } }), 201).body;
  const app = expectStatus(
    await h.inject('POST', `/v1/environments/${env}/applications`, { body: { name: 'filters-app', protocol: 'OPENID_CONNECT', type: 'WORKER', enabled: true } }),
    201,
  ).body;
  const group = expectStatus(await h.inject('POST', `/v1/environments/${env}/groups`, { body: { name: 'filters-group' } }), 201).body;
  const schema = expectStatus(await h.inject('GET', `/v1/environments/${env}/schemas`), 200).body._embedded.schemas[0];
  for (const path of [
    `/v1/environments/${env}/resources/${resource.id}/scopes`,
    `/v1/environments/${env}/applications/${app.id}/grants`,
    `/v1/environments/${env}/passwordPolicies`,
    `/v1/environments/${env}/schemas`,
    `/v1/environments/${env}/schemas/${schema.id}/attributes`,
    `/v1/environments/${env}/groups/${group.id}/memberOfGroups`,
  ]) {
    const found = expectDetail(await h.inject('GET', `${path}?${q('name eq "x"')}`), 'INVALID_FILTER', 'filter');
    assert.match(String(found.message), /no filter is supported/, path);
    expectStatus(await h.inject('GET', path), 200);
  }
});

test('environments: name sw, id eq, organization.id eq and license.id eq, combined with and; or and other attributes are INVALID_FILTER', async () => {
  const all = expectStatus(await h.inject('GET', '/v1/environments'), 200).body._embedded.environments as Array<Record<string, any>>;
  const mine = all.find((e) => e.id === env)!;
  const names = (filter: string) =>
    h.inject('GET', `/v1/environments?${q(filter)}`).then((r) => (expectStatus(r, 200).body._embedded.environments as Array<{ id: string }>).map((e) => e.id));
  assert.deepEqual(await names(`name sw "${String(mine.name).slice(0, 8)}"`), all.filter((e) => String(e.name).startsWith(String(mine.name).slice(0, 8))).map((e) => e.id).sort());
  assert.deepEqual(await names(`id eq "${env}"`), [env]);
  assert.deepEqual(await names(`ID EQ "${env}" and license.id eq "${mine.license.id}" and organization.id eq "${mine.organization.id}"`), [env]);
  assert.deepEqual(await names(`organization.id eq "00000000-0000-4000-8000-000000000000"`), []);
  assert.deepEqual(await names(`name sw "no such environment"`), []);
  const page = expectStatus(await h.inject('GET', `/v1/environments?${q(`id eq "${env}"`)}`), 200).body;
  assert.equal(page.count, 1);
  assert.match(page._links.self.href, /filter=id\+eq/);
  for (const filter of [`id eq "${env}" or name sw "A"`, 'name eq "A"', 'type eq "SANDBOX"', 'not (id eq "x")', 'name sw']) {
    const found = expectDetail(await h.inject('GET', `/v1/environments?${q(filter)}`), 'INVALID_FILTER', 'filter');
    assert.match(String(found.message), /supported: id \(eq\), name \(sw\), organization\.id \(eq\), license\.id \(eq\); combined with and/);
  }
});
