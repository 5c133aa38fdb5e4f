/**
 * Validation of client public keys registered on an application (`jwks`, `jwksUrl`), worded as
 * PingOne error details. The checks themselves are src/jose/'s; this only maps its problems.
 */
import type { ErrorDetail } from '../../domain/pingone-error.js';
import type { ClientPublicKey } from '../../jose/client-public-key.js';
import { checkJwkSetDocument, parseJwkSet, type JwkSetResult } from '../../jose/jwk-set.js';
import { jwksUrlProblems } from '../../jose/jwks-url.js';
import type { JoseProblem } from '../../jose/problem.js';
import { detail } from '../errors.js';

export type JwksValidation = { ok: true; keys: ClientPublicKey[] } | { ok: false; details: ErrorDetail[] };

/** Validates the `jwks` string of an application (never echoes private material). */
export function validateJwksString(raw: string, target = 'jwks'): JwksValidation {
  return asValidation(parseJwkSet(raw, target));
}

/** Validates a JWK Set already parsed from JSON. */
export function validateJwksDocument(doc: unknown, target = 'jwks'): JwksValidation {
  return asValidation(checkJwkSetDocument(doc, target));
}

/** Validates a `jwksUrl` value: https, no credentials, no fragment. Returns the details found. */
export function validateJwksUrl(raw: string, target = 'jwksUrl'): ErrorDetail[] {
  return jwksUrlProblems(raw, target).map(toErrorDetail);
}

function asValidation(result: JwkSetResult): JwksValidation {
  return result.ok ? result : { ok: false, details: result.problems.map(toErrorDetail) };
}

/** INVALID_VALUE, or SIZE_LIMIT_EXCEEDED with the limit as `maximumValue`. */
function toErrorDetail(problem: JoseProblem): ErrorDetail {
  return problem.code === 'TOO_LARGE' ? detail.size(problem.target, problem.message, problem.limit) : detail.invalid(problem.target, problem.message);
}
