/**
 * Users through the management API (docs/pingone-reference.md §5.3, OpenAPI `User`): create,
 * read, list with cursor paging and `filter`, replace (PUT), merge (PATCH), delete; validation
 * with PingOne's detail codes; access by role and by environment. Passwords and lockout:
 * management-users-password.test.ts.
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
  type Reply,
} from '../support/harness.js';

let h: InProcess;
let env: string;
let base: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'users-env');
  base = `/v1/environments/${env}/users`;
});
after(() => h.close());

const create = (body: unknown) => h.inject('POST', base, { body });
const get = async (id: string) => expectStatus(await h.inject('GET', `${base}/${id}`), 200).body as Record<string, any>;
const count = async () => expectStatus(await h.inject('GET', `${base}?limit=1`), 200).body.count as number;

/** The harness has no PATCH; Fastify's inject does. */
async function patch(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await h.app.server.inject({ method: 'PATCH', url, headers: { authorization: `Bearer ${h.token}`, ...headers }, payload: body as object });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

const FULL = {
  username: 'ada.lovelace',
  email: 'ada@example.com',
  name: { given: 'Ada', family: 'Lovelace', middle: 'Augusta', formatted: 'Ada Lovelace', honorificPrefix: 'Lady', honorificSuffix: 'FRS' },
  externalId: 'ext-1815',
  mobilePhone: '+44 20 7946 0000',
  locale: 'en-GB',
  nickname: 'Ada',
  title: 'Analyst',
  preferredLanguage: 'en-GB, en;q=0.8',
  timezone: 'Europe/London',
};

describe('users: create, read, list', () => {
  test('POST with username and email creates an enabled user in the default population', async () => {
    const res = expectStatus(await create({ username: 'grace', email: 'grace@example.com' }), 201);
    expectSchema('User', res.body);
    assert.equal(res.headers.etag, '"1"');
    const pops = expectStatus(await h.inject('GET', `/v1/environments/${env}/populations`), 200).body._embedded.populations;
    const defaultPop = pops.find((p: { default: boolean }) => p.default);
    assert.deepEqual(res.body.population, { id: defaultPop.id });
    assert.equal(res.body.enabled, true);
    assert.deepEqual(res.body.lifecycle, { status: 'ACCOUNT_OK' });
    assert.deepEqual(res.body.account, { canAuthenticate: true, status: 'OK' });
    assert.deepEqual(res.body.environment, { id: env });
    const self = `${h.publicUrl}${base}/${res.body.id}`;
    assert.deepEqual(res.body._links, {
      self: { href: self },
      environment: { href: `${h.publicUrl}/v1/environments/${env}` },
      population: { href: `${h.publicUrl}/v1/environments/${env}/populations/${defaultPop.id}` },
      password: { href: `${self}/password` },
    });
    assert.deepEqual(await get(res.body.id), res.body);
  });

  test('POST with every attribute echoes them; population, enabled and lifecycle are taken on create', async () => {
    const pop = expectStatus(await h.inject('POST', `/v1/environments/${env}/populations`, { body: { name: 'Analysts' } }), 201).body.id;
    const body = { ...FULL, population: { id: pop }, enabled: false, lifecycle: { status: 'VERIFICATION_REQUIRED' } };
    const res = expectStatus(await create(body), 201);
    expectSchema('User', res.body);
    for (const [key, value] of Object.entries(FULL)) assert.deepEqual(res.body[key], value, key);
    assert.deepEqual(res.body.population, { id: pop });
    assert.equal(res.body.enabled, false);
    assert.deepEqual(res.body.account, { canAuthenticate: false, status: 'OK' });
    assert.deepEqual(res.body.lifecycle, { status: 'VERIFICATION_REQUIRED' });
  });

  test('GET lists users with cursor paging; each is a valid User', async () => {
    for (const n of [1, 2, 3]) expectStatus(await create({ username: `pager-${n}`, email: `p${n}@example.com` }), 201);
    const total = await count();
    const seen: string[] = [];
    let url: string | undefined = `${base}?limit=2`;
    while (url) {
      const page: Reply = expectStatus(await h.inject('GET', url), 200);
      assert.equal(page.body.count, total);
      for (const u of page.body._embedded.users) expectSchema('User', u);
      seen.push(...page.body._embedded.users.map((u: { id: string }) => u.id));
      const next: string | undefined = page.body._links.next?.href;
      url = next === undefined ? undefined : next.slice(h.publicUrl.length);
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    expectDetail(await h.inject('GET', `${base}?limit=1001`), 'INVALID_PARAMETER', 'limit');
  });

  test('filter: username eq (any case) and email eq; the next link keeps the filter', async () => {
    const byName = expectStatus(await h.inject('GET', `${base}?filter=${encodeURIComponent('username eq "ADA.LOVELACE"')}`), 200);
    assert.deepEqual(byName.body._embedded.users.map((u: { username: string }) => u.username), ['ada.lovelace']);
    const byEmail = expectStatus(await h.inject('GET', `${base}?filter=${encodeURIComponent('email eq "grace@example.com"')}`), 200);
    assert.equal(byEmail.body.count, 1);
    assert.equal(byEmail.body._embedded.users[0].username, 'grace');
    const none = expectStatus(await h.inject('GET', `${base}?filter=${encodeURIComponent('username eq "nobody"')}`), 200);
    assert.deepEqual([none.body.count, none.body._embedded.users], [0, []]);
    const paged = expectStatus(await h.inject('GET', `${base}?limit=1&filter=${encodeURIComponent('email eq "p1@example.com"')}`), 200);
    assert.equal(new URL(paged.body._links.self.href).searchParams.get('filter'), 'email eq "p1@example.com"');
  });

  // RFC 7644 §3.4.2.2 grammar, limited to what PingOne filters users on: malformed text, an
  // attribute or an operator the collection does not support.
  const refused = ['username co "a"', 'name.given co "Ada"', 'username eq ada', 'username eq "a" and (email eq "b"', 'not (username eq "a")', 'enabled eq "yes"', ''];
  for (const filter of refused) {
    test(`filter ${JSON.stringify(filter)} is refused with INVALID_FILTER`, async () => {
      expectDetail(await h.inject('GET', `${base}?filter=${encodeURIComponent(filter)}`), 'INVALID_FILTER', 'filter');
    });
  }
});

describe('users: replace and merge', () => {
  test('PUT replaces: omitted attributes are removed, population kept, enabled read-only; stale If-Match is a 412', async () => {
    const created = expectStatus(await create({ ...FULL, username: 'replace-me', email: 'r@example.com' }), 201).body;
    const url = `${base}/${created.id}`;
    const res = expectStatus(await h.inject('PUT', url, { body: { username: 'replaced', email: 'r2@example.com', enabled: false } }), 200);
    expectSchema('User', res.body);
    assert.equal(res.headers.etag, '"2"');
    assert.equal(res.body.username, 'replaced');
    assert.deepEqual(res.body.population, created.population);
    assert.equal(res.body.enabled, true, 'enabled is read-only on PUT');
    for (const key of Object.keys(FULL).filter((k) => k !== 'username' && k !== 'email')) assert.equal(res.body[key], undefined, key);
    assert.equal(res.body.createdAt, created.createdAt);
    expectStatus(await h.inject('PUT', url, { body: { username: 'stale', email: 's@example.com' }, headers: { 'if-match': '"1"' } }), 412);
    assert.equal((await get(created.id)).username, 'replaced');
  });

  test('PATCH merges top-level fields; null removes one', async () => {
    const created = expectStatus(await create({ ...FULL, username: 'patch-me', email: 'pm@example.com' }), 201).body;
    const url = `${base}/${created.id}`;
    const res = expectStatus(await patch(url, { nickname: 'Countess', title: null, name: { given: 'Augusta' } }), 200);
    expectSchema('User', res.body);
    assert.equal(res.headers.etag, '"2"');
    assert.equal(res.body.nickname, 'Countess');
    assert.equal(res.body.title, undefined);
    assert.deepEqual(res.body.name, { given: 'Augusta' }, 'a top-level object is replaced whole');
    assert.equal(res.body.locale, FULL.locale);
    assert.equal(res.body.username, 'patch-me');
    expectStatus(await patch(url, { nickname: 'x' }, { 'if-match': '"1"' }), 412);
  });

  test('DELETE answers 204, then the user is gone; a stale If-Match is a 412', async () => {
    const created = expectStatus(await create({ username: 'doomed', email: 'd@example.com' }), 201).body;
    expectStatus(await h.inject('DELETE', `${base}/${created.id}`, { headers: { 'if-match': '"7"' } }), 412);
    expectStatus(await h.inject('DELETE', `${base}/${created.id}`), 204);
    expectStatus(await h.inject('GET', `${base}/${created.id}`), 404);
  });
});

describe('users: validation (each refused request changes nothing)', () => {
  const ok = { username: 'valid.user', email: 'valid@example.com' };
  const refused: Array<[string, Record<string, unknown>, string, string]> = [
    ['no username', { email: 'x@example.com' }, 'REQUIRED_VALUE', 'username'],
    ['no email', { username: 'no-email' }, 'REQUIRED_VALUE', 'email'],
    ['a username over 128 characters', { ...ok, username: 'u'.repeat(129) }, 'INVALID_VALUE', 'username'],
    ['a username with a control character', { ...ok, username: 'tab\there' }, 'INVALID_VALUE', 'username'],
    ['a username holding U+0000', { ...ok, username: 'nul\u0000' }, 'INVALID_VALUE', 'username'],
    ['a username that is not a string', { ...ok, username: 42 }, 'INVALID_VALUE', 'username'],
    ['an email without a domain', { ...ok, email: 'nobody@' }, 'INVALID_VALUE', 'email'],
    ['an email with spaces', { ...ok, email: 'a b@example.com' }, 'INVALID_VALUE', 'email'],
    ['an unknown population', { ...ok, population: { id: '00000000-0000-4000-8000-000000000000' } }, 'INVALID_VALUE', 'population.id'],
    ['a population id that is not a UUID', { ...ok, population: { id: 'default' } }, 'INVALID_VALUE', 'population.id'],
    ['a name that is not an object', { ...ok, name: 'Ada' }, 'INVALID_VALUE', 'name'],
    ['a family name with symbols', { ...ok, name: { family: 'L0velace!' } }, 'INVALID_VALUE', 'name.family'],
    ['an empty given name', { ...ok, name: { given: '' } }, 'INVALID_VALUE', 'name.given'],
    ['a timezone that is not Area/Location', { ...ok, timezone: 'Mars' }, 'INVALID_VALUE', 'timezone'],
    ['a mobile phone without digits', { ...ok, mobilePhone: 'call me' }, 'INVALID_VALUE', 'mobilePhone'],
    ['a mobile phone over 32 characters', { ...ok, mobilePhone: '1'.repeat(33) }, 'INVALID_VALUE', 'mobilePhone'],
    ['an externalId over 1024 characters', { ...ok, externalId: 'e'.repeat(1025) }, 'INVALID_VALUE', 'externalId'],
    ['a non-boolean enabled', { ...ok, enabled: 'yes' }, 'INVALID_VALUE', 'enabled'],
    ['an unknown lifecycle status', { ...ok, lifecycle: { status: 'ACTIVE' } }, 'INVALID_VALUE', 'lifecycle.status'],
    ['a username taken in another case', { ...ok, username: 'GRACE' }, 'UNIQUENESS_VIOLATION', 'username'],
  ];
  for (const [what, body, code, target] of refused) {
    test(`POST with ${what}: ${code} on ${target}`, async () => {
      const before = await count();
      expectDetail(await create(body), code, target);
      assert.equal(await count(), before);
    });
  }

  test('a population of another environment is not found in this one', async () => {
    const other = await createEnvironment(h, 'users-other-pop');
    const pop = expectStatus(await h.inject('GET', `/v1/environments/${other}/populations`), 200).body._embedded.populations[0].id;
    expectDetail(await create({ ...ok, population: { id: pop } }), 'INVALID_VALUE', 'population.id');
  });

  test('PUT and PATCH refuse a password, a taken username or a bad field, and change nothing', async () => {
    const created = expectStatus(await create({ username: 'steady', email: 'steady@example.com', nickname: 'Steady' }), 201).body;
    const url = `${base}/${created.id}`;
    expectDetail(await h.inject('PUT', url, { body: { ...ok, password: { value: 'N3w-password' } } }), 'INVALID_VALUE', 'password');
    expectDetail(await h.inject('PUT', url, { body: { username: 'Grace', email: 'x@example.com' } }), 'UNIQUENESS_VIOLATION', 'username');
    expectDetail(await patch(url, { username: 'GRACE' }), 'UNIQUENESS_VIOLATION', 'username');
    expectDetail(await patch(url, { email: null }), 'REQUIRED_VALUE', 'email');
    expectDetail(await patch(url, { locale: 'x'.repeat(257) }), 'INVALID_VALUE', 'locale');
    assert.deepEqual(await get(created.id), created);
  });
});

describe('users: access', () => {
  test('ids of another environment, unknown and malformed ids are 404', async () => {
    const other = await createEnvironment(h, 'users-other');
    const foreign = expectStatus(await h.inject('POST', `/v1/environments/${other}/users`, { body: { username: 'foreign', email: 'f@example.com' } }), 201);
    const url = `${base}/${foreign.body.id}`;
    expectStatus(await h.inject('GET', url), 404);
    expectStatus(await h.inject('PUT', url, { body: { username: 'hijacked', email: 'h@example.com' } }), 404);
    expectStatus(await patch(url, { nickname: 'hijacked' }), 404);
    expectStatus(await h.inject('DELETE', url), 404);
    expectStatus(await h.inject('GET', `${url}/password`), 404);
    expectStatus(await h.inject('GET', `${base}/not-a-uuid`), 404);
    expectStatus(await h.inject('GET', '/v1/environments/00000000-0000-4000-8000-000000000000/users'), 404);
    assert.equal(expectStatus(await h.inject('GET', `/v1/environments/${other}/users/${foreign.body.id}`), 200).body.username, 'foreign');
  });

  test('a worker without Identity Data Admin gets 403 for every user operation', async () => {
    const worker = await createApp(h, env, 'users-developer');
    expectStatus(await assignRole(h, env, worker.id, ROLES.clientApplicationDeveloper.id, { type: 'ENVIRONMENT', id: env }), 201);
    const token = await tokenFor(h, env, worker);
    const someone = expectStatus(await create({ username: 'someone', email: 'someone@example.com' }), 201).body.id;
    expectForbidden(await h.inject('GET', base, { token }));
    expectForbidden(await h.inject('POST', base, { token, body: { username: 'x', email: 'x@example.com' } }));
    expectForbidden(await h.inject('GET', `${base}/${someone}`, { token }));
    expectForbidden(await h.inject('DELETE', `${base}/${someone}`, { token }));
    expectForbidden(await h.inject('GET', `${base}/${someone}/password`, { token }));
    expectStatus(await h.inject('GET', `${base}/${someone}`), 200);
  });
});
