/**
 * Pre-encoded passwords (src/management/users/pre-encoded.ts), the schemes of PingOne's "Password
 * encoding" reference Keyway verifies: salted SHA in LDAP userPassword syntax,
 * `{SCHEME}base64(digest ‖ salt)`; `{BCRYPT}` with the OpenBSD form; PBKDF2 (RFC 8018 §5.2) in
 * the LDAP form `{PBKDF2-SHA256}<iterations>$<salt>$<key>` and in PingOne's single base64 block;
 * `{MSKCC_PBKDF2}` (ASP.NET Core Identity's layouts); `{SCRYPT}` and `{SCRYPT_RFC7914}`;
 * `{ARGON2}`. Vectors are published ones (RFC 6070, RFC 7914 §12, the Argon2 reference
 * implementation's) or made here with an independent implementation (node:crypto, bcryptjs).
 */
import { strict as assert } from 'node:assert';
import { createHash, pbkdf2Sync, scryptSync } from 'node:crypto';
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
  ] as const) {
    test(`${what} is refused with a reason and never verifies`, async () => {
      assert.match(preEncodedProblem(value) ?? '', /PBKDF2/);
      assert.equal(await verifyPreEncoded('x', value), false);
    });
  }
});

/** PingOne's `{PBKDF2}` block: version ‖ salt length ‖ salt ‖ iterations (4 bytes BE) ‖ key. */
function pingOnePbkdf2(password: string, salt: Buffer, iterations: number, keyBytes = 32, version = 1): string {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(iterations);
  const key = pbkdf2Sync(password, salt, iterations, keyBytes, 'sha256');
  return `{PBKDF2}${Buffer.concat([Buffer.from([version, salt.length]), salt, count, key]).toString('base64')}`;
}

describe("pre-encoded passwords: {PBKDF2} in PingOne's layout (one base64 block)", () => {
  const salt = Buffer.from('0123456789abcdef');

  test('verifies its password (HMAC-SHA-256, computed here with node:crypto) and nothing else', async () => {
    const stored = pingOnePbkdf2('Pässwörd-1', salt, 1000);
    assert.equal(preEncodedProblem(stored), undefined);
    assert.equal(isPreEncoded(stored), true);
    assert.equal(await verifyPreEncoded('Pässwörd-1', stored), true);
    assert.equal(await verifyPreEncoded('Pässwörd-2', stored), false);
  });

  test('padding may be left out', async () => {
    const stored = pingOnePbkdf2('x', Buffer.from('0123456789abcde'), 1000).replace(/=+$/, '');
    assert.equal(await verifyPreEncoded('x', stored), true);
  });

  for (const [what, value, reason] of [
    ['another version', pingOnePbkdf2('x', salt, 1000, 32, 2), /version 0x01/],
    ['iterations over 600,000', pingOnePbkdf2('x', salt, 600_001, 32), /1 to 600000 iterations/],
    ['zero iterations', `{PBKDF2}${Buffer.concat([Buffer.from([1, 16]), salt, Buffer.alloc(4), Buffer.alloc(32)]).toString('base64')}`, /1 to 600000/],
    ['a key under 16 bytes', pingOnePbkdf2('x', salt, 10, 15), /derived key of 16 to 32/],
    ['a key over 32 bytes', pingOnePbkdf2('x', salt, 10, 33), /derived key of 16 to 32/],
    ['a salt length beyond the block', `{PBKDF2}${Buffer.from([1, 200, 1, 2, 3]).toString('base64')}`, /PingOne's layout/],
    ['text that is not base64', '{PBKDF2}not base64!', /PingOne's layout/],
  ] as const) {
    test(`${what} is refused with the reason and never verifies`, async () => {
      assert.match(preEncodedProblem(value) ?? '', reason);
      assert.equal(await verifyPreEncoded('x', value), false);
    });
  }
});

/** ASP.NET Core Identity's version 3 hash: 0x01 ‖ PRF ‖ iterations ‖ salt length ‖ salt ‖ subkey. */
function aspNetV3(password: string, prf: number, iterations: number, salt: Buffer, keyBytes = 32): string {
  const digest = ['sha1', 'sha256', 'sha512'][prf] ?? 'sha256';
  const header = Buffer.alloc(13);
  header.writeUInt8(1, 0);
  header.writeUInt32BE(prf, 1);
  header.writeUInt32BE(iterations, 5);
  header.writeUInt32BE(salt.length, 9);
  return `{MSKCC_PBKDF2}${Buffer.concat([header, salt, pbkdf2Sync(password, salt, iterations, keyBytes, digest)]).toString('base64')}`;
}

describe('pre-encoded passwords: {MSKCC_PBKDF2} (ASP.NET Core Identity layouts)', () => {
  const salt = Buffer.alloc(16, 7);

  for (const [prf, name] of [[0, 'HMAC-SHA-1'], [1, 'HMAC-SHA-256'], [2, 'HMAC-SHA-512']] as const) {
    test(`version 3 with PRF ${prf} (${name}) verifies its password and nothing else`, async () => {
      const stored = aspNetV3('Pässwörd-1', prf, 1000, salt);
      assert.equal(preEncodedProblem(stored), undefined);
      assert.equal(await verifyPreEncoded('Pässwörd-1', stored), true);
      assert.equal(await verifyPreEncoded('Pässwörd-2', stored), false);
    });
  }

  test('version 2 (HMAC-SHA-1, 1000 iterations, 16-byte salt, 32-byte subkey) verifies', async () => {
    const stored = `{MSKCC_PBKDF2}${Buffer.concat([Buffer.from([0]), salt, pbkdf2Sync('pw', salt, 1000, 32, 'sha1')]).toString('base64')}`;
    assert.equal(preEncodedProblem(stored), undefined);
    assert.equal(await verifyPreEncoded('pw', stored), true);
    assert.equal(await verifyPreEncoded('pW', stored), false);
  });

  for (const [what, value, reason] of [
    ['iterations over the SHA-512 bound', aspNetV3('x', 2, 210_001, salt), /1 to 210000 iterations/],
    ['a 64-byte SHA-1 subkey at 400,000 iterations (4 blocks: 1,600,000)', aspNetV3('x', 0, 400_000, salt, 64), /1 to 1300000 iterations per 20-byte block/],
    ['a salt over 64 bytes', aspNetV3('x', 1, 10, Buffer.alloc(65)), /ASP.NET Core Identity/],
    ['another version byte', `{MSKCC_PBKDF2}${Buffer.from([2, 0, 0, 0, 1]).toString('base64')}`, /ASP.NET Core Identity/],
  ] as const) {
    test(`${what} is refused with the reason and never verifies`, async () => {
      assert.match(preEncodedProblem(value) ?? '', reason);
      assert.equal(await verifyPreEncoded('x', value), false);
    });
  }

  test('a PRF other than 0, 1, 2 is refused', async () => {
    const bytes = Buffer.from(aspNetV3('x', 1, 10, salt).slice('{MSKCC_PBKDF2}'.length), 'base64');
    bytes.writeUInt32BE(3, 1);
    const value = `{MSKCC_PBKDF2}${bytes.toString('base64')}`;
    assert.match(preEncodedProblem(value) ?? '', /PRF 0/);
    assert.equal(await verifyPreEncoded('x', value), false);
  });
});

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
const lambdaworks = (log2N: number, r: number, p: number, salt: Buffer, key: Buffer) =>
  `{SCRYPT}$s0$${((log2N << 16) | (r << 8) | p).toString(16)}$${salt.toString('base64')}$${key.toString('base64')}`;
const phcScrypt = (log2N: number, r: number, p: number, salt: Buffer, key: Buffer) => `{SCRYPT_RFC7914}$scrypt$ln=${log2N},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;

describe('pre-encoded passwords: {SCRYPT} and {SCRYPT_RFC7914} (RFC 7914)', () => {
  // RFC 7914 §12, second vector: P = "password", S = "NaCl", N = 1024, r = 8, p = 16, dkLen = 64.
  const NACL = Buffer.from('NaCl');
  const RFC_KEY = Buffer.from(
    'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
    'hex',
  );

  test('the RFC 7914 §12 vector verifies in both forms, and nothing else does', async () => {
    for (const stored of [lambdaworks(10, 8, 16, NACL, RFC_KEY), phcScrypt(10, 8, 16, NACL, RFC_KEY)]) {
      assert.equal(preEncodedProblem(stored), undefined, stored);
      assert.equal(await verifyPreEncoded('password', stored), true, stored);
      assert.equal(await verifyPreEncoded('passwore', stored), false, stored);
    }
  });

  test('a hash made here with node:crypto verifies (UTF-8 bytes, not normalised); so does the form base64-encoded as one block', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('Pässwörd-1', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const phc = phcScrypt(14, 8, 1, salt, key);
    const wrapped = `{SCRYPT_RFC7914}${Buffer.from(phc.slice('{SCRYPT_RFC7914}'.length)).toString('base64')}`;
    for (const stored of [lambdaworks(14, 8, 1, salt, key), phc, wrapped]) {
      assert.equal(await verifyPreEncoded('Pässwörd-1', stored), true, stored);
      assert.equal(await verifyPreEncoded('Pa\u0308sswo\u0308rd-1', stored), false, stored);
    }
  });

  for (const [what, value, reason] of [
    ['N·r over 2^19 (N = 2^17, r = 8: 128 MiB)', phcScrypt(17, 8, 1, NACL, RFC_KEY), /N·r of at most 2\^19/],
    ['N·r·p over 2^20', lambdaworks(16, 8, 3, NACL, RFC_KEY), /N·r·p of at most 2\^20/],
    ['an astronomical N (2^255)', lambdaworks(0xff, 1, 1, NACL, RFC_KEY), /at most 2\^19/],
    ['N = 1', phcScrypt(0, 8, 1, NACL, RFC_KEY), /N of at least 2/],
    ['a key under 16 bytes', phcScrypt(10, 8, 1, NACL, Buffer.alloc(15)), /derived key of 16 to 64/],
    ['the PHC form under {SCRYPT}', `{SCRYPT}${phcScrypt(10, 8, 1, NACL, RFC_KEY).slice('{SCRYPT_RFC7914}'.length)}`, /\$s0\$/],
    ['the $s0$ form under {SCRYPT_RFC7914}', `{SCRYPT_RFC7914}${lambdaworks(10, 8, 1, NACL, RFC_KEY).slice('{SCRYPT}'.length)}`, /\$scrypt\$ln=/],
  ] as const) {
    test(`${what} is refused with the reason and never verifies`, async () => {
      assert.match(preEncodedProblem(value) ?? '', reason);
      assert.equal(isPreEncoded(value), false);
      assert.equal(await verifyPreEncoded('password', value), false);
    });
  }
});

describe('pre-encoded passwords: {ARGON2} (RFC 9106, PHC string format)', () => {
  // Vectors of the Argon2 reference implementation's test suite (version 0x13, "password", "somesalt").
  const ARGON2I_64M = '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA';
  const ARGON2I_256K = '$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8';
  const ARGON2ID_64M = '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';

  for (const vector of [ARGON2I_256K, ARGON2I_64M, ARGON2ID_64M]) {
    test(`the reference vector ${vector.slice(0, 30)}… verifies "password" and nothing else`, async () => {
      const stored = `{ARGON2}${vector}`;
      assert.equal(preEncodedProblem(stored), undefined);
      assert.equal(isPreEncoded(stored), true);
      assert.equal(await verifyPreEncoded('password', stored), true);
      assert.equal(await verifyPreEncoded('passwore', stored), false);
    });
  }

  test('an argon2d string built here verifies, and so does a PHC string base64-encoded as one block', async () => {
    const { argon2Tag } = await import('../../../src/management/users/pre-encoded/argon2.js');
    const salt = Buffer.from('0123456789abcdef');
    const tag = Buffer.from(await argon2Tag('Pässwörd-1', { variant: 'argon2d', memory: 1024, passes: 3, lanes: 2, salt, tagLength: 32 }));
    const phc = `$argon2d$v=19$m=1024,t=3,p=2$${b64(salt)}$${b64(tag)}`;
    for (const stored of [`{ARGON2}${phc}`, `{ARGON2}${Buffer.from(phc).toString('base64')}`]) {
      assert.equal(preEncodedProblem(stored), undefined);
      assert.equal(await verifyPreEncoded('Pässwörd-1', stored), true);
      assert.equal(await verifyPreEncoded('Pa\u0308sswo\u0308rd-1', stored), false);
    }
  });

  const at = (params: string, version = 19) => `{ARGON2}$argon2id$v=${version}$${params}$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc`;
  for (const [what, value, reason] of [
    ['memory over 64 MiB', at('m=65537,t=1,p=1'), /at most 65536 KiB/],
    ['m·t over 192 MiB', at('m=65536,t=4,p=1'), /m·t may be at most 196608/],
    ['more than 16 lanes', at('m=65536,t=1,p=17'), /1 to 16 lanes/],
    ['less than 8 KiB per lane', at('m=15,t=1,p=2'), /8 KiB of memory/],
    ['version 16', at('m=256,t=2,p=1', 16), /version 19/],
    ['a salt under 8 bytes', '{ARGON2}$argon2id$v=19$m=256,t=2,p=1$c2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', /salt of 8 to 64/],
    ['no version', '{ARGON2}$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', /\$argon2id\$v=19/],
    ['an unknown variant', '{ARGON2}$argon2x$v=19$m=256,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', /argon2id/],
  ] as const) {
    test(`${what} is refused with the reason and never verifies`, async () => {
      assert.match(preEncodedProblem(value) ?? '', reason);
      assert.equal(isPreEncoded(value), false);
      assert.equal(await verifyPreEncoded('password', value), false);
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
    ['an unknown scheme', '{MD5}X03MO1qnZdYdgyfeuILPmQ==', /SSHA.*BCRYPT.*PBKDF2-SHA256.*MSKCC_PBKDF2.*SCRYPT.*SCRYPT_RFC7914.*ARGON2/],
    ['{CRYPT}', '{CRYPT}$6$salt$hash', /these schemes only/],
  ] as const) {
    test(`${what} is refused with a reason and never verifies`, async () => {
      assert.equal(looksPreEncoded(value), true);
      assert.match(preEncodedProblem(value) ?? '', reason);
      assert.equal(isPreEncoded(value), false);
      assert.equal(await verifyPreEncoded('x', value), false);
    });
  }
});
