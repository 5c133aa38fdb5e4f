/**
 * KEYWAY_TRUST_PROXY: behind trusted proxies a request's source address is the nearest address in
 * `X-Forwarded-For` that is not one of them, so the failed-authentication limits count each
 * client, not the proxy they share; from any other peer the header is ignored, so a client cannot
 * name its own source. Both limits (management API tokens, client authentication) count the same
 * `request.ip`; this checks it through the management API's, with a budget of 3 failures per
 * minute.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { startInProcess, type InProcess } from '../support/harness.js';

const LIMIT = 3;
const PROXY = '10.0.0.5';

let trusting: InProcess;
let plain: InProcess;

before(async () => {
  const env = { KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH: String(LIMIT) };
  trusting = await startInProcess({ env: { ...env, KEYWAY_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' } });
  plain = await startInProcess({ env });
});
after(async () => {
  await trusting.close();
  await plain.close();
});

/** A failed management call (a random Bearer token) from peer `from`, with `forwarded` as X-Forwarded-For. */
async function fail(h: InProcess, from: string, forwarded?: string): Promise<number> {
  const headers: Record<string, string> = { authorization: `Bearer ${randomBytes(24).toString('base64url')}.e30.${randomBytes(16).toString('base64url')}` };
  if (forwarded !== undefined) headers['x-forwarded-for'] = forwarded;
  return (await h.app.server.inject({ method: 'GET', url: '/v1/environments', remoteAddress: from, headers })).statusCode;
}

async function spend(h: InProcess, from: string, forwarded?: string): Promise<void> {
  for (let i = 0; i < LIMIT; i++) assert.equal(await fail(h, from, forwarded), 401);
}

describe('the source address behind trusted proxies', () => {
  test('each client behind a trusted proxy has its own budget', async () => {
    await spend(trusting, PROXY, '203.0.113.7');
    assert.equal(await fail(trusting, PROXY, '203.0.113.7'), 429, 'that client is limited');
    assert.equal(await fail(trusting, PROXY, '203.0.113.8'), 401, 'another client through the same proxy is not');
  });

  test('through a chain of trusted proxies the source is the first untrusted address from the right', async () => {
    await spend(trusting, PROXY, '198.51.100.1, 203.0.113.20, 192.0.2.1');
    assert.equal(await fail(trusting, PROXY, '203.0.113.20'), 429, 'the same client reached directly through the first proxy');
    assert.equal(await fail(trusting, PROXY, '198.51.100.1, 203.0.113.21, 192.0.2.1'), 401, 'what the client wrote itself (198.51.100.1) is not its source');
  });

  test('a peer that is not a trusted proxy cannot name its source: the header is ignored', async () => {
    await spend(trusting, '198.51.100.50', '203.0.113.30');
    assert.equal(await fail(trusting, '198.51.100.50', '203.0.113.31'), 429, 'counted as the peer, whatever it forwards');
  });

  test('without KEYWAY_TRUST_PROXY every client of one proxy shares its budget', async () => {
    await spend(plain, PROXY, '203.0.113.7');
    assert.equal(await fail(plain, PROXY, '203.0.113.8'), 429);
  });
});
