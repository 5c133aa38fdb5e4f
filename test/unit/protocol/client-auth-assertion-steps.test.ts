/**
 * The named steps of client-assertion verification, each on its own (docs/architecture.md, rule 8).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';
import { DEFAULT_CLIENT_ASSERTION_POLICY } from '../../../src/domain/client-auth/assertion-policy.js';
import type { ClientAssertionAudiencePolicy } from '../../../src/domain/client-auth/audience-policy.js';
import { checkAudience, classifyAudience } from '../../../src/protocol/client-auth/assertion-audience.js';
import { checkJti, checkTimeClaims } from '../../../src/protocol/client-auth/assertion-claims.js';
import { checkAssertionHeader } from '../../../src/protocol/client-auth/assertion-header.js';
import { assertionIssuer } from '../../../src/protocol/client-auth/assertion-identity.js';
import { decodeAssertion } from '../../../src/protocol/client-auth/assertion-jws.js';
import { keyProblem, secretKeys } from '../../../src/protocol/client-auth/assertion-keys.js';
import { verifyClientAssertion } from '../../../src/protocol/client-auth/client-assertion.js';
import { InvalidClient } from '../../../src/protocol/errors.js';
import {
  AT_INTROSPECT,
  AT_TOKEN,
  INTROSPECT,
  ISSUER,
  NOW,
  NOW_S,
  OLD_SECRET,
  SECRET,
  TOKEN_ENDPOINT,
  FakeKeySource,
  FakeReplayStore,
  JWT_BEARER,
  claims,
  ed25519,
  p256,
  p384,
  p521,
  profile,
  rsa,
  rsaWeak,
  signed,
  verificationKey,
} from './client-auth-fixtures.js';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof InvalidClient) return err.reason;
    throw err;
  }
}

describe('decodeAssertion (RFC 7515 §7.1)', () => {
  test('returns the untrusted header and claims and keeps the compact form for verification', async () => {
    const compact = await signed({ iss: 'a', n: 1 }, { alg: 'RS256', kid: 'k' }, rsa.privateKey);
    const decoded = decodeAssertion(compact);
    assert.equal(decoded.compact, compact);
    assert.deepEqual(decoded.header, { alg: 'RS256', kid: 'k' });
    assert.deepEqual(decoded.payload, { iss: 'a', n: 1 });
  });

  test('a byte-order mark before the JSON is not JSON', () => {
    const seg = (text: string) => Buffer.from(text).toString('base64url');
    assert.equal(reasonOf(() => decodeAssertion(`${seg('\uFEFF{"alg":"RS256"}')}.${seg('{}')}.AAAA`)), 'ASSERTION_MALFORMED');
  });

  test('an empty assertion is malformed', () => {
    assert.equal(reasonOf(() => decodeAssertion('')), 'ASSERTION_MALFORMED');
    assert.equal(reasonOf(() => decodeAssertion(undefined)), 'ASSERTION_MALFORMED');
  });

  test('RFC 7515 §2: a segment outside the base64url alphabet, or not in its canonical encoding, is refused and said which', () => {
    const header = Buffer.from('{"alg":"RS256"}').toString('base64url');
    const payload = Buffer.from('{}').toString('base64url');
    const detailOf = (signature: string): string | undefined => {
      try {
        decodeAssertion(`${header}.${payload}.${signature}`);
        return undefined;
      } catch (err) {
        assert.ok(err instanceof InvalidClient);
        return err.detail;
      }
    };
    // Node's decoder skips or maps each of these and reads bytes anyway.
    for (const outside of ['AAAA=', 'AA+/', 'AA AA', 'AA\nAA', 'AA\u0000A', 'AAé', 'AA%41', 'AA*']) {
      assert.equal(detailOf(outside), 'the JWS signature is not base64url (RFC 7515 §2)', JSON.stringify(outside));
    }
    // "AB" decodes to the byte "AA" also encodes to; its last character carries stray bits.
    assert.equal(detailOf('AB'), 'the JWS signature is not canonical base64url (RFC 7515 §2)');
    assert.equal(detailOf('AA'), undefined);
    assert.equal(detailOf(''), undefined);
  });
});

describe('assertionIssuer (RFC 7523 §3 items 1-2)', () => {
  test('returns the client id when iss and sub agree, with or without a matching client_id', () => {
    assert.equal(assertionIssuer({ iss: 'c', sub: 'c' }, undefined), 'c');
    assert.equal(assertionIssuer({ iss: 'c', sub: 'c' }, 'c'), 'c');
  });
});

describe('checkAssertionHeader (RFC 8725 §3.1, RFC 7515 §4.1)', () => {
  test('returns alg and kid, and ignores jwk, jku, x5u, x5c and x5t', () => {
    const header = { alg: 'ES256', kid: 'k', jwk: { kty: 'EC' }, jku: 'https://a', x5u: 'https://b', x5c: ['AA'], x5t: 'AA' };
    assert.deepEqual(checkAssertionHeader(header, 'PRIVATE_KEY_JWT', undefined), { alg: 'ES256', kid: 'k' });
  });

  test('cty is refused, not ignored: a client assertion is never a nested JWT (RFC 7519 §5.2, RFC 8725 §3.11)', () => {
    assert.equal(reasonOf(() => checkAssertionHeader({ alg: 'ES256', kid: 'k', cty: 'JWT' }, 'PRIVATE_KEY_JWT', undefined)), 'CTY_UNSUPPORTED');
    assert.equal(reasonOf(() => checkAssertionHeader({ alg: 'HS256', cty: 'JWT' }, 'CLIENT_SECRET_JWT', undefined)), 'CTY_UNSUPPORTED');
  });

  test('b64: true is the default and is accepted', () => {
    assert.deepEqual(checkAssertionHeader({ alg: 'HS256', b64: true }, 'CLIENT_SECRET_JWT', undefined), { alg: 'HS256' });
  });

  test('the allow-lists are disjoint: no algorithm serves both methods', () => {
    for (const alg of ['RS256', 'PS384', 'ES512', 'EdDSA']) {
      assert.equal(reasonOf(() => checkAssertionHeader({ alg }, 'CLIENT_SECRET_JWT', undefined)), 'ALG_NOT_ALLOWED');
    }
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      assert.equal(reasonOf(() => checkAssertionHeader({ alg }, 'PRIVATE_KEY_JWT', undefined)), 'ALG_NOT_ALLOWED');
    }
  });
});

describe('checkTimeClaims (RFC 7523 §3 items 4-6)', () => {
  const settings = DEFAULT_CLIENT_ASSERTION_POLICY;
  const cases: [string, Record<string, unknown>, string | undefined][] = [
    ['exp 1 s ahead', { exp: NOW_S + 1 }, undefined],
    ['exp now (within tolerance)', { exp: NOW_S }, undefined],
    ['exp 14.9 s ago', { exp: NOW_S - 14.9 }, undefined],
    ['exp exactly 15 s ago', { exp: NOW_S - 15 }, 'EXPIRED'],
    ['exp at the lifetime cap', { exp: NOW_S + 3615 }, undefined],
    ['exp just beyond the cap', { exp: NOW_S + 3615.5 }, 'LIFETIME_TOO_LONG'],
    ['exp negative', { exp: -1 }, 'EXPIRED'],
    ['exp boolean', { exp: true }, 'EXP_INVALID'],
    ['nbf at the tolerance', { exp: NOW_S + 60, nbf: NOW_S + 15 }, undefined],
    ['nbf past the tolerance', { exp: NOW_S + 60, nbf: NOW_S + 15.5 }, 'NBF_IN_FUTURE'],
    ['iat at the oldest accepted', { exp: NOW_S + 60, iat: NOW_S - 3615 }, undefined],
    ['iat one second older', { exp: NOW_S + 60, iat: NOW_S - 3616 }, 'IAT_TOO_OLD'],
    ['iat an array', { exp: NOW_S + 60, iat: [NOW_S] }, 'IAT_INVALID'],
  ];
  for (const [what, payload, reason] of cases) {
    test(`${what} → ${reason ?? 'accepted'}`, () => {
      assert.equal(reasonOf(() => checkTimeClaims(payload, settings, NOW)), reason);
    });
  }

  test('returns exp for the replay record', () => {
    assert.deepEqual(checkTimeClaims({ exp: NOW_S + 30 }, settings, NOW), { exp: NOW_S + 30 });
  });
});

describe('checkJti (OpenID Connect Core §9)', () => {
  test('accepts 1 to 256 characters', () => {
    assert.equal(checkJti({ jti: 'a' }), 'a');
    assert.equal(checkJti({ jti: 'x'.repeat(256) }).length, 256);
  });
});

describe('checkAudience and classifyAudience (RFC 7523 §3 item 3, docs/decisions.md policies)', () => {
  const table: [unknown, ClientAssertionAudiencePolicy, string][] = [
    [ISSUER, 'PINGONE_COMPATIBLE', 'ISSUER_STRING'],
    [ISSUER, 'ISSUER_ONLY', 'ISSUER_STRING'],
    [ISSUER, 'ISSUER_ONLY_STRING', 'ISSUER_STRING'],
    [[ISSUER], 'PINGONE_COMPATIBLE', 'ISSUER_ARRAY'],
    [[ISSUER], 'ISSUER_ONLY', 'ISSUER_ARRAY'],
    [[ISSUER], 'ISSUER_ONLY_STRING', 'AUD_MISMATCH'],
    [TOKEN_ENDPOINT, 'PINGONE_COMPATIBLE', 'TOKEN_ENDPOINT'],
    [TOKEN_ENDPOINT, 'ISSUER_ONLY', 'AUD_MISMATCH'],
    [TOKEN_ENDPOINT, 'ISSUER_ONLY_STRING', 'AUD_MISMATCH'],
    [[ISSUER, TOKEN_ENDPOINT], 'PINGONE_COMPATIBLE', 'ARRAY'],
    [[ISSUER, TOKEN_ENDPOINT], 'ISSUER_ONLY', 'AUD_MISMATCH'],
    [INTROSPECT, 'PINGONE_COMPATIBLE', 'AUD_MISMATCH'],
    ['', 'PINGONE_COMPATIBLE', 'AUD_MISMATCH'],
    [null, 'PINGONE_COMPATIBLE', 'AUD_INVALID'],
    [{ aud: ISSUER }, 'PINGONE_COMPATIBLE', 'AUD_INVALID'],
  ];
  for (const [aud, policy, expected] of table) {
    test(`${JSON.stringify(aud)} under ${policy} at the token endpoint → ${expected}`, () => {
      const outcome = (() => {
        try {
          return checkAudience(aud, AT_TOKEN, policy);
        } catch (err) {
          if (err instanceof InvalidClient) return err.reason;
          throw err;
        }
      })();
      assert.equal(outcome, expected);
    });
  }

  test('at introspection its own URL is the ENDPOINT_URL form', () => {
    assert.equal(checkAudience(INTROSPECT, AT_INTROSPECT, 'PINGONE_COMPATIBLE'), 'ENDPOINT_URL');
    assert.equal(checkAudience([INTROSPECT, ISSUER], AT_INTROSPECT, 'PINGONE_COMPATIBLE'), 'ARRAY');
  });

  test('classifyAudience describes unverified values for diagnostics without throwing', () => {
    assert.equal(classifyAudience(undefined, AT_TOKEN), undefined);
    assert.equal(classifyAudience(ISSUER, AT_TOKEN), 'ISSUER_STRING');
    assert.equal(classifyAudience([ISSUER], AT_TOKEN), 'ISSUER_ARRAY');
    assert.equal(classifyAudience('https://elsewhere', AT_TOKEN), 'INVALID');
    assert.equal(classifyAudience(42, AT_TOKEN), 'INVALID');
  });
});

describe('keyProblem (RFC 7518 §3.3-3.5, RFC 8037 §3.1)', () => {
  const table: [string, ReturnType<typeof verificationKey>, boolean][] = [
    ['RS256', verificationKey(rsa.publicKey), true],
    ['PS512', verificationKey(rsa.publicKey), true],
    ['RS256', verificationKey(rsaWeak.publicKey), false],
    ['ES256', verificationKey(p256.publicKey), true],
    ['ES256', verificationKey(p384.publicKey), false],
    ['ES384', verificationKey(p384.publicKey), true],
    ['ES512', verificationKey(p521.publicKey), true],
    ['ES512', verificationKey(p256.publicKey), false],
    ['EdDSA', verificationKey(ed25519.publicKey), true],
    ['EdDSA', verificationKey(p256.publicKey), false],
    ['RS256', verificationKey(p256.publicKey), false],
    ['RS256', verificationKey(rsa.publicKey, { alg: 'RS256' }), true],
    ['RS384', verificationKey(rsa.publicKey, { alg: 'RS256' }), false],
    ['ES256', verificationKey(p256.publicKey, { crv: 'P-384' }), false],
    ['RS256', { ...verificationKey(rsa.publicKey), key: rsa.privateKey }, false],
    ['HS256', verificationKey(rsa.publicKey), false],
  ];
  for (const [alg, key, fits] of table) {
    const bits = key.key.asymmetricKeyDetails?.modulusLength;
    const label = [key.kty, key.crv, bits && `${bits} bits`, key.alg && `alg ${key.alg}`, key.key.type === 'private' && '(private)'].filter(Boolean).join(' ');
    test(`${alg} with ${label} → ${fits ? 'fits' : 'refused'}`, () => {
      assert.equal(keyProblem(key, alg) === undefined, fits, keyProblem(key, alg));
    });
  }
});

describe('secretKeys', () => {
  test('the previous secret is a candidate only while unexpired', () => {
    const future = new Date(NOW.getTime() + 1);
    assert.equal(secretKeys({ current: SECRET, previous: { secret: OLD_SECRET, expiresAt: future } }, NOW).length, 2);
    assert.equal(secretKeys({ current: SECRET, previous: { secret: OLD_SECRET, expiresAt: NOW } }, NOW).length, 1);
  });
});

describe('verifyClientAssertion used on its own', () => {
  const deps = () => {
    const keys = new FakeKeySource();
    keys.keys.set('pkj', [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
    return { keys, replay: new FakeReplayStore() };
  };
  const base = { assertionType: JWT_BEARER, clientIdParam: undefined, endpoint: AT_TOKEN, settings: DEFAULT_CLIENT_ASSERTION_POLICY, now: NOW };

  test('returns what was verified, including until when the jti is kept', async () => {
    const d = deps();
    const payload = claims('pkj');
    const assertion = await signed(payload, { alg: 'PS256', kid: 'rsa-1' }, rsa.privateKey);
    const result = await verifyClientAssertion({ ...base, assertion, profile: profile('pkj', 'PRIVATE_KEY_JWT') }, d);
    assert.deepEqual(result, {
      method: 'PRIVATE_KEY_JWT',
      alg: 'PS256',
      kid: 'rsa-1',
      audienceForm: 'ISSUER_STRING',
      jti: payload.jti,
      jtiExpiresAt: new Date((NOW_S + 60 + 15) * 1000),
    });
  });

  test('refuses an assertion naming a client other than the profile given', async () => {
    const d = deps();
    const assertion = await signed(claims('other'), { alg: 'RS256' }, rsa.privateKey);
    const err = await verifyClientAssertion({ ...base, assertion, profile: profile('pkj', 'PRIVATE_KEY_JWT') }, d).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidClient);
    assert.equal(err.reason, 'CLIENT_ID_MISMATCH');
    assert.equal(d.keys.calls.length, 0);
  });

  test("RFC 7523 §3 item 9: a signature no registered key verifies is SIGNATURE_INVALID, and the private detail names the key tried", async () => {
    const d = deps();
    const other = newKeyPairSync({ type: 'rsa', modulusLength: 2048 });
    const assertion = await signed(claims('pkj'), { alg: 'RS256', kid: 'rsa-1' }, other.privateKey);
    const err = await verifyClientAssertion({ ...base, assertion, profile: profile('pkj', 'PRIVATE_KEY_JWT') }, d).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidClient);
    assert.equal(err.reason, 'SIGNATURE_INVALID');
    assert.equal(err.detail, 'the RS256 signature does not verify with jwks key "rsa-1"');
  });

  test('refuses a profile registered for a secret method', async () => {
    const d = deps();
    const assertion = await signed(claims('pkj'), { alg: 'RS256' }, rsa.privateKey);
    const err = await verifyClientAssertion({ ...base, assertion, profile: profile('pkj', 'NONE') }, d).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidClient);
    assert.equal(err.reason, 'METHOD_MISMATCH');
  });
});
