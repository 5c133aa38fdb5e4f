import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseBasicAuthorization, secretMatches } from '../../../src/protocol/client-auth/client-secret.js';
import { InvalidClient, InvalidRequest } from '../../../src/protocol/errors.js';
import { toParams } from '../../../src/protocol/params.js';

const basic = (raw: string): string => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;

describe('HTTP Basic client credentials', () => {
  test('RFC 6749 §2.3.1: id and secret are form-urlencoded before base64 (Appendix B)', () => {
    assert.deepEqual(parseBasicAuthorization(basic('my%3Aclient:p%40ss+word%25')), { clientId: 'my:client', clientSecret: 'p@ss word%' });
  });
  test('the secret may contain further colons', () => {
    assert.equal(parseBasicAuthorization(basic('id:a:b')).clientSecret, 'a:b');
  });
  for (const [name, header] of [
    ['no separator', basic('idonly')],
    ['empty client id', basic(':secret')],
    ['another scheme', 'Bearer abc'],
    ['not base64', 'Basic ***'],
    ['bad percent-encoding', basic('id:%zz')],
  ] as const) {
    test(`rejects ${name} with invalid_client`, () => {
      assert.throws(() => parseBasicAuthorization(header), InvalidClient);
    });
  }
});

describe('secret comparison', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  test('matches the current secret exactly', () => {
    assert.equal(secretMatches('s3cret', { current: 's3cret' }, now), true);
    assert.equal(secretMatches('s3cret ', { current: 's3cret' }, now), false);
    assert.equal(secretMatches('S3CRET', { current: 's3cret' }, now), false);
    assert.equal(secretMatches('s3cret', undefined, now), false);
  });
  test('the previous secret works until it expires, not after', () => {
    const secrets = { current: 'new', previous: { secret: 'old', expiresAt: new Date('2026-01-02T00:00:00Z') } };
    assert.equal(secretMatches('old', secrets, now), true);
    assert.equal(secretMatches('old', secrets, new Date('2026-01-02T00:00:00Z')), false);
  });
});

describe('request parameters', () => {
  test('RFC 6749 §3.2: a repeated parameter is invalid_request', () => {
    assert.throws(() => toParams([['grant_type', 'client_credentials'], ['grant_type', 'client_credentials']]), InvalidRequest);
  });
  test('a repeat is refused even when the first value was empty', () => {
    assert.throws(() => toParams([['scope', ''], ['scope', 'a']]), InvalidRequest);
  });
  test('RFC 6749 §3.1: parameters without a value are treated as omitted', () => {
    assert.equal(toParams([['scope', '']]).has('scope'), false);
  });
  test('bounds the number of parameters', () => {
    const pairs = Array.from({ length: 65 }, (_, i) => [`p${i}`, 'v'] as [string, string]);
    assert.throws(() => toParams(pairs), InvalidRequest);
  });
});
