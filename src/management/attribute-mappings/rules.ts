/**
 * Rules shared by application attribute mappings and resource attributes: claim names a mapping
 * may not set, and mapping values, compiled when written so that a syntax error, an unknown
 * helper or an unknown attribute root is refused then (README, "Claims and the PingOne
 * expression language").
 */
import { compileMapping, ExpressionSyntaxError } from '../../domain/expressions/index.js';
import type { ErrorDetail } from '../../domain/pingone-error.js';
import { detail } from '../errors.js';

/**
 * Claims the token layer sets (PingOne's reserved names for application attribute mappings and
 * for resource attributes, OpenAPI `ApplicationAttributeMapping.name` and `ResourceAttribute.name`,
 * plus `nbf`, `c_hash` and Keyway's `env`). `sub` is the core mapping's, never a custom one's.
 */
export const RESERVED_CLAIM_NAMES = ['acr', 'amr', 'at_hash', 'aud', 'auth_time', 'azp', 'c_hash', 'client_id', 'env', 'exp', 'iat', 'iss', 'jti', 'nbf', 'nonce', 'org', 'scope', 'sid', 'sub'] as const;


/** The detail for a name a custom mapping may not take, if any. */
export function reservedNameIssue(name: string): ErrorDetail | undefined {
  // Claims are assembled into plain objects, where assigning this name would replace the
  // object's prototype instead of adding a claim.
  if (name === '__proto__') return detail.invalid('name', 'name must not be __proto__.');
  const reserved = (RESERVED_CLAIM_NAMES as readonly string[]).includes(name) || name.toLowerCase().startsWith('p1.');
  if (!reserved) return undefined;
  return detail.invalid('name', `name must not be a reserved claim name: ${RESERVED_CLAIM_NAMES.join(', ')}, or start with p1.`);
}

/** Claim names are at most this long. */
export const NAME_MAX_LENGTH = 256;

/** The detail for a value that does not compile, with the position and what was expected. */
export function valueIssue(value: string): ErrorDetail | undefined {
  try {
    compileMapping(value);
    return undefined;
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return detail.invalid('value', `value is not a valid expression. ${err.message}`);
    throw err;
  }
}
