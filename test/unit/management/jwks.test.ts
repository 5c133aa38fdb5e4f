import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, createPublicKey, X509Certificate, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ErrorDetail } from '../../../src/domain/pingone-error.js';
import {
  validateJwksDocument,
  validateJwksString,
  validateJwksUrl,
  type JwksValidation,
} from '../../../src/management/client-keys/jwks.js';
import { rsaKeyPair } from '../../support/rsa-keys.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

type Jwk = Record<string, unknown>;

function keyPair(kind: 'rsa' | 'ec' | 'ed25519', option?: number | string): { pub: Jwk; priv: Jwk } {
  const pair =
    kind === 'rsa'
      ? option === undefined
        ? rsaKeyPair()
        : newKeyPairSync({ type: 'rsa', modulusLength: Number(option) })
      : kind === 'ec'
        ? newKeyPairSync({ type: 'ec', namedCurve: String(option) })
        : newKeyPairSync({ type: 'ed25519' });
  return {
    pub: pair.publicKey.export({ format: 'jwk' }) as Jwk,
    priv: pair.privateKey.export({ format: 'jwk' }) as Jwk,
  };
}

const rsa = keyPair('rsa');
const p256 = keyPair('ec', 'P-256');
const p384 = keyPair('ec', 'P-384');
const p521 = keyPair('ec', 'P-521');
const ed = keyPair('ed25519');

const set = (...keys: unknown[]): string => JSON.stringify({ keys });

/** The fixture certificate (test/fixtures/tls) and the public JWK of its key. */
const cert = new X509Certificate(readFileSync(new URL('../../fixtures/tls/cert.pem', import.meta.url)));
const certJwk = createPublicKey(readFileSync(new URL('../../fixtures/tls/key.pem', import.meta.url))).export({ format: 'jwk' }) as Jwk;
const digest = (hash: 'sha1' | 'sha256', der: Buffer = cert.raw) => createHash(hash).update(der).digest('base64url');

function accepted(result: JwksValidation) {
  if (!result.ok) assert.fail(`expected success, got ${JSON.stringify(result.details, null, 2)}`);
  return result.keys;
}

function rejected(result: JwksValidation): ErrorDetail[] {
  if (result.ok) assert.fail('expected the set to be rejected');
  assert.ok(result.details.length > 0);
  return result.details;
}

/** Asserts one detail whose message matches `pattern`, with the INVALID_VALUE code and target. */
function assertRejects(raw: string, pattern: RegExp, target = 'jwks'): ErrorDetail[] {
  const details = rejected(validateJwksString(raw, target));
  const hit = details.find((d) => pattern.test(d.message));
  assert.ok(hit, `no detail matches ${pattern}: ${JSON.stringify(details)}`);
  assert.equal(hit.code, 'INVALID_VALUE');
  assert.equal(hit.target, target);
  return details;
}

function flipLastBit(b64url: string): string {
  const bytes = Buffer.from(b64url, 'base64url');
  bytes[bytes.length - 1]! ^= 1;
  return bytes.toString('base64url');
}

describe('validateJwksString: accepted sets', () => {
  test('RSA 2048 public key with kid, alg, use (RFC 7518 §6.3.1)', () => {
    const [key] = accepted(validateJwksString(set({ ...rsa.pub, kid: 'r1', alg: 'RS256', use: 'sig' })));
    assert.deepEqual(
      { kid: key?.kid, kty: key?.kty, alg: key?.alg, use: key?.use, crv: key?.crv },
      { kid: 'r1', kty: 'RSA', alg: 'RS256', use: 'sig', crv: undefined },
    );
    assert.equal(createPublicKey({ key: key?.jwk as JsonWebKey, format: 'jwk' }).asymmetricKeyType, 'rsa');
  });

  for (const [crv, pair, alg] of [['P-256', p256, 'ES256'], ['P-384', p384, 'ES384'], ['P-521', p521, 'ES512']] as const) {
    test(`EC ${crv} public key with alg ${alg} (RFC 7518 §6.2.1)`, () => {
      const [key] = accepted(validateJwksString(set({ ...pair.pub, kid: crv, alg })));
      assert.equal(key?.crv, crv);
      assert.equal(createPublicKey({ key: key?.jwk as JsonWebKey, format: 'jwk' }).asymmetricKeyType, 'ec');
    });
  }

  for (const alg of ['EdDSA', 'Ed25519', undefined]) {
    test(`OKP Ed25519 public key, alg ${alg ?? 'absent'} (RFC 8037 §2)`, () => {
      const [key] = accepted(validateJwksString(set({ ...ed.pub, alg })));
      assert.equal(key?.crv, 'Ed25519');
      assert.equal(createPublicKey({ key: key?.jwk as JsonWebKey, format: 'jwk' }).asymmetricKeyType, 'ed25519');
    });
  }

  test('mixed set, keys without kid, PS512 and RSA exponent 3', () => {
    const e3 = { ...rsa.pub, e: 'Aw', alg: 'PS512' };
    const keys = accepted(validateJwksString(set(e3, p256.pub, { ...ed.pub, kid: 'ed' })));
    assert.deepEqual(keys.map((k) => k.kty), ['RSA', 'EC', 'OKP']);
    assert.equal(keys[0]?.kid, undefined);
  });

  test('stored JWK keeps public members only and drops unknown ones (RFC 7517 §4)', () => {
    const sent = {
      ...certJwk, kid: 'k', use: 'sig', key_ops: ['verify'], x5c: [cert.raw.toString('base64')], ext: true, custom: 'x',
      x5t: digest('sha1'), 'x5t#S256': digest('sha256'),
    };
    const [key] = accepted(validateJwksString(set(sent)));
    assert.deepEqual(Object.keys(key?.jwk ?? {}).sort(), ['e', 'key_ops', 'kid', 'kty', 'n', 'use', 'x5c', 'x5t', 'x5t#S256'].sort());
    assert.ok(createPublicKey({ key: key?.jwk as JsonWebKey, format: 'jwk' }));
  });

  test('an "enc" key may sit beside a signature key', () => {
    accepted(validateJwksString(set({ ...p256.pub, kid: 'e', use: 'enc' }, { ...p384.pub, kid: 's', key_ops: ['verify'] })));
  });

  test('exactly 50 keys and exactly 64 KiB are accepted', () => {
    const fifty = set(...Array.from({ length: 50 }, (_, i) => ({ ...p256.pub, kid: `k${i}` })));
    accepted(validateJwksString(fifty));
    const padded = set(p256.pub).padEnd(64 * 1024, ' ');
    assert.equal(Buffer.byteLength(padded), 65536);
    accepted(validateJwksString(padded));
  });
});

describe('validateJwksString: private and symmetric material', () => {
  for (const [name, pair] of [['RSA (RFC 7518 §6.3.2)', rsa], ['EC (RFC 7518 §6.2.2)', p256], ['OKP (RFC 8037 §2)', ed]] as const) {
    test(`private ${name} JWK is rejected without echoing "d"`, () => {
      const raw = set({ ...pair.priv, kid: 'leak' });
      const details = assertRejects(raw, /^jwks key #1 \(kid "leak"\): contains private key members? "d"/);
      const body = JSON.stringify(details);
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
        const value = pair.priv[member];
        if (typeof value === 'string') assert.ok(!body.includes(value), `message leaks ${member}`);
      }
    });
  }

  test('oct key is rejected (RFC 7518 §6.4)', () => {
    assertRejects(set({ kty: 'oct', k: 'c2VjcmV0' }), /private key member "k"/);
    assertRejects(set({ kty: 'oct' }), /kty "oct" is a symmetric key/);
  });

  test('unknown kty carrying "d" is rejected for private material, before the kty check', () => {
    const details = assertRejects(set({ kty: 'AKP', alg: 'ML-DSA-44', pub: 'AAAA', d: 'c2VjcmV0' }), /private key member "d"/);
    assert.equal(details.length, 1);
    assert.ok(!JSON.stringify(details).includes('c2VjcmV0'));
  });

  test('every private member name is caught, even with a null value', () => {
    for (const member of ['p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv']) {
      assertRejects(set({ ...rsa.pub, [member]: null }), new RegExp(`private key member "${member}"`));
    }
  });

  test('invalid JSON message does not quote the input', () => {
    const raw = `{"keys":[{"kty":"RSA","d":"TOPSECRETVALUE" oops}]}`;
    const [only] = assertRejects(raw, /^jwks is not valid JSON/);
    assert.ok(!only?.message.includes('TOPSECRET'));
  });
});

describe('validateJwksString: key type and RSA material (RFC 7518 §6.3.1)', () => {
  test('unknown kty without private members is unsupported (RFC 7517 §4.1)', () => {
    assertRejects(set({ kty: 'FOO', x: 'AA' }), /jwks key #1: kty "FOO" is not supported; use RSA, EC or OKP/);
    assertRejects(set({ n: 'AA' }), /"kty" is required/);
    assertRejects(set('RSA'), /must be a JSON object/);
  });

  test('1024-bit RSA modulus is rejected', () => {
    const small = keyPair('rsa', 1024);
    assertRejects(set({ ...small.pub, kid: 'small' }), /jwks key #1 \(kid "small"\): RSA modulus is 1024 bits; at least 2048 are required/);
  });

  test('modulus above 8192 bits is rejected', () => {
    const big = Buffer.alloc(1026, 0xff).toString('base64url');
    assertRejects(set({ kty: 'RSA', n: big, e: 'AQAB' }), /RSA modulus is 8208 bits; at most 8192 are allowed/);
  });

  test('even modulus is rejected', () => {
    const n = Buffer.from(String(rsa.pub.n), 'base64url');
    n[n.length - 1]! &= 0xfe;
    assertRejects(set({ ...rsa.pub, n: n.toString('base64url') }), /RSA modulus is even/);
  });

  test('exponent 1, even exponents and exponents above 2^32 are rejected', () => {
    assertRejects(set({ ...rsa.pub, e: 'AQ' }), /RSA exponent "e" is 1; it must be at least 3/);
    assertRejects(set({ ...rsa.pub, e: 'AQAA' }), /RSA exponent "e" is 65536, which is even/);
    assertRejects(set({ ...rsa.pub, e: 'AQAAAAE' }), /larger than 2\^32/);
    assertRejects(set({ ...rsa.pub, e: 'AQAAAAAAAAAB' }), /larger than 2\^32/);
  });

  test('n and e must be strict unpadded base64url (RFC 7515 §2)', () => {
    const n = String(rsa.pub.n);
    assertRejects(set({ ...rsa.pub, e: 'AQAB=' }), /"e" \(RSA exponent\) must be an unpadded base64url string/);
    assertRejects(set({ ...rsa.pub, n: `${n.slice(0, 10)}+${n.slice(11)}` }), /"n" \(RSA modulus\) must be an unpadded base64url/);
    // 'AQB' has non-zero spare bits in its last character, which Node's decoder would silently drop.
    assertRejects(set({ ...rsa.pub, e: 'AQB' }), /"e" \(RSA exponent\) must be an unpadded base64url/);
    assertRejects(set({ ...rsa.pub, e: '' }), /"e" \(RSA exponent\) must be an unpadded base64url/);
    assertRejects(set({ ...rsa.pub, n: 12345 }), /"n" \(RSA modulus\)/);
  });

  test('RSA alg must be RS* or PS*', () => {
    assertRejects(set({ ...rsa.pub, alg: 'HS256' }), /alg "HS256" cannot be used with an RSA key; use one of RS256, RS384, RS512, PS256, PS384, PS512/);
    assertRejects(set({ ...rsa.pub, alg: 'ES256' }), /alg "ES256" cannot be used with an RSA key/);
  });
});

describe('validateJwksString: EC material (RFC 7518 §6.2.1)', () => {
  test('off-curve point is rejected', () => {
    assertRejects(set({ ...p256.pub, kid: 'bent', y: flipLastBit(String(p256.pub.y)) }), /jwks key #1 \(kid "bent"\): point is not on curve P-256/);
    assertRejects(set({ ...p521.pub, x: flipLastBit(String(p521.pub.x)) }), /point is not on curve P-521/);
  });

  test('coordinates must have the full curve size (RFC 7518 §6.2.1.2)', () => {
    const short = Buffer.from(String(p256.pub.x), 'base64url').subarray(1).toString('base64url');
    assertRejects(set({ ...p256.pub, x: short }), /"x" is 31 octets; curve P-256 requires exactly 32/);
    assertRejects(set({ ...p256.pub, y: undefined }), /"y" \(EC coordinate\) must be an unpadded base64url/);
  });

  test('alg must match the curve', () => {
    assertRejects(set({ ...p256.pub, alg: 'ES384' }), /alg ES384 does not match curve P-256; use ES256/);
    assertRejects(set({ ...p521.pub, alg: 'ES256' }), /alg ES256 does not match curve P-521; use ES512/);
    assertRejects(set({ ...p384.pub, alg: 'RS256' }), /alg "RS256" cannot be used with an EC key on curve P-384/);
  });

  test('unsupported or missing curve', () => {
    assertRejects(set({ ...p256.pub, crv: 'secp256k1' }), /crv "secp256k1" is not supported for EC keys/);
    assertRejects(set({ ...p256.pub, crv: 'toString' }), /crv "toString" is not supported/);
    assertRejects(set({ kty: 'EC', x: p256.pub.x, y: p256.pub.y }), /"crv" is required for EC keys/);
  });
});

describe('validateJwksString: OKP material (RFC 8037 §2)', () => {
  test('only Ed25519 is accepted', () => {
    assertRejects(set({ ...ed.pub, crv: 'Ed448' }), /crv "Ed448" is not supported for OKP keys; use Ed25519/);
    assertRejects(set({ ...ed.pub, crv: 'X25519' }), /crv "X25519" is not supported/);
  });

  test('x must be 32 octets and alg EdDSA or Ed25519', () => {
    assertRejects(set({ ...ed.pub, x: Buffer.alloc(31, 7).toString('base64url') }), /"x" must be the 32-octet Ed25519 public key/);
    assertRejects(set({ ...ed.pub, alg: 'ES256' }), /alg "ES256" cannot be used with an Ed25519 key/);
  });
});

describe('validateJwksString: common members (RFC 7517 §4)', () => {
  test('use must be sig or enc (§4.2), key_ops an array of distinct strings (§4.3)', () => {
    assertRejects(set({ ...p256.pub, use: 'signature' }), /use "signature" is not allowed; use "sig" or "enc"/);
    assertRejects(set({ ...p256.pub, key_ops: 'verify' }), /"key_ops" must be an array of strings/);
    assertRejects(set({ ...p256.pub, key_ops: ['verify', 1] }), /"key_ops" must be an array of strings/);
    assertRejects(set({ ...p256.pub, key_ops: ['verify', 'verify'] }), /"key_ops" lists "verify" twice/);
  });

  test('a set with only encryption keys has no signature key', () => {
    assertRejects(set({ ...p256.pub, use: 'enc' }), /jwks has no key usable to verify signatures/);
    assertRejects(set({ ...p256.pub, key_ops: ['encrypt', 'wrapKey'] }), /no key usable to verify signatures/);
    assertRejects(set({ ...p256.pub, use: 'enc', key_ops: ['verify'] }), /no key usable to verify signatures/);
  });

  test('kid: non-empty, at most 256 characters, distinct within the set (§4.5)', () => {
    assertRejects(set({ ...p256.pub, kid: '' }), /jwks key #1: "kid" must be a non-empty string/);
    assertRejects(set({ ...p256.pub, kid: 7 }), /"kid" must be a non-empty string/);
    assertRejects(set({ ...p256.pub, kid: 'k'.repeat(257) }), /"kid" is 257 characters; at most 256/);
    accepted(validateJwksString(set({ ...p256.pub, kid: 'k'.repeat(256) })));
    assertRejects(set({ ...p256.pub, kid: 'same' }, { ...ed.pub, kid: 'other' }, { ...rsa.pub, kid: 'same' }),
      /jwks key #3 \(kid "same"\): kid is already used by key #1; kids must be distinct/);
  });

  test('x5c must be standard base64, not base64url (§4.7); thumbprints sized (§4.8, §4.9)', () => {
    assertRejects(set({ ...p256.pub, x5c: ['ab-_'] }), /"x5c"\[0\] is not standard padded base64/);
    assertRejects(set({ ...p256.pub, x5c: 'MIIB' }), /"x5c" must be a non-empty array/);
    assertRejects(set({ ...p256.pub, x5c: [] }), /"x5c" must be a non-empty array/);
    assertRejects(set({ ...p256.pub, x5t: Buffer.alloc(32).toString('base64url') }), /"x5t" must be a 20-octet digest/);
    assertRejects(set({ ...p256.pub, 'x5t#S256': 'abc=' }), /"x5t#S256" must be a 32-octet digest/);
  });

  test('duplicate member names are rejected, escapes included (§4)', () => {
    const raw = `{"keys":[{"kty":"EC","crv":"P-256","x":"${p256.pub.x}","y":"${p256.pub.y}","kid":"a","\\u006bid":"b"}]}`;
    assertRejects(raw, /jwks repeats the member name "kid"; member names must be unique/);
    assertRejects(`{"keys":[],"keys":[${JSON.stringify(p256.pub)}]}`, /repeats the member name "keys"/);
    // The same name in sibling objects is not a duplicate.
    accepted(validateJwksString(set({ ...p256.pub, kid: 'a' }, { ...p384.pub, kid: 'b' })));
  });
});

describe('validateJwksString: set shape and limits (RFC 7517 §5)', () => {
  test('invalid JSON, non-object, non-array keys, missing or empty keys', () => {
    assertRejects('{"keys": [', /jwks is not valid JSON/);
    assertRejects('[]', /must be a JSON object with a "keys" array/);
    assertRejects('null', /must be a JSON object/);
    assertRejects('{"keys":{}}', /must have a "keys" member that is an array/);
    assertRejects('{}', /must have a "keys" member that is an array/);
    assertRejects('{"keys":[]}', /"keys" is empty/);
  });

  test('more than 50 keys is SIZE_LIMIT_EXCEEDED', () => {
    const raw = set(...Array.from({ length: 51 }, (_, i) => ({ ...p256.pub, kid: `k${i}` })));
    const [only, ...rest] = rejected(validateJwksString(raw));
    assert.equal(rest.length, 0);
    assert.deepEqual(only, { code: 'SIZE_LIMIT_EXCEEDED', target: 'jwks', message: 'jwks has 51 keys; at most 50 are allowed', innerError: { maximumValue: 50 } });
  });

  test('more than 64 KiB, counted in UTF-8 bytes, is SIZE_LIMIT_EXCEEDED', () => {
    const [over] = rejected(validateJwksString(set(p256.pub).padEnd(65537, ' ')));
    assert.equal(over?.code, 'SIZE_LIMIT_EXCEEDED');
    assert.deepEqual(over?.innerError, { maximumValue: 65536 });
    const wide = set({ ...p256.pub, kid: 'é'.repeat(33_000) });
    assert.ok(wide.length < 65536);
    assert.equal(rejected(validateJwksString(wide))[0]?.code, 'SIZE_LIMIT_EXCEEDED');
  });

  test('problems of every key are collected, with the given target', () => {
    const details = rejected(validateJwksString(set({ ...rsa.priv, kid: 'a' }, p256.pub, { kty: 'oct', kid: 'c' }), 'jwksDraft'));
    assert.deepEqual(details.map((d) => d.message.split(':')[0]), ['jwksDraft key #1 (kid "a")', 'jwksDraft key #3 (kid "c")']);
    assert.ok(details.every((d) => d.target === 'jwksDraft' && d.code === 'INVALID_VALUE'));
  });

  test('the detail list is capped at 20', () => {
    const details = rejected(validateJwksString(set(...Array.from({ length: 30 }, () => ({ kty: 'oct' })))));
    assert.equal(details.length, 20);
    assert.match(details[19]?.message ?? '', /jwks has 11 further problems that are not listed/);
  });
});

describe('validateJwksString: minimal RSA encoding (RFC 7518 §6.3.1.1, §6.3.1.2)', () => {
  const padded = (b64url: unknown) => Buffer.concat([Buffer.alloc(1), Buffer.from(String(b64url), 'base64url')]).toString('base64url');

  test('"n" with a leading zero octet is refused', () => {
    assertRejects(set({ ...rsa.pub, n: padded(rsa.pub.n) }), /"n" starts with a zero octet; RFC 7518 §6\.3\.1\.1 requires the shortest encoding/);
  });

  test('"e" with a leading zero octet is refused (AAEAAQ is 65537 padded)', () => {
    assertRejects(set({ ...rsa.pub, e: 'AAEAAQ' }), /"e" starts with a zero octet; RFC 7518 §6\.3\.1\.2/);
  });

  test('the minimal encodings are accepted', () => {
    accepted(validateJwksString(set(rsa.pub)));
  });
});

describe('validateJwksString: certificate members (RFC 7517 §4.7-§4.9)', () => {
  const x5c = [cert.raw.toString('base64')];

  test('x5c holding the JWK\'s key, with matching x5t and x5t#S256, is accepted', () => {
    accepted(validateJwksString(set({ ...certJwk, x5c, x5t: digest('sha1'), 'x5t#S256': digest('sha256') })));
  });

  test('§4.7: the first certificate must hold the JWK\'s key', () => {
    assertRejects(set({ ...rsa.pub, x5c }), /jwks key #1: the key in "x5c"\[0\] is not this JWK's key; RFC 7517 §4\.7/);
    assertRejects(set({ ...p256.pub, x5c }), /the key in "x5c"\[0\] is not this JWK's key/);
  });

  test('§4.7: x5c[0] must be a DER certificate', () => {
    assertRejects(set({ ...certJwk, x5c: [Buffer.from('not a certificate').toString('base64')] }), /"x5c"\[0\] is not a DER-encoded X\.509 certificate/);
  });

  test('§4.8/§4.9: thumbprints must be those of x5c[0]', () => {
    const other = Buffer.from('another certificate');
    assertRejects(set({ ...certJwk, x5c, x5t: digest('sha1', other) }), /"x5t" is not the SHA-1 thumbprint of "x5c"\[0\] \(RFC 7517 §4\.8\)/);
    assertRejects(set({ ...certJwk, x5c, 'x5t#S256': digest('sha256', other) }), /"x5t#S256" is not the SHA-256 thumbprint of "x5c"\[0\] \(RFC 7517 §4\.9\)/);
  });

  test('x5t and x5t#S256 without x5c are accepted: they may name a certificate held elsewhere', () => {
    accepted(validateJwksString(set({ ...rsa.pub, x5t: digest('sha1'), 'x5t#S256': digest('sha256') })));
  });
});

describe('validateJwksDocument', () => {
  test('applies the same checks to a parsed set', () => {
    accepted(validateJwksDocument({ keys: [rsa.pub, ed.pub] }));
    const [only] = rejected(validateJwksDocument({ keys: [p256.priv] }, 'jwksUrl'));
    assert.equal(only?.target, 'jwksUrl');
    assert.match(only?.message ?? '', /jwksUrl key #1: contains private key member "d"/);
    rejected(validateJwksDocument('{"keys":[]}'));
    rejected(validateJwksDocument(undefined));
  });

  test('returned JWKs do not alias the input arrays', () => {
    const ops = ['verify'];
    const [key] = accepted(validateJwksDocument({ keys: [{ ...p256.pub, key_ops: ops }] }));
    ops.push('sign');
    assert.deepEqual(key?.jwk.key_ops, ['verify']);
  });
});

describe('validateJwksUrl', () => {
  const messages = (raw: string) => validateJwksUrl(raw).map((d) => d.message);

  test('valid https URLs', () => {
    assert.deepEqual(validateJwksUrl('https://client.example.com/.well-known/jwks.json'), []);
    assert.deepEqual(validateJwksUrl('https://127.0.0.1:8443/jwks?tenant=a'), []);
  });

  test('http and other schemes are rejected', () => {
    assert.deepEqual(messages('http://client.example.com/jwks'), ['jwksUrl must use https, not http']);
    assert.match(messages('file:///etc/passwd')[0] ?? '', /must use https/);
  });

  test('credentials and fragments are rejected, a bare trailing # included', () => {
    assert.deepEqual(messages('https://user:pw@client.example.com/jwks'), ['jwksUrl must not contain a username or password']);
    assert.deepEqual(messages('https://user@client.example.com/jwks'), ['jwksUrl must not contain a username or password']);
    assert.deepEqual(messages('https://client.example.com/jwks#keys'), ['jwksUrl must not contain a fragment']);
    assert.deepEqual(messages('https://client.example.com/jwks#'), ['jwksUrl must not contain a fragment']);
  });

  test('the value must be written as https:// + host + path, as the URL parser reads it (else it may fetch another host)', () => {
    const cases: Array<[string, RegExp]> = [
      ['https:/client.example.com/jwks', /must start with "https:\/\/" followed by the host/],
      ['https:client.example.com/jwks', /must start with "https:\/\/" followed by the host/],
      ['HTTPS://client.example.com/jwks', /must start with "https:\/\/"/],
      ['https:///client.example.com/jwks', /must name the host right after "https:\/\/"/],
      ['https://@client.example.com/jwks', /must not contain a username or password/],
      ['https://client.example.com\\@evil.example/jwks', /username or password|backslashes/],
      ['https:\\\\client.example.com/jwks', /must not contain backslashes/],
      ['https://client.example.com\\jwks', /must not contain backslashes/],
      ['https://0x7f.1/jwks', /host must be written in the form the URL parser reads it: "127\.0\.0\.1"/],
      ['https://2130706433/jwks', /"127\.0\.0\.1"/],
      ['https://[0:0::1]/jwks', /"\[::1\]"/],
      ['https://bücher.example/jwks', /"xn--bcher-kva\.example"/],
      ['https://client.example.com:08443/jwks', /"client\.example\.com:8443"/],
      ['https://client.example.com/a/../jwks', /path and query must be written as the URL parser serialises them/],
      ['https://client.example.com/%2e%2e/jwks', /path and query/],
      ['https://client.example.com/jwks?', /path and query/],
      ['https://client.example.com/j{w}ks', /path and query/],
    ];
    for (const [raw, pattern] of cases) {
      const found = messages(raw);
      assert.equal(found.length, 1, `${raw}: ${JSON.stringify(found)}`);
      assert.match(found[0] ?? '', pattern, raw);
    }
  });

  test('equivalent spellings the parser keeps as written are accepted', () => {
    for (const raw of ['https://client.example.com', 'https://Client.Example.COM/jwks', 'https://client.example.com:443/jwks', 'https://client.example.com?tenant=a', 'https://client.example.com/j%20ks', 'https://[2001:db8::1]/jwks']) {
      assert.deepEqual(messages(raw), [], raw);
    }
  });

  test('relative, empty, padded and over-long URLs are rejected', () => {
    assert.deepEqual(messages('/jwks'), ['jwksUrl must be an absolute https URL']);
    assert.deepEqual(messages(''), ['jwksUrl must be an absolute https URL']);
    assert.match(messages(' https://client.example.com/jwks')[0] ?? '', /spaces or control characters/);
    assert.match(messages('https://client.exa\nmple.com/jwks')[0] ?? '', /spaces or control characters/);
    const long = validateJwksUrl(`https://client.example.com/${'a'.repeat(2048)}`, 'app.jwksUrl');
    assert.deepEqual(long.map((d) => [d.code, d.target, d.innerError]), [['SIZE_LIMIT_EXCEEDED', 'app.jwksUrl', { maximumValue: 2048 }]]);
  });
});
