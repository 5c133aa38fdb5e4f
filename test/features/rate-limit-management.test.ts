/**
 * Failed management API tokens are rate limited per source address (docs/decisions.md, "Failed
 * authentications are rate limited"): past the budget the address gets PingOne's 429
 * `REQUEST_LIMITED` with a `LIMIT_EXCEEDED` detail and `Retry-After` (docs/pingone-reference.md
 * §3.2). The app runs on a test clock with a budget of 5 failures per minute.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { createApp, createEnvironment, expectSchema, expectStatus, startInProcess, type InProcess, type Reply } from '../support/harness.js';

const LIMIT = 5;

let h: InProcess;
let clockMs = Date.now();
const now = (): Date => new Date(clockMs);

before(async () => {
  h = await startInProcess({ now, env: { KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH: String(LIMIT) } });
});
after(() => h.close());

/** `GET path` from the peer address `from`, with `authorization` as given (none when undefined). */
async function get(path: string, from: string, authorization?: string): Promise<Reply> {
  const res = await h.app.server.inject({ method: 'GET', url: path, remoteAddress: from, headers: authorization === undefined ? {} : { authorization } });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

const randomBearer = (): string => `Bearer ${randomBytes(24).toString('base64url')}.${randomBytes(48).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
const admin = (): string => `Bearer ${h.token}`;

async function spendBudget(from: string): Promise<void> {
  for (let i = 0; i < LIMIT; i++) {
    const res = expectStatus(await get('/v1/environments', from, randomBearer()), 401);
    assert.equal(res.body.code, 'ACCESS_FAILED');
  }
}

function expectLimited(reply: Reply, retryAfter: number): void {
  expectStatus(reply, 429);
  expectSchema('P1Error', reply.body);
  assert.equal(reply.headers['retry-after'], String(retryAfter));
  assert.equal(reply.headers['cache-control'], 'no-store');
  assert.match(reply.body.id, /^[0-9a-f-]{36}$/);
  assert.equal(reply.body.code, 'REQUEST_LIMITED');
  assert.equal(typeof reply.body.message, 'string');
  assert.equal(reply.body.details.length, 1);
  const [detail] = reply.body.details;
  assert.equal(detail.code, 'LIMIT_EXCEEDED');
  assert.equal(typeof detail.message, 'string');
  // PingOne's TooManyRequestsError: innerError.retryAfter is a date-time, quotaLimit a number.
  assert.deepEqual(detail.innerError, { retryAfter: new Date(clockMs + retryAfter * 1000).toISOString(), quotaLimit: LIMIT });
}

describe('failed management API tokens are limited per source address', () => {
  test('random Bearer tokens: after the budget the address gets 429 REQUEST_LIMITED with Retry-After, even with a valid token; other addresses go on', async () => {
    const from = '198.51.100.1';
    await spendBudget(from);
    expectLimited(await get('/v1/environments', from, randomBearer()), 60);
    expectLimited(await get('/v1/environments', from, admin()), 60);
    expectLimited(await get('/v1/no-such-path', from), 60);
    expectStatus(await get('/v1/environments', '198.51.100.2', admin()), 200);
    clockMs += 45_000;
    expectLimited(await get('/v1/environments', from, randomBearer()), 15);
  });

  test('the window ends: the address is served again and its count starts afresh', async () => {
    const from = '198.51.100.3';
    await spendBudget(from);
    expectLimited(await get('/v1/environments', from, admin()), 60);
    clockMs += 60_000;
    expectStatus(await get('/v1/environments', from, admin()), 200);
    await spendBudget(from);
    expectLimited(await get('/v1/environments', from, admin()), 60);
  });

  test('requests without a token count as failures; IPv6 sources count by /64', async () => {
    for (let i = 0; i < LIMIT; i++) expectStatus(await get('/v1/environments', '2001:db8:9:1::1'), 401);
    expectLimited(await get('/v1/environments', '2001:db8:9:1::2', admin()), 60);
    expectStatus(await get('/v1/environments', '2001:db8:9:2::1', admin()), 200);
  });

  test('valid tokens cost no budget, and neither do refusals for lack of permission (403)', async () => {
    const from = '198.51.100.4';
    for (let i = 0; i < LIMIT * 3; i++) expectStatus(await get('/v1/environments', from, admin()), 200);
    const envId = await createEnvironment(h, 'Rate limit 403');
    const app = await createApp(h, envId, 'not-admin');
    const roles = expectStatus(await get('/v1/roles', from, admin()), 200).body._embedded.roles as Array<{ id: string; name: string }>;
    const environmentAdmin = roles.find((role) => role.name === 'Environment Admin')!;
    // The admin holds Environment Admin on its own environment only, so it may not give it on this one.
    for (let i = 0; i < LIMIT * 2; i++) {
      const res = await h.app.server.inject({
        method: 'POST',
        url: `/v1/environments/${envId}/applications/${app.id}/roleAssignments`,
        remoteAddress: from,
        headers: { authorization: admin() },
        payload: { role: { id: environmentAdmin.id }, scope: { type: 'ENVIRONMENT', id: envId } },
      });
      assert.equal(res.statusCode, 403, res.body);
    }
    expectStatus(await get('/v1/environments', from, admin()), 200);
  });
});
