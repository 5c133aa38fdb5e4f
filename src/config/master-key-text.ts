/**
 * The text form of the master key, as KEYWAY_MASTER_KEY and the key file hold it: 32 bytes in
 * base64, base64url or hex.
 */
import { Buffer } from 'node:buffer';

/** The 32-byte key, or undefined when `raw` does not encode exactly 32 bytes. */
export function decodeMasterKeyText(raw: string): Buffer | undefined {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}
