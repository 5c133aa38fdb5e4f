/**
 * The management API's 401s, in-process: PingOne's `ACCESS_FAILED` body with the RFC 6750 §3
 * challenge. A request without a Bearer token gets a bare `Bearer` challenge (§3.1: no error code
 * when the request lacked authentication); a token that was presented and refused gets
 * `error="invalid_token"` with a fixed description that says nothing about the token (§3.1;
 * RFC 6749 §5.2 characters).
 */
import { before, after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createClient, createCustomScope, expectStatus, jwtPayload, startInProcess, type InProcess, type Reply } from '../support/harness.js';

let h: InProcess;
let clock = Date.now();
before(async () => {
  h = await startInProcess({ now: () => new Date(clock) });
});
after(() => h.close());

const INVALID_TOKEN = /^Bearer error="invalid_token"(, error_description="[\x20\x21\x23-\x5B\x5D-\x7E]*")?$/;

function expectAccessFailed(res: Reply): void {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.equal(res.body.code, 'ACCESS_FAILED');
  assert.equal(typeof res.body.id, 'string');
  assert.equal(typeof res.body.message, 'string');
  assert.equal(res.body.details?.[0]?.code, 'INVALID_TOKEN');
}

const get = (headers: Record<string, string>): Promise<Reply> => h.inject('GET', '/v1/environments', { token: null, headers });

describe('management API 401s (RFC 6750 §3.1)', () => {
  test('no Authorization header: a bare Bearer challenge, no error code', async () => {
    const res = await get({});
    expectAccessFailed(res);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  test('another scheme than Bearer counts as no authentication: a bare challenge', async () => {
    const res = await get({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    expectAccessFailed(res);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  test('a malformed token: invalid_token', async () => {
    for (const authorization of ['Bearer not a token', 'Bearer not-a-jwt', 'bearer a.b.c', 'Bearer']) {
      const res = await get({ authorization });
      expectAccessFailed(res);
      assert.match(String(res.headers['www-authenticate']), INVALID_TOKEN, authorization);
    }
  });

  test('a token whose signature does not verify: invalid_token', async () => {
    const [header, payload, signature] = h.token.split('.') as [string, string, string];
    const other = Buffer.from(JSON.stringify({ ...jwtPayload(h.token), scope: 'more' })).toString('base64url');
    for (const token of [`${header}.${other}.${signature}`, `${header}.${payload}.`]) {
      const res = await get({ authorization: `Bearer ${token}` });
      expectAccessFailed(res);
      assert.match(String(res.headers['www-authenticate']), INVALID_TOKEN);
    }
  });

  test('a token issued for another audience (a custom resource): invalid_token', async () => {
    const grant = await createCustomScope(h, h.adminEnvId, 'elsewhere', 'https://elsewhere.example', 'elsewhere:read');
    const appId = await createClient(h, h.adminEnvId, {}, grant);
    const secret = expectStatus(await h.inject('GET', `/v1/environments/${h.adminEnvId}/applications/${appId}/secret`), 200).body.secret as string;
    const issued = expectStatus(await h.clientCredentials(h.adminEnvId, appId, secret, grant.scope), 200).body.access_token as string;
    assert.deepEqual(jwtPayload(issued).aud, [grant.audience]);
    const res = await get({ authorization: `Bearer ${issued}` });
    expectAccessFailed(res);
    assert.match(String(res.headers['www-authenticate']), INVALID_TOKEN);
  });

  test('an expired token: invalid_token, with the same description as any other refusal', async () => {
    const expiry = jwtPayload(h.token).exp as number;
    const before = clock;
    clock = (expiry + 1) * 1000;
    try {
      const expired = await get({ authorization: `Bearer ${h.token}` });
      expectAccessFailed(expired);
      assert.match(String(expired.headers['www-authenticate']), INVALID_TOKEN);
      const malformed = await get({ authorization: 'Bearer not-a-jwt' });
      assert.equal(expired.headers['www-authenticate'], malformed.headers['www-authenticate'], 'the challenge does not say why');
    } finally {
      clock = before;
    }
    expectStatus(await h.inject('GET', '/v1/environments'), 200);
  });
});
