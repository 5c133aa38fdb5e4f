/**
 * What runs on the key operation threads (docs/decisions.md, "The token endpoint's hot path"):
 * a client assertion's ECDSA signature is checked there and an RSA one on the event loop
 * (src/protocol/client-auth/assertion-signature.ts); an ES256 token is signed there and an RSA
 * one on libuv's pool (src/jose/jwt.ts). When the threads cannot run a check, the answer is
 * `temporarily_unavailable` (RFC 6749 §4.1.2.1), not `invalid_client`: the client's signature
 * was never judged, so its failure must not be counted against it. This file closes the
 * process's shared threads, so it runs in a process of its own.
 */
import { strict as assert } from 'node:assert';
import { sign } from 'node:crypto';
import { describe, test } from 'node:test';
import { signJwtAsync } from '../../../src/jose/jwt.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';
import { verifyAssertionSignature } from '../../../src/protocol/client-auth/assertion-signature.js';
import { InvalidClient, TemporarilyUnavailable } from '../../../src/protocol/errors.js';
import { KeyThreadsUnavailable, keyThreads } from '../../../src/threads/key-operations.js';

function signed(alg: 'ES256' | 'RS256', privateKey: import('node:crypto').KeyObject): { compact: string; signature: Buffer } {
  const input = `${Buffer.from(JSON.stringify({ alg })).toString('base64url')}.${Buffer.from('{"iss":"c"}').toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
  return { compact: `${input}.${signature.toString('base64url')}`, signature };
}

describe('assertion signature checks and the key operation threads', () => {
  const ec = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
  const rsa = newKeyPairSync({ type: 'rsa', modulusLength: 2048 });
  const es = signed('ES256', ec.privateKey);
  const rs = signed('RS256', rsa.privateKey);

  test('ES256 and RS256 signatures verify; a wrong key is invalid_client (RFC 7523 §3 item 9)', async () => {
    await verifyAssertionSignature(es, [{ key: ec.publicKey, label: () => 'key 1' }], 'ES256');
    await verifyAssertionSignature(rs, [{ key: rsa.publicKey, label: () => 'key 1' }], 'RS256');
    const other = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
    await assert.rejects(verifyAssertionSignature(es, [{ key: other.publicKey, label: () => 'key 1' }], 'ES256'), InvalidClient);
  });

  test('with the threads gone, an ES256 check answers temporarily_unavailable; RS256, checked on the loop, still verifies', async () => {
    await keyThreads().close();
    await assert.rejects(verifyAssertionSignature(es, [{ key: ec.publicKey, label: () => 'key 1' }], 'ES256'), (err: unknown) => err instanceof TemporarilyUnavailable && !(err instanceof InvalidClient));
    await verifyAssertionSignature(rs, [{ key: rsa.publicKey, label: () => 'key 1' }], 'RS256');
  });

  test('with the threads gone, an ES256 token cannot be signed; an RS256 token, signed on the pool, still is', async () => {
    await keyThreads().close();
    await assert.rejects(signJwtAsync({ alg: 'ES256', kid: 'k' }, {}, ec.privateKey), KeyThreadsUnavailable);
    assert.equal((await signJwtAsync({ alg: 'RS256', kid: 'k' }, {}, rsa.privateKey)).split('.').length, 3);
  });
});
