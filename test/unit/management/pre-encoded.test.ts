/**
 * Pre-encoded passwords (src/management/users/pre-encoded.ts), the schemes of PingOne's "Password
 * encoding" reference Keyway verifies: salted SHA in LDAP userPassword syntax,
 * `{SCHEME}base64(digest ‖ salt)`; `{BCRYPT}` with the OpenBSD form; PBKDF2 (RFC 8018 §5.2) in
 * the LDAP form `{PBKDF2-SHA256}<iterations>$<salt>$<key>`. Known vectors are made here with
 * node:crypto and bcryptjs.
 */
import { strict as assert } from 'node:assert';
import { createHash, pbkdf2Sync } from 'node:crypto';
import { describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { isPreEncoded, looksPreEncoded, preEncodedProblem, verifyPreEncoded } from '../../../src/management/users/pre-encoded.js';

const encode = (scheme: string, algorithm: string, password: string, salt: Buffer) =>
  `{${scheme}}${Buffer.concat([createHash(algorithm).update(password, 'utf8').update(salt).digest(), salt]).toString('base64')}`;

/** OpenLDAP's adapted base64: `.` for `+`, no padding. */
const ab64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');

const pbkdf2 = (scheme: string, digest: string, password: string, iterations: number, salt: Buffer, keyBytes: number) =>
  `{${scheme}}${iterations}$${ab64(salt)}$${ab64(pbkdf2Sync(password, salt, iterations, keyBytes, digest))}`;

describe('pre-encoded passwords: salted SHA', () => {
  const salt = Buffer.from('salt-of-12by');
  for (const [scheme, algorithm] of [['SSHA', 'sha1'], ['SSHA256', 'sha256'], ['SSHA384', 'sha384'], ['SSHA512', 'sha512']] as const) {
    test(`{${scheme}} verifies its password (UTF-8 bytes, not normalised) and nothing else`, async () => {
      const stored = encode(scheme, algorithm, 'Pässwörd-1', salt);
      assert.equal(preEncodedProblem(stored), undefined);
      assert.equal(isPreEncoded(stored), true);
      assert.equal(await verifyPreEncoded('Pässwörd-1', stored), true);
      assert.equal(await verifyPreEncoded('Pässwörd-2', stored), false);
      assert.equal(await verifyPreEncoded('Pa\u0308sswo\u0308rd-1', stored), false, 'decomposed form is other bytes');
    });
  }

  test('the scheme name is read case-insensitively, as LDAP does', async () => {
    const stored = encode('ssha256', 'sha256', 'x', salt);
    assert.equal(await verifyPreEncoded('x', stored), true);
  });

  test('scrypt hashes Keyway writes are not pre-encoded', () => {
    assert.equal(looksPreEncoded('scrypt$32768$8$1$abc$def'), false);
    assert.equal(isPreEncoded('scrypt$32768$8$1$abc$def'), false);
  });
});

describe('pre-encoded passwords: {BCRYPT} (PingOne "Password encoding", Bcrypt)', () => {
  // A published vector of the OpenBSD test suite, password "U*U".
  const KNOWN = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';

  test('a known $2a$ vector verifies "U*U" and nothing else', async () => {
    const stored = `{BCRYPT}${KNOWN}`;
    assert.equal(preEncodedProblem(stored), undefined);
    assert.equal(isPreEncoded(stored), true);
    assert.equal(await verifyPreEncoded('U*U', stored), true);
    assert.equal(await verifyPreEncoded('U*V', stored), false);
  });

  for (const version of ['2a', '2b', '2y']) {
    test(`$${version}$ hashes verify their password (UTF-8 bytes) and nothing else`, async () => {
      const hash = bcrypt.hashSync('Pässwörd-1', 4).replace(/^\$2[ab]\$/, `$${version}$`);
      const stored = `{BCRYPT}${hash}`;
      assert.equal(preEncodedProblem(stored), undefined);
      assert.equal(await verifyPreEncoded('Pässwörd-1', stored), true);
      assert.equal(await verifyPreEncoded('Pässwörd-2', stored), false);
      assert.equal(await verifyPreEncoded('Pa\u0308sswo\u0308rd-1', stored), false);
    });
  }

  test('the cost is bounded: 4 to 12 taken, 3 and 13 refused with the bound and never verified', async () => {
    const at = (cost: string) => `{BCRYPT}${KNOWN.replace('$05$', `$${cost}$`)}`;
    assert.equal(preEncodedProblem(at('12')), undefined);
    for (const cost of ['03', '13', '31']) {
      assert.match(preEncodedProblem(at(cost)) ?? '', /cost from 4 to 12/);
      assert.equal(isPreEncoded(at(cost)), false);
      assert.equal(await verifyPreEncoded('U*U', at(cost)), false);
    }
  });
});

describe('pre-encoded passwords: PBKDF2 (RFC 8018 §5.2) in LDAP form', () => {
  const salt = Buffer.from('0123456789abcdef');

  test('RFC 6070 vector (HMAC-SHA-1, 4096 iterations) verifies as {PBKDF2}', async () => {
    // RFC 6070 §2: P = "password", S = "salt", c = 4096, dkLen = 20.
    const key = Buffer.from('4b007901b765489abead49d926f721d065a429c1', 'hex');
    const stored = `{PBKDF2}4096$${ab64(Buffer.from('salt'))}$${ab64(key)}`;
    assert.equal(preEncodedProblem(stored), undefined);
    assert.equal(await verifyPreEncoded('password', stored), true);
    assert.equal(await verifyPreEncoded('passwort', stored), false);
  });

  for (const [scheme, digest, bytes] of [['PBKDF2', 'sha1', 20], ['PBKDF2-SHA1', 'sha1', 20], ['PBKDF2-SHA256', 'sha256', 32], ['PBKDF2-SHA512', 'sha512', 64]] as const) {
    test(`{${scheme}} verifies its password (UTF-8 bytes, not normalised) and nothing else`, async () => {
      const stored = pbkdf2(scheme, digest, 'Pässwörd-1', 1000, salt, bytes);
      assert.equal(preEncodedProblem(stored), undefined);
      assert.equal(isPreEncoded(stored), true);
      assert.equal(await verifyPreEncoded('Pässwörd-1', stored), true);
      assert.equal(await verifyPreEncoded('Pässwörd-2', stored), false);
      assert.equal(await verifyPreEncoded('Pa\u0308sswo\u0308rd-1', stored), false);
    });
  }

  test('a salt with `.` (adapted base64 for `+`) verifies, and so does the name in lower case', async () => {
    const dotted = Buffer.from([0xfb, 0xef, 0xbe, 0xfb, 0xef, 0xbe]);
    const stored = pbkdf2('pbkdf2-sha256', 'sha256', 'x', 10, dotted, 32);
    assert.ok(stored.split('$')[1]?.includes('.'));
    assert.equal(await verifyPreEncoded('x', stored), true);
  });

  test('iterations are bounded per digest (OWASP figures): one more is refused with the bound and never verified', async () => {
    assert.equal(preEncodedProblem('{PBKDF2-SHA512}210000$c2FsdA$' + ab64(Buffer.alloc(64))), undefined);
    for (const [scheme, max, bytes] of [['PBKDF2', 1_300_000, 20], ['PBKDF2-SHA256', 600_000, 32], ['PBKDF2-SHA512', 210_000, 64]] as const) {
      const over = `{${scheme}}${max + 1}$c2FsdA$${ab64(Buffer.alloc(bytes))}`;
      assert.match(preEncodedProblem(over) ?? '', new RegExp(`at most ${max} iterations`));
      assert.equal(isPreEncoded(over), false);
      assert.equal(await verifyPreEncoded('x', over), false);
    }
  });

  for (const [what, value] of [
    ['no iterations', `{PBKDF2-SHA256}$c2FsdA$${ab64(Buffer.alloc(32))}`],
    ['zero iterations', `{PBKDF2-SHA256}0$c2FsdA$${ab64(Buffer.alloc(32))}`],
    ['a key longer than the digest', `{PBKDF2-SHA256}1000$c2FsdA$${ab64(Buffer.alloc(33))}`],
    ['a key under 16 bytes', `{PBKDF2-SHA256}1000$c2FsdA$${ab64(Buffer.alloc(15))}`],
    ['a salt over 64 bytes', `{PBKDF2-SHA256}1000$${ab64(Buffer.alloc(65))}$${ab64(Buffer.alloc(32))}`],
    ['one base64 block (not the LDAP form)', '{PBKDF2}AAAAAQAAABAAAAAAAAAAAAAAAAAAAAAA'],
  ] as const) {
    test(`${what} is refused with a reason and never verifies`, async () => {
      assert.match(preEncodedProblem(value) ?? '', /PBKDF2/);
      assert.equal(await verifyPreEncoded('x', value), false);
    });
  }
});

describe('pre-encoded passwords: what is refused', () => {
  for (const [what, value, reason] of [
    ['no salt', `{SSHA512}${createHash('sha512').update('x').digest('base64')}`, /SSHA512/],
    ['a salt over 64 bytes', encode('SSHA', 'sha1', 'x', Buffer.alloc(65, 1)), /SSHA/],
    ['base64url characters', encode('SSHA256', 'sha256', 'x', Buffer.from([0xfb, 0xff, 0xfe, 0xfb])).replace(/\+/g, '-').replace(/\//g, '_'), /SSHA256/],
    ['a bcrypt hash without its 53 characters', '{BCRYPT}$2b$10$abc', /BCRYPT/],
    ['a bcrypt hash of another version', '{BCRYPT}$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', /BCRYPT/],
    ['{SCRYPT}', '{SCRYPT}AAAA', /SSHA.*BCRYPT.*PBKDF2-SHA256/],
    ['{ARGON2}', '{ARGON2}AAAA', /SSHA.*BCRYPT.*PBKDF2-SHA256/],
  ] as const) {
    test(`${what} is refused with a reason and never verifies`, async () => {
      assert.equal(looksPreEncoded(value), true);
      assert.match(preEncodedProblem(value) ?? '', reason);
      assert.equal(isPreEncoded(value), false);
      assert.equal(await verifyPreEncoded('x', value), false);
    });
  }
});
