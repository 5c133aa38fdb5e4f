/**
 * Request parameters of form-encoded OAuth endpoints. RFC 6749 §3.1 / §3.2: parameters sent
 * without a value are treated as omitted, and request parameters MUST NOT be included more than
 * once.
 */
import { InvalidRequest } from './errors.js';

export type Params = ReadonlyMap<string, string>;

const MAX_PARAMS = 64;
const MAX_VALUE_LENGTH = 16_384;

/**
 * Turns decoded name/value pairs into a map, rejecting repeats and oversized input. The errors
 * name no parameter: names are request input too, and a description never repeats input
 * (OAuthError in ./errors.ts).
 */
export function toParams(pairs: Iterable<[string, string]>): Params {
  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of pairs) {
    if (seen.size >= MAX_PARAMS) throw new InvalidRequest('too many parameters');
    if (value.length > MAX_VALUE_LENGTH) throw new InvalidRequest('a parameter value is too long');
    if (seen.has(name)) throw new InvalidRequest('a parameter is repeated; request parameters must not be included more than once');
    seen.add(name);
    if (value !== '') params.set(name, value);
  }
  return params;
}

/** `name` is the caller's constant, never request input, so the description may name it. */
export function requireParam(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new InvalidRequest(`missing required parameter ${name}`);
  return value;
}
