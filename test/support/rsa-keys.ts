/**
 * RSA 2048 key pairs for tests. Generating one costs 100 ms to a second of CPU, and some files
 * need several (one per RS/PS algorithm, module-level fixtures, the signing key of each
 * environment created in-process), so they come from a fixed set generated once
 * (test/fixtures/keys/rsa-2048.pem, test-only keys). Within one process each call returns a pair
 * no earlier call returned; once the set is used up, new pairs are generated.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { newKeyPairSync } from '../../src/keys/key-pair.js';

const PEMS = readFileSync(new URL('../fixtures/keys/rsa-2048.pem', import.meta.url), 'utf8').match(
  /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/g,
) ?? [];
let handedOut = 0;

/** A key pair unused so far in this process, as `newKeyPairSync({ type: 'rsa', modulusLength: 2048 })` returns. */
export function rsaKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  const pem = PEMS[handedOut++];
  if (pem === undefined) return newKeyPairSync({ type: 'rsa', modulusLength: 2048 });
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
