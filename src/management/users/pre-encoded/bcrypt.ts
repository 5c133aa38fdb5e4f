/**
 * `{BCRYPT}`: PingOne's identifier prepended to the OpenBSD form of a bcrypt hash,
 * `{BCRYPT}$2b$10$` then 22 characters of salt and 31 of hash in bcrypt's own base64 alphabet
 * (PingOne's "Password encoding" reference, section "Bcrypt"). `$2a$`, `$2b$` and `$2y$` are
 * accepted: they name fixes to C implementations' handling of the password bytes, and compute
 * the same hash for any password a directory would have stored.
 *
 * node:crypto has no bcrypt, so the check uses `bcryptjs` (pure JavaScript, no native build), whose
 * `compare` yields to the event loop while it runs and compares in constant time.
 */
import bcrypt from 'bcryptjs';
import type { PreEncodedScheme } from './scheme.js';

const FORM = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** bcrypt's own lower limit (2^4 rounds). */
const MIN_COST = 4;
/**
 * Each step of cost doubles the work, and a mismatch is paid on every failed sign-in until the
 * first success replaces the hash. In pure JavaScript cost 12 already takes most of a second on a
 * small host (cost 14 four times that), so a hostile or careless import above 12 could make
 * every sign-in of its user cost seconds of the event loop's share of CPU. Exports from common
 * frameworks use 10 to 12.
 */
export const MAX_BCRYPT_COST = 12;

function cost(body: string): number | undefined {
  const digits = FORM.exec(body)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

export const bcryptScheme: PreEncodedScheme = {
  names: ['BCRYPT'],
  problem: (_name, body) => {
    const rounds = cost(body);
    if (rounds === undefined) return 'A pre-encoded {BCRYPT} password must be {BCRYPT}$2a$, $2b$ or $2y$, a two-digit cost, $, and 53 characters of salt and hash.';
    if (rounds < MIN_COST || rounds > MAX_BCRYPT_COST) return `A pre-encoded {BCRYPT} password must have a cost from ${MIN_COST} to ${MAX_BCRYPT_COST}.`;
    return undefined;
  },
  verify: async (password, _name, body) => {
    const rounds = cost(body);
    if (rounds === undefined || rounds < MIN_COST || rounds > MAX_BCRYPT_COST) return false;
    return bcrypt.compare(password, body);
  },
};
