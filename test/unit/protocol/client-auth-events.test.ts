import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DEFAULT_CLIENT_ASSERTION_POLICY } from '../../../src/domain/client-auth/assertion-policy.js';
import { authenticateClient } from '../../../src/protocol/client-auth/authenticate.js';
import { ServerError } from '../../../src/protocol/errors.js';
import { toParams } from '../../../src/protocol/params.js';
import {
  AT_TOKEN,
  ENV,
  NOW,
  SECRET,
  TOKEN_ENDPOINT,
  FakeDirectory,
  FakeKeySource,
  assertionParams,
  claims,
  harness,
  invalidClient,
  rsa,
  signed,
  standardClients,
} from './client-auth-fixtures.js';

describe('client-authentication diagnostics (docs/decisions.md, "Public error bodies stay generic")', () => {
  test('a failure after the application is known records reason, method, kid, alg, audience form, detail, endpoint and time', async () => {
    const h = harness();
    const assertion = await signed(claims('pkj', { aud: 'https://idp.example/as' }), { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey);
    const err = await invalidClient(h.authenticate(assertionParams(assertion)));
    assert.equal(err.reason, 'AUD_MISMATCH');
    assert.equal(h.events.events.length, 1);
    const [recorded] = h.events.events;
    assert.equal(recorded?.environmentId, ENV);
    assert.equal(recorded?.applicationId, 'pkj');
    assert.deepEqual(recorded?.event, {
      outcome: 'FAILURE',
      reason: 'AUD_MISMATCH',
      method: 'PRIVATE_KEY_JWT',
      alg: 'RS256',
      kid: 'rsa-1',
      audienceForm: 'INVALID',
      detail: err.detail,
      endpoint: TOKEN_ENDPOINT,
      at: NOW,
    });
  });

  test('the recorded event never contains the assertion or its signature', async () => {
    const h = harness();
    const assertion = await signed(claims('pkj', { exp: NOW.getTime() / 1000 - 600 }), { alg: 'RS256' }, rsa.privateKey);
    await invalidClient(h.authenticate(assertionParams(assertion)));
    const text = JSON.stringify(h.events.events);
    const [header, payload, signature] = assertion.split('.');
    for (const part of [assertion, header, payload, signature]) assert.ok(part && !text.includes(part));
    assert.match(text, /"reason":"EXPIRED"/);
  });

  test('HS-signed assertions are recorded as CLIENT_SECRET_JWT attempts, also against a PRIVATE_KEY_JWT client', async () => {
    const h = harness();
    await invalidClient(h.authenticate(assertionParams(await signed(claims('pkj'), { alg: 'HS256' }, new TextEncoder().encode('x')))));
    assert.equal(h.events.events[0]?.event.method, 'CLIENT_SECRET_JWT');
    assert.equal(h.events.events[0]?.event.reason, 'ALG_NOT_ALLOWED');
  });

  test('a disabled application gets its failure recorded', async () => {
    const h = harness();
    await invalidClient(h.authenticate(assertionParams(await signed(claims('pkj-disabled'), { alg: 'RS256' }, rsa.privateKey))));
    assert.deepEqual(h.events.events.map((e) => [e.applicationId, e.event.reason]), [['pkj-disabled', 'CLIENT_DISABLED']]);
  });

  test('failures before any application is identified record nothing (unknown client, malformed assertion)', async () => {
    const h = harness();
    await invalidClient(h.authenticate(assertionParams(await signed(claims('nobody'), { alg: 'RS256' }, rsa.privateKey))));
    await invalidClient(h.authenticate(assertionParams('not-a-jwt')));
    assert.deepEqual(h.events.events, []);
  });

  test('RFC 7523 §3 items 1-2: iss ≠ sub is recorded for the client iss names, so its admins see why', async () => {
    const h = harness();
    const err = await invalidClient(h.authenticate(assertionParams(await signed(claims('pkj', { iss: 'pkj', sub: 'other' }), { alg: 'RS256' }, rsa.privateKey))));
    assert.equal(err.reason, 'ISS_SUB_MISMATCH');
    assert.equal(h.events.events.length, 1);
    assert.equal(h.events.events[0]?.applicationId, 'pkj');
    assert.equal(h.events.events[0]?.event.reason, 'ISS_SUB_MISMATCH');
  });

  test('secret-based failures are recorded with the method the request used', async () => {
    const h = harness();
    const authorization = `Basic ${Buffer.from('basic:wrong').toString('base64')}`;
    const err = await invalidClient(h.authenticate({}, { authorization }));
    assert.equal(err.reason, 'SECRET_MISMATCH');
    assert.equal(h.events.events[0]?.event.method, 'CLIENT_SECRET_BASIC');
    assert.equal(h.events.events[0]?.event.alg, undefined);
    await invalidClient(h.authenticate({ client_id: 'pkj', client_secret: SECRET }));
    assert.deepEqual(h.events.events[1]?.event.reason, 'METHOD_MISMATCH');
    assert.deepEqual(h.events.events[1]?.event.method, 'CLIENT_SECRET_POST');
  });

  test('a successful secret authentication records nothing', async () => {
    const h = harness();
    const result = await h.authenticate({}, { authorization: `Basic ${Buffer.from(`basic:${SECRET}`).toString('base64')}` });
    assert.equal(result.method, 'CLIENT_SECRET_BASIC');
    assert.deepEqual(h.events.events, []);
  });

  test('a throwing event sink neither fails a success nor changes a failure', async () => {
    const directory = new FakeDirectory();
    const keys = new FakeKeySource();
    standardClients(directory, keys);
    const replay = { record: () => Promise.resolve(true) };
    const events = {
      record: () => {
        throw new Error('sink down');
      },
    };
    const run = async (aud: unknown) =>
      authenticateClient(
        {
          environmentId: ENV,
          authorization: undefined,
          params: toParams(Object.entries(assertionParams(await signed(claims('pkj', { aud }), { alg: 'RS256' }, rsa.privateKey)))),
          now: NOW,
          endpoint: AT_TOKEN,
          settings: DEFAULT_CLIENT_ASSERTION_POLICY,
        },
        { directory, keys, replay, events },
      );
    assert.equal((await run(TOKEN_ENDPOINT)).audienceForm, 'TOKEN_ENDPOINT');
    assert.equal((await invalidClient(run('https://elsewhere.example'))).reason, 'AUD_MISMATCH');
  });
});

describe('authenticateClient deps', () => {
  const input = (params: Record<string, string>, authorization?: string) => ({
    environmentId: ENV,
    authorization,
    params: toParams(Object.entries(params)),
    now: NOW,
    endpoint: AT_TOKEN,
    settings: DEFAULT_CLIENT_ASSERTION_POLICY,
  });

  test('secret methods need only the directory', async () => {
    const directory = new FakeDirectory();
    standardClients(directory, new FakeKeySource());
    const result = await authenticateClient(input({ client_id: 'post', client_secret: SECRET }), { directory });
    assert.equal(result.method, 'CLIENT_SECRET_POST');
  });

  test('an assertion without a key source and replay store wired in is a server error, not a success', async () => {
    const directory = new FakeDirectory();
    standardClients(directory, new FakeKeySource());
    const params = assertionParams(await signed(claims('pkj'), { alg: 'RS256' }, rsa.privateKey));
    await assert.rejects(authenticateClient(input(params), { directory }), ServerError);
  });

  test('without the ports, an assertion for a secret client is still a METHOD_MISMATCH', async () => {
    const directory = new FakeDirectory();
    standardClients(directory, new FakeKeySource());
    const params = assertionParams(await signed(claims('basic'), { alg: 'HS256' }, new TextEncoder().encode(SECRET)));
    assert.equal((await invalidClient(authenticateClient(input(params), { directory }))).reason, 'METHOD_MISMATCH');
  });
});
