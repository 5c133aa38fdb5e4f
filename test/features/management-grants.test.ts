/**
 * Resource grants of applications (docs/pingone-reference.md §5.1) and what they do to
 * client-credentials tokens (§6.6): granted custom scopes in `scope`, the resource audience in
 * `aud`, its lifetime in `exp`, and `invalid_scope` (RFC 6749 §5.2) for anything not granted.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import {
  collectPages,
  createApp,
  createEnvironment,
  expectDetail,
  expectSchema,
  expectStatus,
  jwtPayload,
  raceAtStore,
  startInProcess,
  type CreatedApp,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
let env: string;
let weather: { id: string; read: string; write: string };
let news: { id: string; read: string };

async function customResource(name: string, body: Record<string, unknown>, scopeNames: string[]) {
  const res = expectStatus(await h.inject('POST', `/v1/environments/${env}/resources`, { body: { name, ...body } }), 201);
  const ids: string[] = [];
  for (const scope of scopeNames) {
    const created = await h.inject('POST', `/v1/environments/${env}/resources/${res.body.id}/scopes`, { body: { name: scope } });
    ids.push(expectStatus(created, 201).body.id as string);
  }
  return { id: res.body.id as string, ids };
}

before(async () => {
  h = await startInProcess();
  env = h.adminEnvId;
  const w = await customResource('weather', { audience: 'https://weather.example', accessTokenValiditySeconds: 900 }, ['weather:read', 'weather:write']);
  weather = { id: w.id, read: w.ids[0] as string, write: w.ids[1] as string };
  const n = await customResource('news', {}, ['news:read']);
  news = { id: n.id, read: n.ids[0] as string };
});
after(() => h.close());

const grantsOf = (app: CreatedApp) => `/v1/environments/${env}/applications/${app.id}/grants`;
const grantBody = (resourceId: string, ...scopeIds: string[]) => ({ resource: { id: resourceId }, scopes: scopeIds.map((id) => ({ id })) });

describe('grants: create, read, list, replace, delete', () => {
  test('POST creates an ApplicationResourceGrant; GET and the list return it', async () => {
    const app = await createApp(h, env, 'grant-crud');
    const res = expectStatus(await h.inject('POST', grantsOf(app), { body: grantBody(weather.id, weather.read) }), 201);
    expectSchema('ApplicationResourceGrant', res.body);
    assert.equal(res.headers.etag, '"1"');
    assert.deepEqual(res.body.application, { id: app.id });
    assert.deepEqual(res.body.resource, { id: weather.id });
    assert.deepEqual(res.body.scopes, [{ id: weather.read }]);
    const envHref = `${h.publicUrl}/v1/environments/${env}`;
    assert.deepEqual(res.body._links, {
      self: { href: `${h.publicUrl}${grantsOf(app)}/${res.body.id}` },
      environment: { href: envHref },
      application: { href: `${envHref}/applications/${app.id}` },
      resource: { href: `${envHref}/resources/${weather.id}` },
    });
    assert.deepEqual(expectStatus(await h.inject('GET', `${grantsOf(app)}/${res.body.id}`), 200).body, res.body);
    const list = expectStatus(await h.inject('GET', grantsOf(app)), 200);
    assert.deepEqual(list.body._embedded.grants, [res.body]);
    assert.equal(list.body.count, 1);
  });

  test('PUT replaces the scopes; DELETE removes the grant', async () => {
    const app = await createApp(h, env, 'grant-replace');
    const created = expectStatus(await h.inject('POST', grantsOf(app), { body: grantBody(weather.id, weather.read) }), 201);
    const url = `${grantsOf(app)}/${created.body.id}`;
    const res = expectStatus(await h.inject('PUT', url, { body: grantBody(weather.id, weather.write, weather.read) }), 200);
    expectSchema('ApplicationResourceGrant', res.body);
    assert.deepEqual(res.body.scopes, [{ id: weather.write }, { id: weather.read }]);
    assert.equal(res.headers.etag, '"2"');
    expectStatus(await h.inject('DELETE', url), 204);
    expectStatus(await h.inject('GET', url), 404);
  });

  test('the list pages with limit and cursor (Keyway extension): every grant once, count on every page', async () => {
    const app = await createApp(h, env, 'grant-paging');
    const created: string[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      const resource = await customResource(`paging-${name}-${randomUUID().slice(0, 8)}`, {}, [`paging:${name}`]);
      created.push(expectStatus(await h.inject('POST', grantsOf(app), { body: grantBody(resource.id, ...resource.ids) }), 201).body.id as string);
    }
    const { ids, pages } = await collectPages(h, `${grantsOf(app)}?limit=2`, 'grants');
    assert.equal(pages, 3);
    assert.deepEqual([...ids].sort(), [...created].sort());
    assert.equal(expectStatus(await h.inject('GET', grantsOf(app)), 200).body._links.next, undefined, 'one page by default (limit 100)');
    expectDetail(await h.inject('GET', `${grantsOf(app)}?limit=0`), 'INVALID_PARAMETER', 'limit');
    expectDetail(await h.inject('GET', `${grantsOf(app)}?cursor=nope`), 'INVALID_PARAMETER', 'cursor');
  });

  test('grants on the OPENID_CONNECT resource are allowed', async () => {
    const app = await createApp(h, env, 'grant-openid');
    const resources = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources`), 200).body._embedded.resources as Array<Record<string, string>>;
    const openid = resources.find((r) => r.type === 'OPENID_CONNECT')?.id as string;
    const scopes = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources/${openid}/scopes`), 200).body._embedded.scopes as Array<{ id: string }>;
    expectStatus(await h.inject('POST', grantsOf(app), { body: grantBody(openid, ...scopes.slice(0, 2).map((s) => s.id)) }), 201);
  });
});

describe('grant validation', () => {
  let app: CreatedApp;
  before(async () => {
    app = await createApp(h, env, 'grant-validation');
  });
  const post = (body: unknown) => h.inject('POST', grantsOf(app), { body });

  test('shape errors name their target', async () => {
    expectDetail(await post({ scopes: [{ id: weather.read }] }), 'REQUIRED_VALUE', 'resource.id');
    expectDetail(await post({ resource: { id: 'nope' }, scopes: [{ id: weather.read }] }), 'INVALID_VALUE', 'resource.id');
    expectDetail(await post({ resource: { id: weather.id } }), 'REQUIRED_VALUE', 'scopes');
    expectDetail(await post({ resource: { id: weather.id }, scopes: [] }), 'EMPTY_VALUE', 'scopes');
    expectDetail(await post({ resource: { id: weather.id }, scopes: { id: weather.read } }), 'INVALID_VALUE', 'scopes');
    expectDetail(await post({ resource: { id: weather.id }, scopes: [{ id: weather.read }, 'x'] }), 'INVALID_VALUE', 'scopes[1].id');
    expectDetail(await post(grantBody(weather.id, weather.read, weather.read)), 'INVALID_VALUE', 'scopes[1].id');
    const tooMany = Array.from({ length: 101 }, () => randomUUID());
    const size = expectDetail(await post(grantBody(weather.id, ...tooMany)), 'SIZE_LIMIT_EXCEEDED', 'scopes');
    assert.deepEqual(size.innerError, { maximumValue: 100 });
  });

  test('the resource must exist in the environment', async () => {
    expectDetail(await post(grantBody(randomUUID(), weather.read)), 'INVALID_VALUE', 'resource.id');
    const other = await createEnvironment(h, 'Grant elsewhere');
    const foreign = expectStatus(await h.inject('POST', `/v1/environments/${other}/resources`, { body: { name: 'foreign' } }), 201);
    expectDetail(await post(grantBody(foreign.body.id as string, weather.read)), 'INVALID_VALUE', 'resource.id');
  });

  test('every scope must belong to that resource', async () => {
    expectDetail(await post(grantBody(weather.id, weather.read, news.read)), 'INVALID_VALUE', 'scopes[1].id');
    expectDetail(await post(grantBody(weather.id, randomUUID())), 'INVALID_VALUE', 'scopes[0].id');
  });

  test('one grant per application and resource → UNIQUENESS_VIOLATION', async () => {
    const first = expectStatus(await post(grantBody(news.id, news.read)), 201);
    const clash = expectDetail(await post(grantBody(news.id, news.read)), 'UNIQUENESS_VIOLATION', 'resource.id');
    assert.deepEqual(clash.innerError, { existingId: first.body.id });
    const second = expectStatus(await post(grantBody(weather.id, weather.read)), 201);
    const moved = await h.inject('PUT', `${grantsOf(app)}/${second.body.id}`, { body: grantBody(news.id, news.read) });
    expectDetail(moved, 'UNIQUENESS_VIOLATION', 'resource.id');
  });

  test('concurrent creates of one grant: one 201, the others UNIQUENESS_VIOLATION (the store key decides)', async () => {
    const racer = await createApp(h, env, 'grant-race');
    const create = () => h.inject('POST', grantsOf(racer), { body: grantBody(weather.id, weather.read) });
    const replies = await raceAtStore(h, 'createGrant', [create, create, create, create]);
    const created = replies.filter((r) => r.status === 201);
    assert.equal(created.length, 1);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      const clash = expectDetail(reply, 'UNIQUENESS_VIOLATION', 'resource.id');
      assert.deepEqual(clash.innerError, { existingId: created[0]?.body.id });
    }
    assert.equal(expectStatus(await h.inject('GET', grantsOf(racer)), 200).body.count, 1);
  });

  test('a failed request changes nothing', async () => {
    const before_ = expectStatus(await h.inject('GET', grantsOf(app)), 200).body;
    const existing = (before_._embedded.grants as Array<{ id: string }>)[0]?.id as string;
    expectDetail(await h.inject('PUT', `${grantsOf(app)}/${existing}`, { body: grantBody(weather.id, news.read) }), 'INVALID_VALUE', 'scopes[0].id');
    expectDetail(await post(grantBody(randomUUID(), weather.read)), 'INVALID_VALUE', 'resource.id');
    assert.deepEqual(expectStatus(await h.inject('GET', grantsOf(app)), 200).body, before_);
  });

  test('an application of another environment, or none, is a 404', async () => {
    const other = await createEnvironment(h, 'Apps elsewhere');
    const foreignApp = await createApp(h, other, 'foreign-app');
    expectStatus(await h.inject('GET', grantsOf(foreignApp)), 404);
    expectStatus(await h.inject('POST', grantsOf(foreignApp), { body: grantBody(weather.id, weather.read) }), 404);
    expectStatus(await h.inject('GET', grantsOf({ id: randomUUID(), secret: '' })), 404);
    expectStatus(await h.inject('GET', `/v1/environments/${other}/applications/${foreignApp.id}/grants`), 200);
  });
});

describe('client-credentials tokens follow the grants', () => {
  let app: CreatedApp;
  let grantUrl: string;
  before(async () => {
    app = await createApp(h, env, 'token-client');
    const grant = expectStatus(await h.inject('POST', grantsOf(app), { body: grantBody(weather.id, weather.read) }), 201);
    grantUrl = `${grantsOf(app)}/${grant.body.id}`;
  });
  const token = (scope?: string) => h.clientCredentials(env, app.id, app.secret, scope);

  test('a granted custom scope gives a token for the resource audience with its lifetime', async () => {
    const res = expectStatus(await token('weather:read'), 200);
    assert.equal(res.body.expires_in, 900);
    assert.equal(res.body.scope, 'weather:read');
    const claims = jwtPayload(res.body.access_token as string);
    assert.deepEqual(claims.aud, ['https://weather.example']);
    assert.equal(claims.scope, 'weather:read');
    assert.equal(claims.client_id, app.id);
    assert.equal((claims.exp as number) - (claims.iat as number), 900);
    assert.equal(claims.env, undefined, 'env/org only when the PingOne API is an audience');
  });

  test('such a token does not open the management API', async () => {
    const access = expectStatus(await token('weather:read'), 200).body.access_token as string;
    expectStatus(await h.inject('GET', `/v1/environments/${env}/resources`, { token: access }), 401);
  });

  test('an ungranted scope → invalid_scope', async () => {
    const res = expectStatus(await token('news:read'), 400);
    assert.equal(res.body.error, 'invalid_scope');
    assert.equal(expectStatus(await token('weather:write'), 400).body.error, 'invalid_scope');
  });

  test('grant, scope and resource changes reach the next token request', async () => {
    expectStatus(await h.inject('PUT', grantUrl, { body: grantBody(weather.id, weather.read, weather.write) }), 200);
    assert.equal(expectStatus(await token('weather:write'), 200).body.scope, 'weather:write');

    const scopeUrl = `/v1/environments/${env}/resources/${weather.id}/scopes/${weather.write}`;
    expectStatus(await h.inject('PUT', scopeUrl, { body: { name: 'weather:edit' } }), 200);
    assert.equal(expectStatus(await token('weather:edit'), 200).body.scope, 'weather:edit');
    expectStatus(await h.inject('PUT', scopeUrl, { body: { name: 'weather:write' } }), 200);

    const resourceUrl = `/v1/environments/${env}/resources/${weather.id}`;
    expectStatus(await h.inject('PUT', resourceUrl, { body: { name: 'weather', audience: 'https://weather.example/v2', accessTokenValiditySeconds: 1200 } }), 200);
    const claims = jwtPayload(expectStatus(await token('weather:read'), 200).body.access_token as string);
    assert.deepEqual(claims.aud, ['https://weather.example/v2']);
    assert.equal((claims.exp as number) - (claims.iat as number), 1200);

    expectStatus(await h.inject('DELETE', grantUrl), 204);
    assert.equal(expectStatus(await token('weather:read'), 400).body.error, 'invalid_scope');
  });
});
