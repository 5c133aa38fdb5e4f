/**
 * `#crypto` (PingOne's "Custom library functions", Crypto library): `hmacHexDigest`. The key is
 * an argument of the expression (a literal, or a value of the data model), never a key held by
 * the server. Data and key are at most EXPRESSION_LIMITS.maxStringLength characters, like any
 * string an evaluation builds.
 */
import { createHmac } from 'node:crypto';
import { EvaluationError } from '../errors.js';
import { EXPRESSION_LIMITS } from '../limits.js';
import type { Helper } from './types.js';

/** PingOne's algorithm names (Java's Mac names) and node's digests. */
const HMAC_ALGORITHMS: Readonly<Record<string, string>> = {
  HmacMD5: 'md5',
  HmacSHA1: 'sha1',
  HmacSHA224: 'sha224',
  HmacSHA256: 'sha256',
  HmacSHA384: 'sha384',
  HmacSHA512: 'sha512',
};

export const CRYPTO_HELPERS: Record<string, Helper> = {
  hmacHexDigest: {
    minArgs: 3,
    maxArgs: 3,
    call: ([data, key, algorithm], env) => {
      if (typeof data !== 'string' || typeof key !== 'string') throw new EvaluationError('#crypto.hmacHexDigest takes a string data and key (not null)');
      const digest = typeof algorithm === 'string' && Object.hasOwn(HMAC_ALGORITHMS, algorithm) ? HMAC_ALGORITHMS[algorithm] : undefined;
      if (!digest) throw new EvaluationError(`#crypto.hmacHexDigest takes one of ${Object.keys(HMAC_ALGORITHMS).join(', ')}`);
      if (data.length > EXPRESSION_LIMITS.maxStringLength || key.length > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('#crypto.hmacHexDigest input is too long', true);
      env.step(Math.ceil((data.length + key.length) / 64));
      return createHmac(digest, key).update(data, 'utf8').digest('hex');
    },
  },
};
