/**
 * Keyway's own JWS (src/jose/jwt.ts): every algorithm it signs with produces a token that the
 * jose library verifies (RFC 7515, RFC 7518 §3.3–§3.5), and verification accepts a token only
 * with a key it is given, by `kid`, in the algorithm that key is published for (RFC 8725 §3.1).
 */
import { strict as assert } from 'node:assert';
import { type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import { compactVerify } from 'jose';
import { signJwtAsync, TOKEN_SIGNING_ALGS, verifyJwt, type TokenSigningAlg, type VerificationKey } from '../../../src/jose/jwt.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

function pairFor(alg: TokenSigningAlg): { publicKey: KeyObject; privateKey: KeyObject } {
  if (alg.startsWith('ES')) return newKeyPairSync({ type: 'ec', namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg as 'ES256'] });
  return newKeyPairSync({ type: 'rsa', modulusLength: 2048 });
}

describe('signJwt / verifyJwt', () => {
  for (const alg of TOKEN_SIGNING_ALGS) {
    test(`${alg}: signed off the event loop, verified by jose and here`, async () => {
      const { publicKey, privateKey } = pairFor(alg);
      const token = await signJwtAsync({ alg, kid: 'k1' }, { sub: 'x' }, privateKey);
      const { protectedHeader } = await compactVerify(token, publicKey, { algorithms: [alg] });
      assert.deepEqual(protectedHeader, { alg, kid: 'k1' });
      assert.deepEqual(verifyJwt(token, new Map([['k1', { key: publicKey, alg }]]))?.payload, { sub: 'x' });
    });
  }

  test('RFC 8725 §3.1: a token whose alg is not the one its key is published for is refused, even when the signature is valid', async () => {
    const { publicKey, privateKey } = pairFor('RS256');
    const ps = await signJwtAsync({ alg: 'PS256', kid: 'k1' }, {}, privateKey);
    const keys = new Map<string, VerificationKey>([['k1', { key: publicKey, alg: 'RS256' }]]);
    assert.equal(verifyJwt(ps, keys), undefined);
    assert.ok(verifyJwt(ps, new Map([['k1', { key: publicKey, alg: 'PS256' }]])));
  });

  test('an unknown kid, a missing kid, a crit header, a tampered payload or a foreign key are refused', async () => {
    const { publicKey, privateKey } = pairFor('ES256');
    const keys = new Map<string, VerificationKey>([['k1', { key: publicKey, alg: 'ES256' }]]);
    const good = await signJwtAsync({ alg: 'ES256', kid: 'k1' }, { sub: 'a' }, privateKey);
    assert.equal(verifyJwt(await signJwtAsync({ alg: 'ES256', kid: 'k2' }, {}, privateKey), keys), undefined);
    assert.equal(verifyJwt(await signJwtAsync({ alg: 'ES256' } as never, {}, privateKey), keys), undefined);
    const [h, , s] = good.split('.');
    assert.equal(verifyJwt(`${h}.${Buffer.from('{"sub":"b"}').toString('base64url')}.${s}`, keys), undefined);
    const crit = await signJwtAsync({ alg: 'ES256', kid: 'k1', crit: ['exp'] } as never, {}, privateKey);
    assert.equal(verifyJwt(crit, keys), undefined);
    const other = pairFor('ES256');
    assert.equal(verifyJwt(good, new Map([['k1', { key: other.publicKey, alg: 'ES256' }]])), undefined);
    assert.ok(verifyJwt(good, keys));
  });
});
