import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { KeyObject } from 'node:crypto';
import {
  AT_INTROSPECT,
  AT_TOKEN,
  ENV,
  INTROSPECT,
  ISSUER,
  NOW,
  NOW_S,
  OLD_SECRET,
  SECRET,
  TOKEN_ENDPOINT,
  assertionParams,
  claims,
  ed25519,
  harness,
  invalidClient,
  p256,
  p384,
  p521,
  rsa,
  rsa2,
  signed,
  utf8,
  verificationKey,
} from './client-auth-fixtures.js';
import { TemporarilyUnavailable } from '../../../src/protocol/errors.js';

interface AlgCase {
  alg: string;
  client: string;
  kid: string;
  key: KeyObject | Uint8Array;
}

const ASYMMETRIC: AlgCase[] = [
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'].map((alg) => ({ alg, client: 'pkj', kid: 'rsa-1', key: rsa.privateKey })),
  { alg: 'ES256', client: 'pkj-p256', kid: 'p256', key: p256.privateKey },
  { alg: 'ES384', client: 'pkj-p384', kid: 'p384', key: p384.privateKey },
  { alg: 'ES512', client: 'pkj-p521', kid: 'p521', key: p521.privateKey },
  { alg: 'EdDSA', client: 'pkj-ed25519', kid: 'ed', key: ed25519.privateKey },
];

describe('PRIVATE_KEY_JWT: accepted assertions (RFC 7523 §2.2, §3)', () => {
  for (const { alg, client, kid, key } of ASYMMETRIC) {
    test(`RFC 7523 §3 item 9: a ${alg} assertion signed with the registered key authenticates the client`, async () => {
      const h = harness();
      const payload = claims(client);
      const result = await h.authenticate(assertionParams(await signed(payload, { alg, kid, typ: 'JWT' }, key)));
      assert.equal(result.profile.client.id, client);
      assert.equal(result.method, 'PRIVATE_KEY_JWT');
      assert.equal(result.alg, alg);
      assert.equal(result.kid, kid);
      assert.equal(result.audienceForm, 'ISSUER_STRING');
      assert.deepEqual([...h.replay.recorded.entries()], [[`${ENV}\u0000${client}\u0000${String(payload.jti)}`, new Date((NOW_S + 60 + 15) * 1000)]]);
      assert.equal(h.keys.refreshCalls, 0);
      assert.deepEqual(h.events.events, [], 'a modern audience form records nothing');
    });
  }

  test('a set with one signing key needs no kid', async () => {
    const h = harness();
    const result = await h.authenticate(assertionParams(await signed(claims('pkj'), { alg: 'RS256' }, rsa.privateKey)));
    assert.equal(result.kid, undefined);
  });

  test('a key registered for encryption does not count: one sig key plus one enc key needs no kid', async () => {
    const h = harness();
    const result = await h.authenticate(assertionParams(await signed(claims('pkj-sig-and-enc'), { alg: 'RS256' }, rsa.privateKey)));
    assert.equal(result.profile.client.id, 'pkj-sig-and-enc');
  });

  test('with two keys the kid selects the right one', async () => {
    const h = harness();
    const result = await h.authenticate(assertionParams(await signed(claims('pkj-two-keys'), { alg: 'ES256', kid: 'ec-1' }, p256.privateKey)));
    assert.equal(result.kid, 'ec-1');
  });

  test('a key registered with alg RS256 verifies RS256', async () => {
    const h = harness();
    await h.authenticate(assertionParams(await signed(claims('pkj-alg-rs256'), { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey)));
  });

  test('the pinned alg (tokenEndpointAuthSigningAlg) is accepted', async () => {
    const h = harness();
    const result = await h.authenticate(assertionParams(await signed(claims('pkj-pinned'), { alg: 'PS256', kid: 'rsa-1' }, rsa.privateKey)));
    assert.equal(result.alg, 'PS256');
  });

  test('the client_id parameter may accompany the assertion when it equals iss (docs/pingone-reference.md §6.4)', async () => {
    const h = harness();
    await h.authenticate(assertionParams(await signed(claims('pkj'), { alg: 'RS256' }, rsa.privateKey), { client_id: 'pkj' }));
  });

  for (const typ of ['JWT', 'jwt', 'client-authentication+jwt', 'Client-Authentication+JWT', 'application/client-authentication+jwt', 'application/JWT']) {
    test(`RFC 7515 §4.1.9: typ ${JSON.stringify(typ)} names a client assertion and is accepted`, async () => {
      const h = harness();
      await h.authenticate(assertionParams(await signed(claims('pkj'), { alg: 'RS256', typ }, rsa.privateKey)));
    });
  }

  test('a kid unknown to the cached set triggers one refresh, and the rotated key is accepted', async () => {
    const h = harness();
    h.keys.rotated.set('pkj', [verificationKey(rsa.publicKey, { kid: 'rsa-1' }), verificationKey(rsa2.publicKey, { kid: 'rsa-2', source: 'jwksUrl' })]);
    const result = await h.authenticate(assertionParams(await signed(claims('pkj'), { alg: 'RS256', kid: 'rsa-2' }, rsa2.privateKey)));
    assert.equal(result.kid, 'rsa-2');
    assert.deepEqual(h.keys.calls, [{ clientId: 'pkj' }, { clientId: 'pkj', refreshForKid: 'rsa-2' }]);
  });

  test('time claims at the edge of the clock tolerance are accepted (RFC 7519 §4.1.4-4.1.6)', async () => {
    const h = harness();
    const payload = claims('pkj', { exp: NOW_S - 14, nbf: NOW_S + 15, iat: NOW_S + 15 });
    await h.authenticate(assertionParams(await signed(payload, { alg: 'RS256' }, rsa.privateKey)));
    const longest = claims('pkj', { exp: NOW_S + 3600 + 15, iat: NOW_S - 3600 - 15 });
    await h.authenticate(assertionParams(await signed(longest, { alg: 'RS256' }, rsa.privateKey)));
  });

  test('the maximum lifetime and tolerance come from the settings', async () => {
    const h = harness();
    const payload = claims('pkj', { exp: NOW_S + 7000 });
    await h.authenticate(assertionParams(await signed(payload, { alg: 'RS256' }, rsa.privateKey)), { settings: { maxAssertionLifetimeSeconds: 7200 } });
    const expired = claims('pkj', { exp: NOW_S - 20 });
    await h.authenticate(assertionParams(await signed(expired, { alg: 'RS256' }, rsa.privateKey)), { settings: { clockToleranceSeconds: 30 } });
  });

  test('the same jti from two different clients is not a replay (the key is per client)', async () => {
    const h = harness();
    const jti = 'shared-jti';
    await h.authenticate(assertionParams(await signed(claims('pkj', { jti }), { alg: 'RS256' }, rsa.privateKey)));
    await h.authenticate(assertionParams(await signed(claims('pkj-p256', { jti }), { alg: 'ES256' }, p256.privateKey)));
    assert.equal(h.replay.recorded.size, 2);
  });

  test('a failed assertion does not burn its jti: the corrected assertion with the same jti succeeds', async () => {
    const h = harness();
    const jti = 'retry-jti';
    await invalidClient(h.authenticate(assertionParams(await signed(claims('pkj', { jti, aud: 'https://wrong.example' }), { alg: 'RS256' }, rsa.privateKey))));
    await h.authenticate(assertionParams(await signed(claims('pkj', { jti }), { alg: 'RS256' }, rsa.privateKey)));
  });
});

describe('CLIENT_SECRET_JWT: accepted assertions (RFC 7523 §2.2, OpenID Connect Core §9)', () => {
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    test(`OpenID Connect Core §9: a ${alg} assertion keyed with the client secret authenticates the client`, async () => {
      const h = harness();
      const result = await h.authenticate(assertionParams(await signed(claims('csj'), { alg, typ: 'JWT' }, utf8(SECRET))));
      assert.equal(result.method, 'CLIENT_SECRET_JWT');
      assert.equal(result.alg, alg);
      assert.equal(h.replay.recorded.size, 1);
      assert.equal(h.keys.calls.length, 0, 'secret-based assertions never ask for registered keys');
    });
  }

  test('the previous secret is accepted until it expires; the current one always', async () => {
    const h = harness();
    await h.authenticate(assertionParams(await signed(claims('csj-rotated'), { alg: 'HS256' }, utf8(OLD_SECRET))));
    await h.authenticate(assertionParams(await signed(claims('csj-rotated'), { alg: 'HS256' }, utf8(SECRET))));
    const late = new Date(NOW.getTime() + 60_000);
    const lateClaims = claims('csj-rotated', { exp: NOW_S + 120, iat: NOW_S + 60 });
    const err = await invalidClient(h.authenticate(assertionParams(await signed(lateClaims, { alg: 'HS256' }, utf8(OLD_SECRET))), { now: late }));
    assert.equal(err.reason, 'SIGNATURE_INVALID');
    assert.equal(h.replay.recorded.size, 2);
  });

  test('a kid on a CLIENT_SECRET_JWT assertion is ignored (there is one secret)', async () => {
    const h = harness();
    await h.authenticate(assertionParams(await signed(claims('csj'), { alg: 'HS256', kid: 'whatever' }, utf8(SECRET))));
  });
});

describe('audience forms and policies (RFC 7523 §3 item 3, RFC 7523bis, docs/decisions.md)', () => {
  const forms: [string, unknown, string, typeof AT_TOKEN][] = [
    ['the issuer string', ISSUER, 'ISSUER_STRING', AT_TOKEN],
    ['the token endpoint', TOKEN_ENDPOINT, 'TOKEN_ENDPOINT', AT_TOKEN],
    ['the URL of the endpoint called', INTROSPECT, 'ENDPOINT_URL', AT_INTROSPECT],
    ['the token endpoint while calling introspection', TOKEN_ENDPOINT, 'TOKEN_ENDPOINT', AT_INTROSPECT],
    ['[issuer]', [ISSUER], 'ISSUER_ARRAY', AT_TOKEN],
    ['[issuer, token endpoint]', [ISSUER, TOKEN_ENDPOINT], 'ARRAY', AT_TOKEN],
    ['[token endpoint]', [TOKEN_ENDPOINT], 'ARRAY', AT_TOKEN],
  ];
  for (const [what, aud, form, endpoint] of forms) {
    test(`PINGONE_COMPATIBLE accepts aud = ${what} as ${form}${form === 'ISSUER_STRING' ? '' : ' and records a legacy success'}`, async () => {
      const h = harness();
      const result = await h.authenticate(assertionParams(await signed(claims('pkj', { aud }), { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey)), { endpoint });
      assert.equal(result.audienceForm, form);
      if (form === 'ISSUER_STRING') {
        assert.deepEqual(h.events.events, []);
        return;
      }
      assert.equal(h.events.events.length, 1);
      const [recorded] = h.events.events;
      assert.equal(recorded?.applicationId, 'pkj');
      assert.deepEqual(recorded?.event, {
        outcome: 'LEGACY_SUCCESS',
        reason: 'LEGACY_AUDIENCE',
        method: 'PRIVATE_KEY_JWT',
        alg: 'RS256',
        kid: 'rsa-1',
        audienceForm: form,
        endpoint: endpoint.endpointUrl,
        at: NOW,
      });
    });
  }

  test('ISSUER_ONLY (environment setting) accepts the issuer as a string or a one-element array', async () => {
    const h = harness();
    const settings = { audiencePolicy: 'ISSUER_ONLY' as const };
    await h.authenticate(assertionParams(await signed(claims('pkj', { aud: ISSUER }), { alg: 'RS256' }, rsa.privateKey)), { settings });
    await h.authenticate(assertionParams(await signed(claims('pkj', { aud: [ISSUER] }), { alg: 'RS256' }, rsa.privateKey)), { settings });
  });

  test('ISSUER_ONLY_STRING accepts exactly the issuer string', async () => {
    const h = harness();
    await h.authenticate(assertionParams(await signed(claims('pkj', { aud: ISSUER }), { alg: 'RS256' }, rsa.privateKey)), {
      settings: { audiencePolicy: 'ISSUER_ONLY_STRING' },
    });
  });

  test("the application's policy overrides a stricter environment policy", async () => {
    const h = harness();
    const result = await h.authenticate(assertionParams(await signed(claims('pkj-compatible', { aud: TOKEN_ENDPOINT }), { alg: 'RS256' }, rsa.privateKey)), {
      settings: { audiencePolicy: 'ISSUER_ONLY_STRING' },
    });
    assert.equal(result.audienceForm, 'TOKEN_ENDPOINT');
  });
});

describe('replay (OpenID Connect Core §9, RFC 7523 §3 item 7)', () => {
  test('a second use of the same assertion is REPLAYED, and the store still holds one jti', async () => {
    const h = harness();
    const assertion = await signed(claims('pkj'), { alg: 'RS256' }, rsa.privateKey);
    await h.authenticate(assertionParams(assertion));
    const err = await invalidClient(h.authenticate(assertionParams(assertion)));
    assert.equal(err.reason, 'REPLAYED');
    assert.equal(h.replay.recorded.size, 1);
  });

  test('a jti used at the token endpoint cannot be reused at another endpoint', async () => {
    const h = harness();
    const assertion = await signed(claims('pkj', { aud: ISSUER }), { alg: 'RS256' }, rsa.privateKey);
    await h.authenticate(assertionParams(assertion), { endpoint: AT_TOKEN });
    const err = await invalidClient(h.authenticate(assertionParams(assertion), { endpoint: AT_INTROSPECT }));
    assert.equal(err.reason, 'REPLAYED');
  });

  test('a new assertion with a reused jti is REPLAYED, even with other claims', async () => {
    const h = harness();
    await h.authenticate(assertionParams(await signed(claims('pkj', { jti: 'once' }), { alg: 'RS256' }, rsa.privateKey)));
    const err = await invalidClient(h.authenticate(assertionParams(await signed(claims('pkj', { jti: 'once', exp: NOW_S + 90 }), { alg: 'PS256' }, rsa.privateKey))));
    assert.equal(err.reason, 'REPLAYED');
  });

  test('two concurrent uses of one assertion: exactly one succeeds', async () => {
    const h = harness();
    const assertion = await signed(claims('pkj'), { alg: 'RS256' }, rsa.privateKey);
    const outcomes = await Promise.allSettled([h.authenticate(assertionParams(assertion)), h.authenticate(assertionParams(assertion))]);
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
  });

  test('a replay store that cannot record fails the request with temporarily_unavailable (503)', async () => {
    const h = harness();
    h.replay.failing = true;
    const assertion = await signed(claims('pkj'), { alg: 'RS256' }, rsa.privateKey);
    await assert.rejects(h.authenticate(assertionParams(assertion)), (err: unknown) => {
      assert.ok(err instanceof TemporarilyUnavailable);
      assert.equal(err.status, 503);
      assert.equal(err.error, 'temporarily_unavailable');
      return true;
    });
    assert.equal(h.replay.recorded.size, 0);
    assert.deepEqual(h.events.events, [], 'a store outage is not the client\'s failure');
  });
});
