/**
 * Where client authentication asks the failure limits and what it counts (docs/decisions.md,
 * "Failed authentications are rate limited"): a limited source or client is refused with 429
 * (RFC 6585 §4) before anything is read, verified or consumed; `invalid_client` failures count,
 * against the client they name when they name one.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { DEFAULT_CLIENT_ASSERTION_POLICY } from '../../../src/domain/client-auth/assertion-policy.js';
import { authenticateClient } from '../../../src/protocol/client-auth/authenticate.js';
import type { ClientAuthAttempts, ClientAuthLimitReached, ClientProfile } from '../../../src/protocol/client-auth/ports.js';
import { ClientAuthLimited, InvalidClient, InvalidRequest } from '../../../src/protocol/errors.js';
import { toParams } from '../../../src/protocol/params.js';
import {
  AT_TOKEN,
  ENV,
  FakeDirectory,
  FakeEventSink,
  FakeKeySource,
  FakeReplayStore,
  NOW,
  SECRET,
  assertionParams,
  claims,
  p256,
  rsa,
  rsa2,
  signed,
  standardClients,
} from './client-auth-fixtures.js';

/** Attempts whose waits the test sets, recording every failure counted. */
class FakeAttempts implements ClientAuthAttempts {
  readonly waits = new Map<string | undefined, number>();
  readonly failures: Array<string | undefined> = [];
  reached: ClientAuthLimitReached | undefined;
  waitSeconds(clientId?: string): number {
    return this.waits.get(clientId) ?? 0;
  }
  failed(clientId: string | undefined): ClientAuthLimitReached | undefined {
    this.failures.push(clientId);
    return this.reached;
  }
}

class CountingDirectory extends FakeDirectory {
  finds = 0;
  override find(environmentId: string, clientId: string): Promise<ClientProfile | undefined> {
    this.finds++;
    return super.find(environmentId, clientId);
  }
}

function setup() {
  const directory = new CountingDirectory();
  const keys = new FakeKeySource();
  const replay = new FakeReplayStore();
  const events = new FakeEventSink();
  const attempts = new FakeAttempts();
  standardClients(directory, keys);
  const run = (params: Record<string, string>, authorization?: string) =>
    authenticateClient(
      { environmentId: ENV, authorization, params: toParams(Object.entries(params)), now: NOW, endpoint: AT_TOKEN, settings: DEFAULT_CLIENT_ASSERTION_POLICY, attempts },
      { directory, keys, replay, events },
    );
  return { directory, keys, replay, events, attempts, run };
}

const pkjAssertion = async (clientId = 'pkj') => assertionParams(await signed(claims(clientId), { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey));

describe('client authentication asks the failure limits first', () => {
  test('a source that must wait is refused with its Retry-After before the directory, keys or jti store are touched', async () => {
    const s = setup();
    s.attempts.waits.set(undefined, 7);
    await assert.rejects(s.run(await pkjAssertion()), (err: unknown) => err instanceof ClientAuthLimited && err.status === 429 && err.retryAfterSeconds === 7 && err.error === 'temporarily_unavailable');
    assert.equal(s.directory.finds, 0);
    assert.deepEqual(s.keys.calls, []);
    assert.equal(s.replay.attempts, 0);
    assert.deepEqual(s.events.events, []);
    assert.deepEqual(s.attempts.failures, [], 'a refused request is not itself a failure');
  });

  test('a client that must wait from this source is refused once the request names it, before its profile is read; other clients go on', async () => {
    const s = setup();
    s.attempts.waits.set('pkj', 30);
    await assert.rejects(s.run(await pkjAssertion()), (err: unknown) => err instanceof ClientAuthLimited && err.retryAfterSeconds === 30);
    assert.equal(s.directory.finds, 0);
    assert.equal(s.replay.attempts, 0, 'the jti is not recorded (RFC 7523 §3): the same assertion may be sent again later');
    const other = await s.run(assertionParams(await signed(claims('pkj-p256'), { alg: 'ES256', kid: 'p256' }, p256.privateKey)));
    assert.equal(other.profile.client.id, 'pkj-p256');
    assert.deepEqual(s.attempts.failures, []);
  });
});

describe('what counts as a failure', () => {
  test('invalid_client counts against the client the request names, or the source alone when it names none', async () => {
    const s = setup();
    await assert.rejects(s.run(assertionParams(await signed(claims('pkj'), { alg: 'RS256', kid: 'rsa-1' }, rsa2.privateKey))), InvalidClient);
    await assert.rejects(s.run({ client_id: 'unknown-client', client_secret: 'x' }), InvalidClient);
    await assert.rejects(s.run({}), InvalidClient);
    await assert.rejects(s.run(assertionParams('not.a.jws')), InvalidClient);
    assert.deepEqual(s.attempts.failures, ['pkj', 'unknown-client', undefined, undefined]);
  });

  test('successes, malformed requests (invalid_request) and unreachable jwksUrl sets count nothing', async () => {
    const s = setup();
    await s.run({ client_id: 'post', client_secret: SECRET });
    await s.run(await pkjAssertion());
    await assert.rejects(s.run({ client_id: 'post', client_secret: SECRET }, 'Basic eDp5'), InvalidRequest);
    s.keys.failWith = new InvalidClient('JWKS_FETCH_FAILED', 'the jwksUrl did not answer');
    await assert.rejects(s.run(await pkjAssertion()), (err: unknown) => err instanceof InvalidClient && err.reason === 'JWKS_FETCH_FAILED');
    assert.deepEqual(s.attempts.failures, []);
  });

  test('the failure that spends a known client’s budget is recorded for it once more, as RATE_LIMITED with the source', async () => {
    const s = setup();
    s.attempts.reached = { source: '2001:0db8:0000:0001::/64', limit: 30, windowSeconds: 60 };
    await assert.rejects(s.run({ client_id: 'post', client_secret: 'wrong' }), InvalidClient);
    const reasons = s.events.events.map((e) => e.event.reason);
    assert.deepEqual(reasons, ['SECRET_MISMATCH', 'RATE_LIMITED']);
    const limited = s.events.events[1]!;
    assert.equal(limited.applicationId, 'post');
    assert.equal(limited.event.outcome, 'FAILURE');
    assert.match(limited.event.detail ?? '', /30 failed authentications from 2001:0db8:0000:0001::\/64 within 60 s/);
    // An unknown client has no application to record it for.
    await assert.rejects(s.run({ client_id: 'unknown-client', client_secret: 'x' }), InvalidClient);
    assert.equal(s.events.events.length, 2);
  });
});
