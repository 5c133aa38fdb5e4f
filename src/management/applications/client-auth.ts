/**
 * Client-authentication fields of an application: the registered public keys (`jwks`,
 * `jwksUrl`) and the Keyway extensions `tokenEndpointAuthSigningAlg` and
 * `clientAssertionAudiencePolicy`. Key material is validated by src/jose/ (through
 * `../client-keys/jwks.ts`); nothing here ever puts the submitted `jwks` text into a message.
 */
import type { TokenEndpointAuthMethod } from '../../domain/applications/token-endpoint-auth-method.js';
import { CLIENT_ASSERTION_AUDIENCE_POLICIES, type ClientAssertionAudiencePolicy } from '../../domain/client-auth/audience-policy.js';
import { ASSERTION_ALGORITHMS, keyRequirement, sameAlgorithm } from '../../jose/algorithms.js';
import type { ClientPublicKey } from '../../jose/client-public-key.js';
import { validateJwksString, validateJwksUrl } from '../client-keys/jwks.js';
import { detail } from '../errors.js';
import { textIssue } from '../field-rules.js';
import type { FieldReader } from '../fields.js';
import type { JwksUrlHostPolicy } from '../ports.js';
import { LIMITS } from './defaults.js';

/** The same allow-lists the token endpoint enforces. */
export const PRIVATE_KEY_JWT_ALGS = ASSERTION_ALGORITHMS.PRIVATE_KEY_JWT;
export const CLIENT_SECRET_JWT_ALGS = ASSERTION_ALGORITHMS.CLIENT_SECRET_JWT;

/** The client-authentication fields of an application body, as read and checked. */
export interface ApplicationClientAuthFields {
  jwks?: string;
  jwksUrl?: string;
  tokenEndpointAuthSigningAlg?: string;
  clientAssertionAudiencePolicy?: ClientAssertionAudiencePolicy;
}

const JWT_METHODS: readonly TokenEndpointAuthMethod[] = ['PRIVATE_KEY_JWT', 'CLIENT_SECRET_JWT'];

/**
 * Reads and checks the key and assertion settings. `method` is the effective auth method, or
 * `undefined` when it was invalid (method-dependent rules are then skipped).
 * `hasUploadedCertificates` lets keys registered elsewhere satisfy PRIVATE_KEY_JWT.
 */
export function readClientAuth(
  r: FieldReader,
  method: TokenEndpointAuthMethod | undefined,
  hasUploadedCertificates: boolean,
  jwksUrlHosts?: JwksUrlHostPolicy,
): ApplicationClientAuthFields {
  const keys = readJwks(r);
  const jwksUrl = readJwksUrl(r, jwksUrlHosts);
  requireOneKeySource(r, method, hasUploadedCertificates);
  const alg = readSigningAlg(r, method, keys.parsed);
  const policy = readAudiencePolicy(r, method);
  return compact({ jwks: keys.raw, jwksUrl, tokenEndpointAuthSigningAlg: alg, clientAssertionAudiencePolicy: policy });
}

function readJwks(r: FieldReader): { raw?: string; parsed?: ClientPublicKey[] } {
  const value = r.raw('jwks');
  if (value === undefined) return {};
  if (typeof value !== 'string') {
    r.report(detail.invalid('jwks', 'jwks must be a string holding a JWK Set document, for example JSON.stringify({ keys: [...] }).'));
    return {};
  }
  // Size and content bounds belong to the JWKS validator; only storability is checked here.
  const issue = textIssue('jwks', value, Number.POSITIVE_INFINITY);
  if (issue) {
    r.report(issue);
    return {};
  }
  const result = validateJwksString(value, 'jwks');
  if (!result.ok) {
    result.details.forEach((d) => r.report(d));
    return {};
  }
  // Stored verbatim: never re-serialised (docs/decisions.md, "Client keys are kept as sent").
  return { raw: value, parsed: result.keys };
}

function readJwksUrl(r: FieldReader, hosts: JwksUrlHostPolicy | undefined): string | undefined {
  const value = r.string('jwksUrl', LIMITS.url);
  if (value === undefined) return undefined;
  const details = validateJwksUrl(value, 'jwksUrl');
  details.forEach((d) => r.report(d));
  if (details.length > 0) return undefined;
  // Only a well-formed URL gets here, so its parsed host is the host the fetcher would use.
  const refusal = hosts?.refusal(new URL(value).hostname);
  if (refusal === undefined) return value;
  const message = `jwksUrl names ${article(refusal)} address; Keyway fetches client keys from public addresses only (KEYWAY_FETCH_ALLOW can allow others for local development).`;
  r.report(detail.invalid('jwksUrl', message));
  return undefined;
}

function article(label: string): string {
  return /^[aeiou]/i.test(label) ? `an ${label}` : `a ${label}`;
}

function requireOneKeySource(r: FieldReader, method: TokenEndpointAuthMethod | undefined, hasUploadedCertificates: boolean): void {
  const hasJwks = r.has('jwks');
  const hasJwksUrl = r.has('jwksUrl');
  if (hasJwks && hasJwksUrl) {
    r.report(detail.constraint('jwks', 'jwks and jwksUrl are mutually exclusive; send only one of them.'));
    return;
  }
  if (method === 'PRIVATE_KEY_JWT' && !hasJwks && !hasJwksUrl && !hasUploadedCertificates) {
    r.report({
      code: 'REQUIRED_VALUE',
      target: 'jwks',
      message: 'tokenEndpointAuthMethod PRIVATE_KEY_JWT needs jwks or jwksUrl: register the public keys that verify the client assertions.',
    });
  }
}

function readSigningAlg(
  r: FieldReader,
  method: TokenEndpointAuthMethod | undefined,
  keys: ClientPublicKey[] | undefined,
): string | undefined {
  if (!r.has('tokenEndpointAuthSigningAlg') || method === undefined) {
    return r.string('tokenEndpointAuthSigningAlg', 16);
  }
  const target = 'tokenEndpointAuthSigningAlg';
  if (!JWT_METHODS.includes(method)) {
    r.report(detail.constraint(target, `${target} applies only to PRIVATE_KEY_JWT and CLIENT_SECRET_JWT, not to ${method}.`));
    return undefined;
  }
  if (method === 'CLIENT_SECRET_JWT') return r.enumValue(target, CLIENT_SECRET_JWT_ALGS);
  const alg = r.enumValue(target, PRIVATE_KEY_JWT_ALGS);
  // With no parsed keys (jwksUrl, uploaded certificates) compatibility is checked when keys are fetched.
  if (alg === undefined || !keys || keys.length === 0) return alg;
  if (!keys.some((k) => keyVerifies(k, alg))) {
    r.report(detail.constraint(target, `No key in jwks can verify ${alg} signatures; ${alg} needs ${KEY_NEEDED[alg]}.`));
    return undefined;
  }
  return alg;
}

const KEY_NEEDED: Record<(typeof PRIVATE_KEY_JWT_ALGS)[number], string> = {
  RS256: 'an RSA key',
  RS384: 'an RSA key',
  RS512: 'an RSA key',
  PS256: 'an RSA key',
  PS384: 'an RSA key',
  PS512: 'an RSA key',
  ES256: 'an EC P-256 key',
  ES384: 'an EC P-384 key',
  ES512: 'an EC P-521 key',
  EdDSA: 'an OKP Ed25519 key',
  Ed25519: 'an OKP Ed25519 key',
};

/** Whether a registered key can verify signatures made with `alg` (its own `alg`, if any, must match). */
export function keyVerifies(key: ClientPublicKey, alg: string): boolean {
  if (key.alg !== undefined && !sameAlgorithm(key.alg, alg)) return false;
  if (key.use !== undefined && key.use !== 'sig') return false;
  const needed = keyRequirement(alg);
  if (needed === undefined || key.kty !== needed.kty) return false;
  return needed.kty === 'RSA' || key.crv === needed.crv;
}

function readAudiencePolicy(r: FieldReader, method: TokenEndpointAuthMethod | undefined): ClientAssertionAudiencePolicy | undefined {
  const target = 'clientAssertionAudiencePolicy';
  const policy = r.enumValue(target, CLIENT_ASSERTION_AUDIENCE_POLICIES);
  if (policy === undefined || method === undefined || JWT_METHODS.includes(method)) return policy;
  r.report(detail.constraint(target, `${target} applies only to PRIVATE_KEY_JWT and CLIENT_SECRET_JWT, not to ${method}.`));
  return undefined;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
