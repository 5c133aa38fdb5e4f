/**
 * Scopes of resources through the management API (docs/pingone-reference.md §5.2). Names are
 * RFC 6749 §3.3 scope tokens, unique within their resource; CUSTOM resources and the `openid`
 * resource take writes (its standard scopes keep their names and stay).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createEnvironment, expectDetail, expectSchema, expectStatus, startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
let resources: string;
let scopes: string;
let resourceId: string;

before(async () => {
  h = await startInProcess();
  resources = `/v1/environments/${h.adminEnvId}/resources`;
  resourceId = expectStatus(await h.inject('POST', resources, { body: { name: 'catalog' } }), 201).body.id as string;
  scopes = `${resources}/${resourceId}/scopes`;
});
after(() => h.close());

const create = (body: unknown) => h.inject('POST', scopes, { body });

describe('scopes of a CUSTOM resource', () => {
  test('POST creates a scope shaped like ResourceScope', async () => {
    const res = expectStatus(await create({ name: 'catalog:read', description: 'Read the catalog' }), 201);
    expectSchema('ResourceScope', res.body);
    assert.equal(res.headers.etag, '"1"');
    assert.deepEqual(res.body.resource, { id: resourceId });
    assert.deepEqual(res.body.environment, { id: h.adminEnvId });
    assert.deepEqual(res.body._links, {
      self: { href: `${h.publicUrl}${scopes}/${res.body.id}` },
      resource: { href: `${h.publicUrl}${resources}/${resourceId}` },
    });
    assert.deepEqual(expectStatus(await h.inject('GET', `${scopes}/${res.body.id}`), 200).body, res.body);
  });

  test('GET lists the scopes of the resource', async () => {
    expectStatus(await create({ name: 'catalog:list' }), 201);
    const res = expectStatus(await h.inject('GET', scopes), 200);
    const items = res.body._embedded.scopes as Array<Record<string, unknown>>;
    for (const item of items) expectSchema('ResourceScope', item);
    assert.ok(items.some((s) => s.name === 'catalog:list'));
    assert.equal(res.body.count, items.length);
  });

  test('PUT replaces name and description; an omitted description is removed', async () => {
    const created = expectStatus(await create({ name: 'catalog:write', description: 'w' }), 201);
    const res = expectStatus(await h.inject('PUT', `${scopes}/${created.body.id}`, { body: { name: 'catalog:update' } }), 200);
    expectSchema('ResourceScope', res.body);
    assert.equal(res.body.name, 'catalog:update');
    assert.equal(res.body.description, undefined);
    assert.equal(res.headers.etag, '"2"');
  });

  test('DELETE answers 204, then the scope is gone', async () => {
    const created = expectStatus(await create({ name: 'catalog:tmp' }), 201);
    expectStatus(await h.inject('DELETE', `${scopes}/${created.body.id}`), 204);
    expectStatus(await h.inject('GET', `${scopes}/${created.body.id}`), 404);
  });

  test('deleting the resource deletes its scopes', async () => {
    const res = expectStatus(await h.inject('POST', resources, { body: { name: 'doomed' } }), 201);
    const scope = expectStatus(await h.inject('POST', `${resources}/${res.body.id}/scopes`, { body: { name: 'x' } }), 201);
    expectStatus(await h.inject('DELETE', `${resources}/${res.body.id}`), 204);
    expectStatus(await h.inject('GET', `${resources}/${res.body.id}/scopes/${scope.body.id}`), 404);
  });
});

describe('validation', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['name missing', {}, 'REQUIRED_VALUE', 'name'],
    ['name empty', { name: '' }, 'REQUIRED_VALUE', 'name'],
    ['name over 256 characters', { name: 's'.repeat(257) }, 'INVALID_VALUE', 'name'],
    ['name with a space', { name: 'read all' }, 'INVALID_VALUE', 'name'],
    ['name with a tab', { name: 'read\tall' }, 'INVALID_VALUE', 'name'],
    ['name with a double quote (RFC 6749 §3.3 excludes %x22)', { name: 'say"hi' }, 'INVALID_VALUE', 'name'],
    ['name with a backslash (RFC 6749 §3.3 excludes %x5C)', { name: 'a\\b' }, 'INVALID_VALUE', 'name'],
    ['name with U+0000', { name: 'a\u0000' }, 'INVALID_VALUE', 'name'],
    ['name outside ASCII', { name: 'lecture:é' }, 'INVALID_VALUE', 'name'],
    ['description over 1024 characters', { name: 'ok', description: 'd'.repeat(1025) }, 'INVALID_VALUE', 'description'],
  ];
  for (const [title, body, code, target] of cases) {
    test(`${title} → ${code} on ${target}`, async () => {
      expectDetail(await create(body), code, target);
    });
  }

  test('a 256-character name of every allowed character class is accepted', async () => {
    const name = `!#[]~${'a'.repeat(251)}`;
    expectStatus(await create({ name }), 201);
  });

  test('a name already used in the resource → UNIQUENESS_VIOLATION on name; other resources may reuse it', async () => {
    expectStatus(await create({ name: 'unique:one' }), 201);
    expectDetail(await create({ name: 'unique:one' }), 'UNIQUENESS_VIOLATION', 'name');
    const other = expectStatus(await h.inject('POST', resources, { body: { name: 'other-api' } }), 201);
    expectStatus(await h.inject('POST', `${resources}/${other.body.id}/scopes`, { body: { name: 'unique:one' } }), 201);
    const second = expectStatus(await create({ name: 'unique:two' }), 201);
    expectDetail(await h.inject('PUT', `${scopes}/${second.body.id}`, { body: { name: 'unique:one' } }), 'UNIQUENESS_VIOLATION', 'name');
  });

  test('a failed request changes nothing', async () => {
    const created = expectStatus(await create({ name: 'fixed', description: 'same' }), 201);
    const count = expectStatus(await h.inject('GET', scopes), 200).body.count as number;
    expectDetail(await h.inject('PUT', `${scopes}/${created.body.id}`, { body: { name: 'has space' } }), 'INVALID_VALUE', 'name');
    expectDetail(await create({ name: 'has space' }), 'INVALID_VALUE', 'name');
    const read = expectStatus(await h.inject('GET', `${scopes}/${created.body.id}`), 200);
    assert.deepEqual(read.body, created.body);
    assert.equal(expectStatus(await h.inject('GET', scopes), 200).body.count, count);
  });
});

describe('scopes of built-in resources and other environments', () => {
  const openid = async () => {
    const list = expectStatus(await h.inject('GET', resources), 200).body._embedded.resources as Array<Record<string, unknown>>;
    return list.find((r) => r.type === 'OPENID_CONNECT')?.id as string;
  };

  test('the standard openid scopes can be read, not renamed or deleted (CONSTRAINT_VIOLATION); the PingOne API scopes take no writes', async () => {
    const url = `${resources}/${await openid()}/scopes`;
    const list = expectStatus(await h.inject('GET', url), 200);
    const names = (list.body._embedded.scopes as Array<{ name: string }>).map((s) => s.name);
    assert.ok(names.includes('openid') && names.includes('profile'));
    for (const standard of list.body._embedded.scopes as Array<{ id: string }>) {
      expectDetail(await h.inject('PUT', `${url}/${standard.id}`, { body: { name: 'renamed' } }), 'CONSTRAINT_VIOLATION', 'name');
      expectDetail(await h.inject('DELETE', `${url}/${standard.id}`), 'CONSTRAINT_VIOLATION', 'name');
    }
    expectDetail(await h.inject('POST', url, { body: { name: 'profile' } }), 'UNIQUENESS_VIOLATION', 'name');
    assert.deepEqual(expectStatus(await h.inject('GET', url), 200).body, list.body);
    const list2 = expectStatus(await h.inject('GET', resources), 200).body._embedded.resources as Array<Record<string, unknown>>;
    const api = list2.find((r) => r.type === 'PINGONE_API')?.id as string;
    expectDetail(await h.inject('POST', `${resources}/${api}/scopes`, { body: { name: 'p1:extra' } }), 'CONSTRAINT_VIOLATION', 'resource.type');
  });

  test('custom openid scopes are bounded: the resource holds at most 100 scopes (SIZE_LIMIT_EXCEEDED)', async () => {
    const env = await createEnvironment(h, 'Many openid scopes');
    const list = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources`), 200).body._embedded.resources as Array<Record<string, unknown>>;
    const url = `/v1/environments/${env}/resources/${list.find((r) => r.type === 'OPENID_CONNECT')?.id as string}/scopes`;
    const standard = expectStatus(await h.inject('GET', url), 200).body.count as number;
    for (let i = standard; i < 100; i++) expectStatus(await h.inject('POST', url, { body: { name: `custom:${i}` } }), 201);
    const over = expectStatus(await h.inject('POST', url, { body: { name: 'one-too-many' } }), 400);
    assert.equal(over.body.details[0].code, 'SIZE_LIMIT_EXCEEDED');
    assert.equal(expectStatus(await h.inject('GET', `${url}?limit=200`), 200).body._embedded.scopes.length, 100);
  });

  test('a scope id under another resource or environment is a 404', async () => {
    const env = await createEnvironment(h, 'Scopes elsewhere');
    const theirs = expectStatus(await h.inject('POST', `/v1/environments/${env}/resources`, { body: { name: 'theirs' } }), 201);
    const scope = expectStatus(
      await h.inject('POST', `/v1/environments/${env}/resources/${theirs.body.id}/scopes`, { body: { name: 'theirs:read' } }),
      201,
    );
    expectStatus(await h.inject('GET', `${scopes}/${scope.body.id}`), 404);
    expectStatus(await h.inject('GET', `${resources}/${theirs.body.id}/scopes`), 404);
    expectStatus(await h.inject('POST', `${resources}/${theirs.body.id}/scopes`, { body: { name: 'sneaky' } }), 404);
    expectStatus(await h.inject('DELETE', `${scopes}/${scope.body.id}`), 404);
  });
});
