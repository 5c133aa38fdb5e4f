import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { InvalidRequest } from '../../../src/protocol/errors.js';
import { checkPkce } from '../../../src/protocol/sign-in/pkce.js';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const S256 = createHash('sha256').update(verifier).digest('base64url');

describe('RFC 7636 §4 under pkceEnforcement', () => {
  const matrix = [
    // enforcement, auth method, challenge, method, expected
    ['OPTIONAL', 'CLIENT_SECRET_BASIC', undefined, undefined, 'ok'],
    ['OPTIONAL', 'CLIENT_SECRET_BASIC', verifier, 'plain', 'ok'],
    ['OPTIONAL', 'CLIENT_SECRET_BASIC', S256, 'S256', 'ok'],
    ['OPTIONAL', 'NONE', undefined, undefined, 'error'],
    ['OPTIONAL', 'NONE', S256, 'S256', 'ok'],
    ['REQUIRED', 'PRIVATE_KEY_JWT', undefined, undefined, 'error'],
    ['REQUIRED', 'PRIVATE_KEY_JWT', verifier, 'plain', 'ok'],
    ['REQUIRED', 'PRIVATE_KEY_JWT', verifier, undefined, 'ok'],
    ['S256_REQUIRED', 'PRIVATE_KEY_JWT', verifier, 'plain', 'error'],
    ['S256_REQUIRED', 'PRIVATE_KEY_JWT', verifier, undefined, 'error'],
    ['S256_REQUIRED', 'PRIVATE_KEY_JWT', S256, 'S256', 'ok'],
    ['S256_REQUIRED', 'NONE', undefined, undefined, 'error'],
  ] as const;
  for (const [enforcement, method, challenge, challengeMethod, expected] of matrix) {
    test(`${enforcement} / ${method} / ${challengeMethod ?? (challenge ? 'default plain' : 'no PKCE')} → ${expected}`, () => {
      const run = () => checkPkce(enforcement, method, challenge, challengeMethod);
      if (expected === 'ok') run();
      else assert.throws(run, InvalidRequest);
    });
  }

  test('§4.3: the method defaults to plain', () => {
    assert.deepEqual(checkPkce('OPTIONAL', 'CLIENT_SECRET_BASIC', verifier, undefined), { codeChallenge: verifier, codeChallengeMethod: 'plain' });
  });
  test('§4.2: 43-128 unreserved characters', () => {
    assert.throws(() => checkPkce('OPTIONAL', 'NONE', 'a'.repeat(42), 'plain'), InvalidRequest);
    assert.throws(() => checkPkce('OPTIONAL', 'NONE', 'a'.repeat(129), 'plain'), InvalidRequest);
    assert.throws(() => checkPkce('OPTIONAL', 'NONE', `${'a'.repeat(42)}+`, 'plain'), InvalidRequest);
    checkPkce('OPTIONAL', 'NONE', 'a'.repeat(128), 'plain');
  });
  test('unknown methods and a method without a challenge are refused', () => {
    assert.throws(() => checkPkce('OPTIONAL', 'NONE', S256, 'S512'), InvalidRequest);
    assert.throws(() => checkPkce('OPTIONAL', 'CLIENT_SECRET_BASIC', undefined, 'S256'), InvalidRequest);
  });
});
