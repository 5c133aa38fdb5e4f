/**
 * End-to-end: the failure limits of a real process with the default configuration
 * (docs/decisions.md, "Failed authentications are rate limited"). 1,000 bad client assertions at
 * the token endpoint and 1,000 random Bearer tokens at the management API, sent quickly from one
 * address, mostly end in 429 with `Retry-After` (RFC 6585 §4), while a working client of the same
 * address goes on.
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertion, call, clientKey } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';

/** The documented defaults (README, "Configuration"): failures per minute per key. */
const DEFAULT_RATE_LIMIT_CLIENT_AUTH = 30;
const DEFAULT_RATE_LIMIT_MANAGEMENT_AUTH = 60;
const REQUESTS = 1_000;
const AT_ONCE = 25;

const dir = mkdtempSync(join(tmpdir(), 'keyway-e2e-rate-limit-'));
let server: RunningServer | undefined;
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends `count` requests made by `send`, `AT_ONCE` at a time; returns the responses. */
async function flood(count: number, send: () => Promise<Response>): Promise<Response[]> {
  const responses: Response[] = [];
  for (let sent = 0; sent < count; sent += AT_ONCE) {
    responses.push(...(await Promise.all(Array.from({ length: Math.min(AT_ONCE, count - sent) }, send))));
  }
  return responses;
}

function tally(responses: Response[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const res of responses) counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
  return counts;
}

describe('failure limits of a real process, default configuration', () => {
  test('1,000 bad assertions and 1,000 random Bearer tokens from one address get 429 with Retry-After', async () => {
    server = await startProcess({ KEYWAY_DATA_DIR: dir });
    const running = server;
    const summary = JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as Record<string, string>;
    const envId = summary.environmentId!;
    const worker = `${summary.clientId}:${summary.clientSecret}`;
    const publicUrl = `http://localhost:${running.port}`;

    // Bad assertions: signed by a key no application registered, as one (unknown) client id.
    const key = await clientKey();
    const victim = randomUUID();
    const assertions = await Promise.all(Array.from({ length: REQUESTS }, () => assertion(publicUrl, envId, victim, key)));
    let next = 0;
    const token = await flood(REQUESTS, () =>
      fetch(`${running.baseUrl}/${envId}/as/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertions[next++]!,
        }).toString(),
      }),
    );
    const tokenCounts = tally(token);
    assert.deepEqual([...tokenCounts.keys()].sort(), [401, 429], JSON.stringify([...tokenCounts]));
    // Requests in flight together may all pass the check before their failures are counted.
    assert.ok(tokenCounts.get(401)! >= DEFAULT_RATE_LIMIT_CLIENT_AUTH && tokenCounts.get(401)! <= DEFAULT_RATE_LIMIT_CLIENT_AUTH + AT_ONCE, JSON.stringify([...tokenCounts]));
    const limited = token.find((res) => res.status === 429)!;
    assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(((await limited.json()) as { error: string }).error, 'temporarily_unavailable');

    // The worker, from the same address, is another client: it still gets its token.
    const issued = await call(running, 'POST', `/${envId}/as/token`, { basic: worker, form: { grant_type: 'client_credentials' } });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));

    const bearer = (): string => `${randomBytes(20).toString('base64url')}.${randomBytes(40).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const management = await flood(REQUESTS, () => fetch(`${running.baseUrl}/v1/environments`, { headers: { authorization: `Bearer ${bearer()}` } }));
    const managementCounts = tally(management);
    assert.deepEqual([...managementCounts.keys()].sort(), [401, 429], JSON.stringify([...managementCounts]));
    assert.ok(managementCounts.get(401)! >= DEFAULT_RATE_LIMIT_MANAGEMENT_AUTH && managementCounts.get(401)! <= DEFAULT_RATE_LIMIT_MANAGEMENT_AUTH + AT_ONCE);
    const refused = management.find((res) => res.status === 429)!;
    assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    const body = (await refused.json()) as { code: string; details: Array<{ code: string }> };
    assert.equal(body.code, 'REQUEST_LIMITED');
    assert.equal(body.details[0]?.code, 'LIMIT_EXCEEDED');
  });
});
