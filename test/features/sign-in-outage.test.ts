/**
 * A database that does not answer (the store throws StoreUnavailable), seen by the sign-in
 * endpoints: the flow API answers exactly as `/v1` does, 503 `SERVICE_UNAVAILABLE` in PingOne's
 * shape with `Retry-After`; the hosted sign-on page answers 503 with `Retry-After` as its HTML
 * error view, and `/as/authorize`, `/as/resume` and `/as/signoff` 503 `temporarily_unavailable`
 * with `Retry-After`. Nothing is a 500 or a refusal, and the answers are back to normal once the
 * store answers.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { StoreUnavailable } from '../../src/store/types.js';
import { startInProcess, type InProcess } from '../support/harness.js';

const CHECK = 'application/vnd.pingidentity.usernamePassword.check+json';
const FORM = 'application/x-www-form-urlencoded';
/** Well formed (43 base64url characters), so the lookup reaches the store. */
const FLOW_ID = 'Abc-_0123456789abcdefghijklmnopqrstuvwxyzAB';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let h: InProcess;
let env: string;

before(async () => {
  h = await startInProcess();
  env = h.adminEnvId;
});
after(() => h?.close());

interface Raw {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

async function send(method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: string): Promise<Raw> {
  const res = await h.app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

const getFlow = (): Promise<Raw> => send('GET', `/${env}/flows/${FLOW_ID}`);
const checkPassword = (): Promise<Raw> =>
  send('POST', `/${env}/flows/${FLOW_ID}`, { 'content-type': CHECK }, JSON.stringify({ username: 'alice', password: 'secret' }));
const managementCall = (): Promise<Raw> => send('GET', `/v1/environments/${env}/applications`, { authorization: `Bearer ${h.token}` });

/** Every method of the store rejects with StoreUnavailable while `run` runs. */
async function whileStoreIsDown<T>(run: () => Promise<T>): Promise<T> {
  const store = h.app.store as unknown as Record<string, unknown>;
  const names = new Set(Object.keys(store).filter((name) => typeof store[name] === 'function'));
  for (let proto = Object.getPrototypeOf(store); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor' && typeof store[name] === 'function') names.add(name);
  }
  const own = new Map([...names].filter((name) => Object.hasOwn(store, name)).map((name) => [name, store[name]]));
  for (const name of names) store[name] = () => Promise.reject(new StoreUnavailable('database unreachable'));
  try {
    return await run();
  } finally {
    for (const name of names) {
      if (own.has(name)) store[name] = own.get(name);
      else delete store[name];
    }
  }
}

/** PingOne's error body, with its fresh `id` checked and left out for comparison. */
function pingOneBody(reply: Raw): Record<string, unknown> {
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  const { id, ...rest } = JSON.parse(reply.body) as Record<string, unknown>;
  assert.match(String(id), UUID);
  return rest;
}

describe('the flow API when the database does not answer', () => {
  test('before the outage an unknown flow is a 404 (the environment is known and cached)', async () => {
    assert.equal((await getFlow()).status, 404);
  });

  test('GET and POST /{envId}/flows/{flowId}: 503 SERVICE_UNAVAILABLE with Retry-After, exactly as /v1 answers', async () => {
    const [management, get, post] = await whileStoreIsDown(async () => [await managementCall(), await getFlow(), await checkPassword()]);
    assert.equal(management.status, 503, management.body);
    const expected = pingOneBody(management);
    assert.deepEqual(expected, { code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable. Retry later.' });
    for (const [what, reply] of [['GET', get], ['POST', post]] as const) {
      assert.equal(reply.status, 503, `${what}: ${reply.status} ${reply.body}`);
      assert.deepEqual(pingOneBody(reply), expected, what);
      assert.deepEqual(Object.keys(JSON.parse(reply.body)), ['id', 'code', 'message'], `${what}: no details, nothing else`);
      assert.equal(reply.headers['retry-after'], management.headers['retry-after'], what);
      assert.equal(reply.headers['retry-after'], '5', what);
      assert.equal(reply.headers['cache-control'], 'no-store', what);
      assert.ok(!reply.body.includes('unreachable'), `${what}: no internals in the answer`);
    }
  });

  test('the hosted sign-on page: 503 with Retry-After, as its HTML error view', async () => {
    const page = `/${env}/signon/?flowId=${FLOW_ID}`;
    const [get, post] = await whileStoreIsDown(async () => [
      await send('GET', page, { accept: 'text/html' }),
      await send('POST', page, { accept: 'text/html', 'content-type': FORM }, 'username=alice&password=secret&csrf_token=x'),
    ]);
    for (const [what, reply] of [['GET', get], ['POST', post]] as const) {
      assert.equal(reply.status, 503, `${what}: ${reply.status} ${reply.body}`);
      assert.equal(reply.headers['retry-after'], '5', what);
      assert.match(String(reply.headers['content-type']), /^text\/html/, what);
      assert.match(String(reply.headers['content-security-policy']), /default-src 'none'/, what);
      assert.equal(reply.headers['cache-control'], 'no-store', what);
      assert.match(reply.body, /<h1>Sign-in cannot continue<\/h1>/, what);
      assert.match(reply.body, /<code>temporarily_unavailable<\/code>/, what);
      assert.ok(!reply.body.includes('unreachable'), `${what}: no internals in the answer`);
    }
  });

  test('once the database answers again, so do the flow API and the page', async () => {
    const get = await getFlow();
    assert.equal(get.status, 404);
    assert.equal(pingOneBody(get).code, 'NOT_FOUND');
    assert.equal((await checkPassword()).status, 404);
    assert.equal((await send('GET', `/${env}/signon/?flowId=${FLOW_ID}`)).status, 404);
  });
});

describe('the other sign-in endpoints when the database does not answer', () => {
  test('/as/authorize, /as/resume and /as/signoff: 503 temporarily_unavailable with Retry-After', async () => {
    const authorize = `/${env}/as/authorize?${new URLSearchParams({
      client_id: '0b1f5a3e-7c2d-4e8f-9a6b-1c2d3e4f5a6b', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid', response_mode: 'pi.flow',
    })}`;
    const replies = await whileStoreIsDown(async () => [
      ['authorize', await send('GET', authorize)],
      ['resume', await send('GET', `/${env}/as/resume?flowId=${FLOW_ID}`, { accept: 'application/json' })],
      ['signoff', await send('GET', `/${env}/as/signoff`, { cookie: `ST=${FLOW_ID}` })],
    ] as const);
    for (const [what, reply] of replies) {
      assert.equal(reply.status, 503, `${what}: ${reply.status} ${reply.body}`);
      assert.equal(reply.headers['retry-after'], '5', what);
      assert.match(reply.body, /temporarily_unavailable/, what);
    }
  });
});
