/**
 * The scrypt password hash (src/management/users/password-hash.ts): the stored format
 * `scrypt$N$r$p$salt$hash`, what it decodes to, verification, and refusal of malformed or
 * oversized parameters.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, KEY_BYTES, parseHash, SALT_BYTES, SCRYPT_PARAMS, unmatchableHash, verifyPassword } from '../../../src/management/users/password-hash.js';

const PASSWORD = 'Correct-Horse-7';
const FORMAT = /^scrypt\$32768\$8\$1\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

/** A stored value built by hand with `node:crypto`, independent of the module under test. */
function handMade(password: string, N: number, r: number, p: number, saltBytes = 16, keyBytes = 32): string {
  const salt = randomBytes(saltBytes);
  const key = scryptSync(password, salt, keyBytes, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

describe('hashPassword', () => {
  test('writes scrypt$32768$8$1$<16-byte salt>$<32-byte key>, base64url without padding', async () => {
    assert.deepEqual(SCRYPT_PARAMS, { N: 32768, r: 8, p: 1 });
    assert.equal(SALT_BYTES, 16);
    assert.equal(KEY_BYTES, 32);
    const stored = await hashPassword(PASSWORD);
    const match = FORMAT.exec(stored);
    assert.ok(match, stored);
    assert.ok(!stored.includes(PASSWORD));
    const salt = Buffer.from(match[1]!, 'base64url');
    const key = Buffer.from(match[2]!, 'base64url');
    assert.equal(salt.length, 16);
    assert.equal(key.length, 32);
    const expected = scryptSync(PASSWORD, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    assert.ok(key.equals(expected), 'the key is scrypt(password, salt) with the stated parameters');
  });

  test('uses a fresh salt each time', async () => {
    const [one, two] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    assert.notEqual(one, two);
    assert.notEqual(one.split('$')[4], two.split('$')[4]);
  });
});

describe('verifyPassword', () => {
  test('accepts the password and refuses any other, including another case', async () => {
    const stored = await hashPassword(PASSWORD);
    assert.equal(await verifyPassword(PASSWORD, stored), true);
    assert.equal(await verifyPassword('correct-horse-7', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  test('normalises to NFKC first: compatibility forms of one password match', async () => {
    const stored = await hashPassword('Pa55-\uFB01sh');
    assert.equal(await verifyPassword('Pa55-fish', stored), true);
  });

  test('reads the parameters from the stored value (hashes made with other settings still verify)', async () => {
    const older = handMade(PASSWORD, 2 ** 14, 8, 1);
    assert.equal(await verifyPassword(PASSWORD, older), true);
    assert.equal(await verifyPassword('Other-Horse-7', older), false);
  });

  test('a malformed stored value verifies nothing and does not throw', async () => {
    for (const stored of ['', 'plain', `bcrypt$10$${'a'.repeat(22)}$${'b'.repeat(43)}`, 'scrypt$32768$8$1$$']) {
      assert.equal(await verifyPassword(PASSWORD, stored), false, stored);
    }
  });

  test('an unmatchable hash is well-formed and matches no password', async () => {
    const stored = unmatchableHash();
    assert.match(stored, FORMAT);
    assert.ok(parseHash(stored));
    assert.equal(await verifyPassword(PASSWORD, stored), false);
    assert.notEqual(unmatchableHash(), stored);
  });
});

describe('parseHash', () => {
  const salt = Buffer.alloc(16, 1).toString('base64url');
  const key = Buffer.alloc(32, 2).toString('base64url');
  test('reads N, r, p, salt and key', () => {
    const parsed = parseHash(`scrypt$16384$8$2$${salt}$${key}`);
    assert.deepEqual(
      parsed && { N: parsed.N, r: parsed.r, p: parsed.p, salt: parsed.salt.length, key: parsed.key.length },
      { N: 16384, r: 8, p: 2, salt: 16, key: 32 },
    );
  });

  const refused: Array<[string, string]> = [
    ['another algorithm', `argon2$32768$8$1$${salt}$${key}`],
    ['a missing part', `scrypt$32768$8$${salt}$${key}`],
    ['N not a power of two', `scrypt$30000$8$1$${salt}$${key}`],
    ['N over 2^17 (costly to check)', `scrypt$262144$8$1$${salt}$${key}`],
    ['r of 0', `scrypt$32768$0$1$${salt}$${key}`],
    ['r over 16', `scrypt$32768$17$1$${salt}$${key}`],
    ['p over 4', `scrypt$32768$8$5$${salt}$${key}`],
    ['a non-numeric parameter', `scrypt$0x8000$8$1$${salt}$${key}`],
    ['a salt under 16 bytes', `scrypt$32768$8$1$${Buffer.alloc(8).toString('base64url')}$${key}`],
    ['a key over 64 bytes', `scrypt$32768$8$1$${salt}$${Buffer.alloc(65).toString('base64url')}`],
  ];
  for (const [what, stored] of refused) {
    test(`refuses ${what}`, () => assert.equal(parseHash(stored), undefined));
  }
});
