/**
 * The client_credentials grant signs its access token while the client assertion's jti is
 * recorded (src/protocol/token-endpoint.ts, ClientAuthDeps.prepare): the two waits overlap, and
 * the token is answered only once the jti is recorded. These tests hold the jti's recording
 * open and check what happens meanwhile and after, for each way it can end.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { decodeJwt } from 'jose';
import { DEFAULT_CLIENT_ASSERTION_POLICY } from '../../../src/domain/client-auth/assertion-policy.js';
import type { AssertionReplayStore, ClientProfile } from '../../../src/protocol/client-auth/ports.js';
import { ServerError, TemporarilyUnavailable } from '../../../src/protocol/errors.js';
import { toParams } from '../../../src/protocol/params.js';
import { tokenEndpoint, type TokenEndpointDeps } from '../../../src/protocol/token-endpoint.js';
import type { IssuerKeys } from '../../../src/protocol/tokens/ports.js';
import { API, signingKey } from '../../support/grant-fakes.js';
import {
  AT_TOKEN, ENV, FakeDirectory, FakeEventSink, FakeKeySource, ISSUER, NOW, TOKEN_ENDPOINT, assertionParams, claims, invalidClient, profile, rsa, SECRET, signed, verificationKey,
} from './client-auth-fixtures.js';

/** A jti store whose every recording waits until the test settles it. */
class HeldReplayStore implements AssertionReplayStore {
  readonly recorded = new Set<string>();
  readonly pending: Array<{ key: string; settle: (outcome: boolean | Error) => void }> = [];
  record(environmentId: string, clientId: string, jti: string): Promise<boolean> {
    const key = `${environmentId}/${clientId}/${jti}`;
    return new Promise((resolve, reject) => {
      this.pending.push({
        key,
        settle: (outcome) => {
          if (outcome instanceof Error) return reject(outcome);
          if (outcome && this.recorded.has(key)) return resolve(false);
          if (outcome) this.recorded.add(key);
          resolve(outcome);
        },
      });
    });
  }
}

/** Issuer keys that count how often a signing key was asked for, and can be made to have none. */
function countingIssuerKeys(): IssuerKeys & { asked: number; none: boolean } {
  const keys = {
    asked: 0,
    none: false,
    activeKey: async () => {
      keys.asked += 1;
      return keys.none ? undefined : { kid: 'k1', alg: 'RS256' as const, privateKey: signingKey.privateKey };
    },
    publicKeys: async () => new Map(),
  };
  return keys;
}

function setup() {
  const directory = new FakeDirectory();
  const clientKeys = new FakeKeySource();
  const withApi = (p: ClientProfile): ClientProfile => ({ ...p, grants: [API] });
  directory.add(withApi(profile('pkj', 'PRIVATE_KEY_JWT')));
  clientKeys.keys.set('pkj', [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
  directory.add(withApi(profile('post', 'CLIENT_SECRET_POST', {}, { current: SECRET })));
  const replay = new HeldReplayStore();
  const keys = countingIssuerKeys();
  const events = new FakeEventSink();
  const deps: TokenEndpointDeps = { directory, keys, clientAuth: { keys: clientKeys, replay, events } };
  const context = { environmentId: ENV, organizationId: 'org-1', issuer: ISSUER, managementAudience: 'https://keyway.test', now: NOW };
  const token = (params: Record<string, string>) =>
    tokenEndpoint(deps, context, {
      environmentId: ENV,
      authorization: undefined,
      params: toParams(Object.entries({ grant_type: 'client_credentials', ...params })),
      now: NOW,
      endpoint: AT_TOKEN,
      settings: DEFAULT_CLIENT_ASSERTION_POLICY,
    });
  return { replay, keys, events, token };
}

const assertion = () => signed(claims('pkj'), { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey);

/** Waits until the token request has asked the jti store to record (its signing started before). */
async function untilRecording(replay: HeldReplayStore, count = 1): Promise<void> {
  for (let turns = 0; replay.pending.length < count; turns += 1) {
    if (turns > 1000) throw new Error('the jti was never recorded');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Whether `promise` is still pending after the event loop has turned a few times. */
async function stillPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const timer = new Promise((resolve) => setTimeout(() => resolve(marker), 50));
  return (await Promise.race([promise.then(() => 'settled', () => 'settled'), timer])) === marker;
}

describe('client_credentials: the access token is signed while the jti is recorded', () => {
  test('the signing key is taken before the jti is recorded, and the token is answered only once it is', async () => {
    const { replay, keys, token } = setup();
    const answer = token(assertionParams(await assertion(), { scope: 'read' }));
    await untilRecording(replay);
    assert.equal(keys.asked, 1, 'the token is being signed while the jti is recorded');
    assert.equal(await stillPending(answer), true, 'no answer before the jti is recorded');
    replay.pending[0]?.settle(true);
    const response = await answer;
    assert.equal(response.token_type, 'Bearer');
    assert.equal(decodeJwt(response.access_token).client_id, 'pkj');
  });

  test('a replayed jti is refused although a token was signed meanwhile (OpenID Connect Core §9: jti used once)', async () => {
    const { replay, keys, token } = setup();
    const params = assertionParams(await assertion(), { scope: 'read' });
    const first = token(params);
    await untilRecording(replay);
    replay.pending[0]?.settle(true);
    await first;
    const again = token(params);
    await untilRecording(replay, 2);
    replay.pending[1]?.settle(true);
    const err = await invalidClient(again);
    assert.equal(err.reason, 'REPLAYED');
    assert.equal(keys.asked, 2, 'the second token was signed, and thrown away');
  });

  test("the jti store's failure wins over the signing's: temporarily_unavailable, not server_error", async () => {
    const { replay, keys, token } = setup();
    keys.none = true;
    const answer = token(assertionParams(await assertion(), { scope: 'read' }));
    await untilRecording(replay);
    replay.pending[0]?.settle(new Error('database unreachable'));
    await assert.rejects(answer, TemporarilyUnavailable);
  });

  test('a signing failure fails the request once the jti is recorded; the jti stays used, as when signing followed it', async () => {
    const { replay, keys, token } = setup();
    keys.none = true;
    const params = assertionParams(await assertion(), { scope: 'read' });
    const answer = token(params);
    await untilRecording(replay);
    assert.equal(await stillPending(answer), true, 'the signing failure waits for the jti');
    replay.pending[0]?.settle(true);
    await assert.rejects(answer, ServerError);
    keys.none = false;
    const again = token(params);
    await untilRecording(replay, 2);
    replay.pending[1]?.settle(true);
    assert.equal((await invalidClient(again)).reason, 'REPLAYED');
  });

  test('a signing failure is the issue step\'s, not authentication\'s: the legacy audience form is still recorded as a success', async () => {
    const { replay, keys, events, token } = setup();
    keys.none = true;
    const legacy = await signed(claims('pkj', { aud: TOKEN_ENDPOINT }), { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey);
    const answer = token(assertionParams(legacy, { scope: 'read' }));
    await untilRecording(replay);
    replay.pending[0]?.settle(true);
    await assert.rejects(answer, ServerError);
    assert.deepEqual(
      events.events.map((e) => e.event.outcome),
      ['LEGACY_SUCCESS'],
      'the client authenticated; only issuing failed',
    );
  });

  test('a client_secret client, with no jti to record, is issued its token', async () => {
    const { replay, keys, token } = setup();
    const response = await token({ client_id: 'post', client_secret: SECRET, scope: 'read' });
    assert.equal(decodeJwt(response.access_token).client_id, 'post');
    assert.equal(keys.asked, 1);
    assert.equal(replay.pending.length, 0);
  });

  test('an invalid_scope refusal signs nothing and records nothing (RFC 6749 §5.2)', async () => {
    const { replay, keys, token } = setup();
    await assert.rejects(token(assertionParams(await assertion(), { scope: 'delete' })), { error: 'invalid_scope' });
    assert.equal(keys.asked, 0);
    assert.equal(replay.pending.length, 0);
  });
});
