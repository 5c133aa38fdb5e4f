/**
 * The master key encrypts secrets at rest (client secrets, environment private keys) with
 * AES-256-GCM. It comes from KEYWAY_MASTER_KEY or from a 0600 file in the data directory that
 * the first start creates.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMasterKeyText } from '../config/master-key-text.js';

const KEY_FILE = 'master.key';
const VERSION = 'v1';

export interface Sealer {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export class MasterKeyError extends Error {}

/** Decodes a 32-byte key given as base64, base64url or hex. */
export function decodeMasterKey(raw: string): Buffer {
  const key = decodeMasterKeyText(raw);
  if (!key) throw new MasterKeyError('the master key must encode exactly 32 bytes (base64 or hex)');
  return key;
}

/** The key from KEYWAY_MASTER_KEY (decoded by the configuration), or the key file, created on first start. */
export function loadMasterKey(dataDir: string, fromEnv?: Buffer): Buffer {
  if (fromEnv) return fromEnv;
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // 'wx' fails if another process created it first; then we read theirs.
    try {
      writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return decodeMasterKey(readFileSync(path, 'utf8'));
}

/** AES-256-GCM with a random 96-bit nonce; output `v1.<nonce>.<ciphertext>.<tag>` in base64url. */
export function createSealer(key: Buffer): Sealer {
  return {
    seal(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, nonce.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, nonce, body, tag] = sealed.split('.');
      if (version !== VERSION || nonce === undefined || body === undefined || tag === undefined) {
        throw new MasterKeyError('unrecognised sealed value');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
