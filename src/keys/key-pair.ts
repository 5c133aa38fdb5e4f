/**
 * New key pairs as KeyObjects of their own. Node's key generator hands back KeyObjects that
 * share a lock with the generator's job, and the job takes that lock again when the garbage
 * collector frees it (`~KeyPairGenConfig` in Node's src/crypto/crypto_keygen.h). An export of
 * such a key holds the lock while it allocates (the JWK export sets one property after another),
 * so a collection that frees the job in the middle of an export deadlocks the thread: seen as a
 * process that hung in `ExportJWKEcKey` while a `~KeyGenJob` waited for the same mutex. Here the
 * generator encodes the pair as DER inside its own job, and the pair is imported from those
 * bytes: the imported keys have locks of their own, which no job shares.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** The key types Keyway generates, with the options each takes (no encodings: those are set here). */
export type KeyPairSpec =
  | { type: 'rsa'; modulusLength: number; publicExponent?: number }
  | { type: 'ec'; namedCurve: string }
  | { type: 'ed25519' };

const SPKI = { type: 'spki', format: 'der' } as const;
const PKCS8 = { type: 'pkcs8', format: 'der' } as const;

function imported(pair: { publicKey: Buffer; privateKey: Buffer }): KeyPair {
  return {
    publicKey: createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }),
    privateKey: createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' }),
  };
}

/** Generates on libuv's thread pool. */
export function newKeyPairOf(spec: KeyPairSpec): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: Buffer, privateKey: Buffer): void => {
      if (err) reject(err);
      else resolve(imported({ publicKey, privateKey }));
    };
    if (spec.type === 'rsa') generateKeyPair('rsa', { modulusLength: spec.modulusLength, publicExponent: spec.publicExponent ?? 0x10001, publicKeyEncoding: SPKI, privateKeyEncoding: PKCS8 }, done);
    else if (spec.type === 'ec') generateKeyPair('ec', { namedCurve: spec.namedCurve, publicKeyEncoding: SPKI, privateKeyEncoding: PKCS8 }, done);
    else generateKeyPair('ed25519', { publicKeyEncoding: SPKI, privateKeyEncoding: PKCS8 }, done);
  });
}

/** The same on the calling thread (command-line tools and tests). */
export function newKeyPairSync(spec: KeyPairSpec): KeyPair {
  if (spec.type === 'rsa') {
    return imported(generateKeyPairSync('rsa', { modulusLength: spec.modulusLength, publicExponent: spec.publicExponent ?? 0x10001, publicKeyEncoding: SPKI, privateKeyEncoding: PKCS8 }));
  }
  if (spec.type === 'ec') return imported(generateKeyPairSync('ec', { namedCurve: spec.namedCurve, publicKeyEncoding: SPKI, privateKeyEncoding: PKCS8 }));
  return imported(generateKeyPairSync('ed25519', { publicKeyEncoding: SPKI, privateKeyEncoding: PKCS8 }));
}
