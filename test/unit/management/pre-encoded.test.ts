/**
 * Pre-encoded passwords (src/management/users/pre-encoded.ts): the salted SHA schemes of
 * PingOne's "Password encoding" reference in LDAP userPassword syntax, `{SCHEME}base64(digest ‖ salt)`.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { isPreEncoded, looksPreEncoded, preEncodedProblem, verifyPreEncoded } from '../../../src/management/users/pre-encoded.js';

const encode = (scheme: string, algorithm: string, password: string, salt: Buffer) =>
  `{${scheme}}${Buffer.concat([createHash(algorithm).update(password, 'utf8').update(salt).digest(), salt]).toString('base64')}`;

describe('pre-encoded passwords', () => {
  const salt = Buffer.from('salt-of-12by');
  for (const [scheme, algorithm] of [['SSHA', 'sha1'], ['SSHA256', 'sha256'], ['SSHA384', 'sha384'], ['SSHA512', 'sha512']] as const) {
    test(`{${scheme}} verifies its password (UTF-8 bytes, not normalised) and nothing else`, () => {
      const stored = encode(scheme, algorithm, 'Pässwörd-1', salt);
      assert.equal(preEncodedProblem(stored), undefined);
      assert.equal(isPreEncoded(stored), true);
      assert.equal(verifyPreEncoded('Pässwörd-1', stored), true);
      assert.equal(verifyPreEncoded('Pässwörd-2', stored), false);
      assert.equal(verifyPreEncoded('Pa\u0308sswo\u0308rd-1', stored), false, 'decomposed form is other bytes');
    });
  }

  test('the scheme name is read case-insensitively, as LDAP does', () => {
    const stored = encode('ssha256', 'sha256', 'x', salt);
    assert.equal(verifyPreEncoded('x', stored), true);
  });

  test('scrypt hashes Keyway writes are not pre-encoded', () => {
    assert.equal(looksPreEncoded('scrypt$32768$8$1$abc$def'), false);
    assert.equal(isPreEncoded('scrypt$32768$8$1$abc$def'), false);
  });

  for (const [what, value] of [
    ['no salt', `{SSHA512}${createHash('sha512').update('x').digest('base64')}`],
    ['a salt over 64 bytes', encode('SSHA', 'sha1', 'x', Buffer.alloc(65, 1))],
    ['base64url characters', encode('SSHA256', 'sha256', 'x', Buffer.from([0xfb, 0xff, 0xfe, 0xfb])).replace(/\+/g, '-').replace(/\//g, '_')],
    ['{BCRYPT}', '{BCRYPT}$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
    ['{PBKDF2}', '{PBKDF2}AAAA'],
  ] as const) {
    test(`${what} is refused with a reason and never verifies`, () => {
      assert.equal(looksPreEncoded(value), true);
      assert.match(preEncodedProblem(value) ?? '', /SSHA/);
      assert.equal(verifyPreEncoded('x', value), false);
    });
  }
});
