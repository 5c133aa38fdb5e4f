/**
 * Populations through the management API (docs/pingone-reference.md §5.3, OpenAPI `Population`):
 * every environment starts with a "Default" population; exactly one is the default; the default,
 * the last one and any holding users cannot be deleted (CONSTRAINT_VIOLATION).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  createApp,
  createEnvironment,
  expectDetail,
  expectForbidden,
  expectSchema,
  expectStatus,
  startInProcess,
  tokenFor,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
let env: string;
let base: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'populations-env');
  base = `/v1/environments/${env}/populations`;
});
after(() => h.close());

const create = (body: unknown) => h.inject('POST', base, { body });
const list = async () => expectStatus(await h.inject('GET', `${base}?limit=1000`), 200).body._embedded.populations as Array<Record<string, any>>;
const defaults = async () => (await list()).filter((p) => p.default).map((p) => p.id as string);

describe('populations: create, read, list, replace', () => {
  test('a new environment has one population, "Default", which is the default', async () => {
    const fresh = await createEnvironment(h, 'populations-fresh');
    const res = expectStatus(await h.inject('GET', `/v1/environments/${fresh}/populations`), 200);
    assert.equal(res.body.count, 1);
    const [only] = res.body._embedded.populations;
    expectSchema('Population', only);
    assert.equal(only.name, 'Default');
    assert.equal(only.default, true);
    assert.equal(only.userCount, 0);
  });

  test('POST creates a population shaped like Population; GET returns it with its ETag', async () => {
    const res = expectStatus(await create({ name: 'Contractors', description: 'Outside staff' }), 201);
    expectSchema('Population', res.body);
    assert.equal(res.headers.etag, '"1"');
    assert.deepEqual(res.body.environment, { id: env });
    assert.equal(res.body.default, false);
    assert.equal(res.body.userCount, 0);
    assert.deepEqual(res.body._links, {
      self: { href: `${h.publicUrl}${base}/${res.body.id}` },
      environment: { href: `${h.publicUrl}/v1/environments/${env}` },
    });
    const read = expectStatus(await h.inject('GET', `${base}/${res.body.id}`), 200);
    assert.deepEqual(read.body, res.body);
    assert.equal(read.headers.etag, '"1"');
  });

  test('making a population the default unsets the previous default', async () => {
    const [previous] = await defaults();
    const res = expectStatus(await create({ name: 'Employees', default: true }), 201);
    assert.deepEqual(await defaults(), [res.body.id]);
    const old = expectStatus(await h.inject('GET', `${base}/${previous}`), 200);
    assert.equal(old.body.default, false);
    const back = expectStatus(await h.inject('PUT', `${base}/${previous}`, { body: { name: old.body.name, default: true } }), 200);
    assert.equal(back.body.default, true);
    assert.deepEqual(await defaults(), [previous]);
  });

  test('PUT replaces: an omitted description is removed; a stale If-Match is a 412 that changes nothing', async () => {
    const created = expectStatus(await create({ name: 'Partners', description: 'x' }), 201);
    const url = `${base}/${created.body.id}`;
    const res = expectStatus(await h.inject('PUT', url, { body: { name: 'Partners 2' } }), 200);
    expectSchema('Population', res.body);
    assert.equal(res.headers.etag, '"2"');
    assert.equal(res.body.description, undefined);
    assert.equal(res.body.createdAt, created.body.createdAt);
    expectStatus(await h.inject('PUT', url, { body: { name: 'Stale' }, headers: { 'if-match': '"1"' } }), 412);
    assert.equal(expectStatus(await h.inject('GET', url), 200).body.name, 'Partners 2');
  });

  test('the default population cannot be unset directly', async () => {
    const [current] = await defaults();
    const res = await h.inject('PUT', `${base}/${current}`, { body: { name: 'Default', default: false } });
    expectDetail(res, 'CONSTRAINT_VIOLATION', 'default');
    assert.deepEqual(await defaults(), [current]);
  });

  test('cursor paging with limit', async () => {
    for (const name of ['Page A', 'Page B', 'Page C']) expectStatus(await create({ name }), 201);
    const first = expectStatus(await h.inject('GET', `${base}?limit=2`), 200);
    assert.equal(first.body.size, 2);
    const next = new URL(first.body._links.next.href);
    assert.equal(next.searchParams.get('limit'), '2');
    const second = expectStatus(await h.inject('GET', `${next.pathname}${next.search}`), 200);
    const ids = [...first.body._embedded.populations, ...second.body._embedded.populations].map((p: { id: string }) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'no population twice');
    expectDetail(await h.inject('GET', `${base}?limit=0`), 'INVALID_PARAMETER', 'limit');
  });
});

describe('populations: validation (each refused request changes nothing)', () => {
  const refused: Array<[string, unknown, string, string]> = [
    ['a missing name', { description: 'no name' }, 'REQUIRED_VALUE', 'name'],
    ['a blank name', { name: '   ' }, 'REQUIRED_VALUE', 'name'],
    ['a name over 256 characters', { name: 'n'.repeat(257) }, 'INVALID_VALUE', 'name'],
    ['a name holding U+0000', { name: 'a\u0000b' }, 'INVALID_VALUE', 'name'],
    ['a name holding a lone surrogate', { name: 'a\udc00b' }, 'INVALID_VALUE', 'name'],
    ['a description over 1024 characters', { name: 'ok', description: 'd'.repeat(1025) }, 'INVALID_VALUE', 'description'],
    ['a non-boolean default', { name: 'ok', default: 'yes' }, 'INVALID_VALUE', 'default'],
    ['a taken name', { name: 'Contractors' }, 'UNIQUENESS_VIOLATION', 'name'],
  ];
  for (const [what, body, code, target] of refused) {
    test(`POST with ${what}: ${code} on ${target}`, async () => {
      const before = await list();
      expectDetail(await create(body), code, target);
      assert.deepEqual(await list(), before);
    });
  }

  test('a non-object body is INVALID_REQUEST', async () => {
    const res = expectStatus(await create([1, 2]), 400);
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });
});

describe('populations: delete', () => {
  test('DELETE answers 204, then the population is gone', async () => {
    const created = expectStatus(await create({ name: 'Short-lived' }), 201);
    expectStatus(await h.inject('DELETE', `${base}/${created.body.id}`), 204);
    expectStatus(await h.inject('GET', `${base}/${created.body.id}`), 404);
    expectStatus(await h.inject('DELETE', `${base}/${created.body.id}`), 404);
  });

  test('the default population cannot be deleted', async () => {
    const [current] = await defaults();
    expectDetail(await h.inject('DELETE', `${base}/${current}`), 'CONSTRAINT_VIOLATION', 'default');
    expectStatus(await h.inject('GET', `${base}/${current}`), 200);
  });

  test('the last population of an environment cannot be deleted', async () => {
    const fresh = await createEnvironment(h, 'populations-last');
    const only = expectStatus(await h.inject('GET', `/v1/environments/${fresh}/populations`), 200).body._embedded.populations[0];
    expectDetail(await h.inject('DELETE', `/v1/environments/${fresh}/populations/${only.id}`), 'CONSTRAINT_VIOLATION', 'id');
  });

  test('a population holding users cannot be deleted; userCount counts them', async () => {
    const pop = expectStatus(await create({ name: 'Occupied' }), 201).body.id as string;
    const users = `/v1/environments/${env}/users`;
    const u = expectStatus(await h.inject('POST', users, { body: { username: 'occupant', email: 'o@example.com', population: { id: pop } } }), 201);
    assert.equal(expectStatus(await h.inject('GET', `${base}/${pop}`), 200).body.userCount, 1);
    expectDetail(await h.inject('DELETE', `${base}/${pop}`), 'CONSTRAINT_VIOLATION', 'userCount');
    expectStatus(await h.inject('DELETE', `${users}/${u.body.id}`), 204);
    expectStatus(await h.inject('DELETE', `${base}/${pop}`), 204);
  });
});

describe('populations: access', () => {
  test('ids of another environment, unknown and malformed ids are 404', async () => {
    const other = await createEnvironment(h, 'populations-other');
    const foreign = expectStatus(await h.inject('POST', `/v1/environments/${other}/populations`, { body: { name: 'Foreign' } }), 201);
    const url = `${base}/${foreign.body.id}`;
    expectStatus(await h.inject('GET', url), 404);
    expectStatus(await h.inject('PUT', url, { body: { name: 'Hijacked' } }), 404);
    expectStatus(await h.inject('DELETE', url), 404);
    expectStatus(await h.inject('GET', `${base}/not-a-uuid`), 404);
    expectStatus(await h.inject('GET', `/v1/environments/00000000-0000-4000-8000-000000000000/populations`), 404);
    assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${other}/populations/${foreign.body.id}`), 200).body.name, 'Foreign');
  });

  test('a worker without Identity Data Admin gets 403', async () => {
    const worker = await createApp(h, env, 'populations-developer');
    expectStatus(await assignRole(h, env, worker.id, ROLES.clientApplicationDeveloper.id, { type: 'ENVIRONMENT', id: env }), 201);
    const token = await tokenFor(h, env, worker);
    expectForbidden(await h.inject('GET', base, { token }));
    expectForbidden(await h.inject('POST', base, { token, body: { name: 'Not allowed' } }));
    const [current] = await defaults();
    expectForbidden(await h.inject('DELETE', `${base}/${current}`, { token }));
    expectStatus(await h.inject('GET', `/v1/environments/${env}/applications`, { token }), 200);
  });
});
