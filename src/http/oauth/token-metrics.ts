/**
 * Labels of `keyway_token_requests_total`, read from the request as presented: the `grant_type`
 * parameter when it is one RFC 6749 §4 (or an extension Keyway knows) defines, else `other`; the
 * client authentication method in PingOne's spelling, from the credentials the request carries
 * (OpenID Connect Core §9): HTTP Basic, `client_secret` in the body, or a `client_assertion`
 * whose JWS header names an HMAC algorithm (`CLIENT_SECRET_JWT`) or not (`PRIVATE_KEY_JWT`).
 */
import type { Metrics } from '../../adapters/metrics/metrics.js';
import type { Params } from '../../protocol/params.js';

const GRANT_TYPES = new Set([
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:openid:params:grant-type:ciba',
]);

/** A JWS header this long is not a client assertion's; it is not decoded for a label. */
const MAX_HEADER_CHARS = 1_024;

/**
 * Counts one token request from the parameters the endpoint already parsed (undefined when the
 * body was not a form, or was refused before it could be read as one).
 */
export function countTokenRequest(metrics: Metrics, authorization: string | undefined, params: Params | undefined, error: string): void {
  const grant = params?.get('grant_type');
  const grantType = grant === undefined ? 'none' : GRANT_TYPES.has(grant) ? grant : 'other';
  metrics.tokenRequests.labels(grantType, presentedMethod(authorization, params), error).inc();
}

function presentedMethod(authorization: string | undefined, params: Params | undefined): string {
  const assertion = params?.get('client_assertion');
  if (assertion !== undefined) return assertionMethod(assertion);
  if (authorization !== undefined && /^basic /i.test(authorization)) return 'CLIENT_SECRET_BASIC';
  return params?.has('client_secret') ? 'CLIENT_SECRET_POST' : 'NONE';
}

function assertionMethod(assertion: string): string {
  const end = assertion.indexOf('.');
  if (end <= 0 || end > MAX_HEADER_CHARS) return 'PRIVATE_KEY_JWT';
  try {
    const header = JSON.parse(Buffer.from(assertion.slice(0, end), 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' && header.alg.startsWith('HS') ? 'CLIENT_SECRET_JWT' : 'PRIVATE_KEY_JWT';
  } catch {
    return 'PRIVATE_KEY_JWT';
  }
}
