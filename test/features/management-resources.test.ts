/**
 * Resources through the management API (docs/pingone-reference.md §5.2): CUSTOM resources are
 * created, replaced and deleted; the built-in `openid` and PingOne API resources are read-only.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createEnvironment, expectDetail, expectSchema, expectStatus, startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
let base: string;

before(async () => {
  h = await startInProcess();
  base = `/v1/environments/${h.adminEnvId}/resources`;
});
after(() => h.close());

const create = (body: unknown) => h.inject('POST', base, { body });

describe('CUSTOM resources: create, read, list, replace, delete', () => {
  test('POST with only a name applies the defaults: CUSTOM, audience = name, 3600 s', async () => {
    const res = expectStatus(await create({ name: 'orders-api' }), 201);
    expectSchema('Resource', res.body);
    assert.equal(res.headers.etag, '"1"');
    assert.equal(res.body.type, 'CUSTOM');
    assert.equal(res.body.audience, 'orders-api');
    assert.equal(res.body.accessTokenValiditySeconds, 3600);
    assert.equal(res.body.description, undefined);
    assert.deepEqual(res.body.environment, { id: h.adminEnvId });
    const self = `${h.publicUrl}${base}/${res.body.id}`;
    assert.deepEqual(res.body._links, {
      self: { href: self },
      environment: { href: `${h.publicUrl}/v1/environments/${h.adminEnvId}` },
      scopes: { href: `${self}/scopes` },
    });
    const read = expectStatus(await h.inject('GET', `${base}/${res.body.id}`), 200);
    assert.deepEqual(read.body, res.body);
  });

  test('POST with every field echoes them', async () => {
    const body = { name: 'billing', type: 'CUSTOM', description: 'Billing API', audience: 'https://billing.example.com', accessTokenValiditySeconds: 300 };
    const res = expectStatus(await create(body), 201);
    expectSchema('Resource', res.body);
    assert.equal(res.body.description, 'Billing API');
    assert.equal(res.body.audience, 'https://billing.example.com');
    assert.equal(res.body.accessTokenValiditySeconds, 300);
  });

  test('GET lists the built-in resources and custom ones, each a valid Resource', async () => {
    const res = expectStatus(await h.inject('GET', base), 200);
    const items = res.body._embedded.resources as Array<Record<string, unknown>>;
    assert.equal(res.body.count, items.length);
    for (const item of items) expectSchema('Resource', item);
    assert.deepEqual(items.map((r) => r.type).filter((t) => t !== 'CUSTOM').sort(), ['OPENID_CONNECT', 'PINGONE_API']);
  });

  test('PUT is a full replacement: omitted optional fields return to their defaults', async () => {
    const created = expectStatus(await create({ name: 'inventory', description: 'x', audience: 'https://inv', accessTokenValiditySeconds: 600 }), 201);
    const res = expectStatus(await h.inject('PUT', `${base}/${created.body.id}`, { body: { name: 'inventory-v2' } }), 200);
    expectSchema('Resource', res.body);
    assert.equal(res.headers.etag, '"2"');
    assert.equal(res.body.name, 'inventory-v2');
    assert.equal(res.body.audience, 'inventory-v2');
    assert.equal(res.body.accessTokenValiditySeconds, 3600);
    assert.equal(res.body.description, undefined);
    assert.equal(res.body.createdAt, created.body.createdAt);
  });

  test('PUT with a stale If-Match is refused with 412 and changes nothing', async () => {
    const created = expectStatus(await create({ name: 'etag-checked' }), 201);
    const url = `${base}/${created.body.id}`;
    expectStatus(await h.inject('PUT', url, { body: { name: 'etag-checked' } }), 200);
    const stale = await h.inject('PUT', url, { body: { name: 'renamed' }, headers: { 'if-match': '"1"' } });
    expectStatus(stale, 412);
    assert.equal(expectStatus(await h.inject('GET', url), 200).body.name, 'etag-checked');
  });

  test('DELETE answers 204, then the resource is gone', async () => {
    const created = expectStatus(await create({ name: 'short-lived' }), 201);
    expectStatus(await h.inject('DELETE', `${base}/${created.body.id}`), 204);
    expectStatus(await h.inject('GET', `${base}/${created.body.id}`), 404);
    expectStatus(await h.inject('DELETE', `${base}/${created.body.id}`), 404);
  });
});

describe('validation: each error names its code and target', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['name missing', {}, 'REQUIRED_VALUE', 'name'],
    ['name blank', { name: '  ' }, 'REQUIRED_VALUE', 'name'],
    ['name not a string', { name: 7 }, 'INVALID_VALUE', 'name'],
    ['name over 256 characters', { name: 'n'.repeat(257) }, 'INVALID_VALUE', 'name'],
    ['name with U+0000', { name: 'a\u0000b' }, 'INVALID_VALUE', 'name'],
    ['description with a lone surrogate (both drivers would store U+FFFD)', { name: 'lone', description: 'half \ud83d' }, 'INVALID_VALUE', 'description'],
    ['type OPENID_CONNECT', { name: 'r1', type: 'OPENID_CONNECT' }, 'INVALID_VALUE', 'type'],
    ['type PINGONE_API', { name: 'r2', type: 'PINGONE_API' }, 'INVALID_VALUE', 'type'],
    ['type unknown', { name: 'r3', type: 'SAML' }, 'INVALID_VALUE', 'type'],
    ['audience with a fragment', { name: 'r4', audience: 'https://api.example.com/#x' }, 'INVALID_VALUE', 'audience'],
    ['audience naming pingone', { name: 'r5', audience: 'https://api.PingOne.example' }, 'INVALID_VALUE', 'audience'],
    ['audience over 256 characters', { name: 'r6', audience: `https://${'a'.repeat(250)}.com` }, 'INVALID_VALUE', 'audience'],
    ['audience empty', { name: 'r7', audience: '' }, 'INVALID_VALUE', 'audience'],
    ['validity below 300', { name: 'r8', accessTokenValiditySeconds: 299 }, 'OUT_OF_RANGE', 'accessTokenValiditySeconds'],
    ['validity above 30 days', { name: 'r9', accessTokenValiditySeconds: 2_592_001 }, 'OUT_OF_RANGE', 'accessTokenValiditySeconds'],
    ['validity not an integer', { name: 'r10', accessTokenValiditySeconds: 3600.5 }, 'INVALID_VALUE', 'accessTokenValiditySeconds'],
    ['validity as a string', { name: 'r11', accessTokenValiditySeconds: '3600' }, 'INVALID_VALUE', 'accessTokenValiditySeconds'],
    ['description over 1024 characters', { name: 'r12', description: 'd'.repeat(1025) }, 'INVALID_VALUE', 'description'],
  ];
  for (const [title, body, code, target] of cases) {
    test(`${title} → ${code} on ${target}`, async () => {
      expectDetail(await create(body), code, target);
    });
  }

  test('OUT_OF_RANGE carries the bounds in innerError', async () => {
    const found = expectDetail(await create({ name: 'r13', accessTokenValiditySeconds: 10 }), 'OUT_OF_RANGE', 'accessTokenValiditySeconds');
    assert.deepEqual(found.innerError, { rangeMinimumValue: 300, rangeMaximumValue: 2_592_000 });
  });

  test('the management API audience (the public URL) cannot be claimed', async () => {
    expectDetail(await create({ name: 'r14', audience: h.publicUrl }), 'INVALID_VALUE', 'audience');
  });

  test('every violation is reported at once', async () => {
    const res = await create({ type: 'PINGONE_API', accessTokenValiditySeconds: 1 });
    assert.deepEqual((res.body.details as Array<{ target: string }>).map((d) => d.target).sort(), [
      'accessTokenValiditySeconds',
      'name',
      'type',
    ]);
  });

  test('a name already used in the environment → UNIQUENESS_VIOLATION on name (also for built-ins)', async () => {
    expectStatus(await create({ name: 'dup' }), 201);
    expectDetail(await create({ name: 'dup' }), 'UNIQUENESS_VIOLATION', 'name');
    expectDetail(await create({ name: 'openid' }), 'UNIQUENESS_VIOLATION', 'name');
    const other = expectStatus(await create({ name: 'dup-2' }), 201);
    expectDetail(await h.inject('PUT', `${base}/${other.body.id}`, { body: { name: 'dup' } }), 'UNIQUENESS_VIOLATION', 'name');
  });

  test('PUT cannot change the type', async () => {
    const created = expectStatus(await create({ name: 'typed' }), 201);
    expectDetail(await h.inject('PUT', `${base}/${created.body.id}`, { body: { name: 'typed', type: 'OPENID_CONNECT' } }), 'INVALID_VALUE', 'type');
  });

  test('a body that is not a JSON object → 400 INVALID_REQUEST', async () => {
    const res = expectStatus(await create([{ name: 'array' }]), 400);
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });

  test('a failed request changes nothing', async () => {
    const created = expectStatus(await create({ name: 'stable', description: 'keep', accessTokenValiditySeconds: 900 }), 201);
    const url = `${base}/${created.body.id}`;
    const before_ = expectStatus(await h.inject('GET', base), 200).body.count as number;
    expectDetail(await h.inject('PUT', url, { body: { name: 'stable', accessTokenValiditySeconds: 1 } }), 'OUT_OF_RANGE', 'accessTokenValiditySeconds');
    expectDetail(await create({ name: 'never-created', type: 'OPENID_CONNECT' }), 'INVALID_VALUE', 'type');
    const read = expectStatus(await h.inject('GET', url), 200);
    assert.deepEqual(read.body, created.body);
    assert.equal(read.headers.etag, '"1"');
    assert.equal(expectStatus(await h.inject('GET', base), 200).body.count, before_);
  });
});

describe('built-in resources', () => {
  const builtIn = async (type: string) => {
    const list = expectStatus(await h.inject('GET', base), 200).body._embedded.resources as Array<Record<string, unknown>>;
    const found = list.find((r) => r.type === type);
    assert.ok(found, `no ${type} resource`);
    return found;
  };

  test('the PingOne API resource reports the current public URL as its audience', async () => {
    assert.equal((await builtIn('PINGONE_API')).audience, h.publicUrl);
  });

  for (const type of ['OPENID_CONNECT', 'PINGONE_API']) {
    test(`${type}: PUT and DELETE → CONSTRAINT_VIOLATION, and the resource is unchanged`, async () => {
      const resource = await builtIn(type);
      const url = `${base}/${resource.id as string}`;
      expectDetail(await h.inject('PUT', url, { body: { name: 'hijacked' } }), 'CONSTRAINT_VIOLATION', 'type');
      expectDetail(await h.inject('DELETE', url), 'CONSTRAINT_VIOLATION', 'type');
      assert.deepEqual(expectStatus(await h.inject('GET', url), 200).body, resource);
    });
  }
});

describe('environment isolation', () => {
  test('ids of another environment answer 404 on every verb', async () => {
    const otherEnv = await createEnvironment(h, 'Resources elsewhere');
    const foreign = expectStatus(await h.inject('POST', `/v1/environments/${otherEnv}/resources`, { body: { name: 'theirs' } }), 201);
    const url = `${base}/${foreign.body.id}`;
    expectStatus(await h.inject('GET', url), 404);
    expectStatus(await h.inject('PUT', url, { body: { name: 'mine' } }), 404);
    expectStatus(await h.inject('DELETE', url), 404);
    expectStatus(await h.inject('GET', `/v1/environments/${otherEnv}/resources/${foreign.body.id}`), 200);
  });

  test('a path id that is not a UUID is a 404, and no token is a 401', async () => {
    expectStatus(await h.inject('GET', `${base}/not-a-uuid`), 404);
    expectStatus(await h.inject('GET', base, { token: null }), 401);
  });
});
