/**
 * How a helper authenticates an application at the token endpoint (RFC 6749 §2.3): with its
 * secret (HTTP Basic, §2.3.1, or in the form), with a client assertion signed by its key
 * (`private_key_jwt`, RFC 7523 §2.2 and OpenID Connect Core §9), or not at all (a public
 * client, which names itself with `client_id`).
 */
import { DEFAULT_ASSERTION_LIFETIME, MAX_ASSERTION_LIFETIME, signClientAssertion } from '../cli/client-assertion.js';
import { signingClientKey, type PrivateKeyInput } from './client-keys.js';

/** RFC 7521 §4.2: the `client_assertion_type` of a JWT assertion (RFC 7523 §2.2). */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The application's `tokenEndpointAuthMethod` values the helpers can use, in PingOne's spelling. */
export type ClientAuthMethod = 'CLIENT_SECRET_BASIC' | 'CLIENT_SECRET_POST' | 'PRIVATE_KEY_JWT' | 'NONE';

export interface ClientAssertionOptions {
  envId: string;
  clientId: string;
  /** The private key whose public half the application registered (`jwks` or `jwksUrl`). */
  key: PrivateKeyInput;
  /** Default: the key's own (a `generateClientKey` key's, a JWK's `alg`), else the one its type implies (RSA RS256, P-256 ES256, P-384 ES384, P-521 ES512, Ed25519 EdDSA). */
  alg?: string;
  /** Default: the key's own (a `generateClientKey` key's, a JWK's `kid`), else the RFC 7638 thumbprint of the public key. */
  kid?: string;
  /** `aud`; default the environment's issuer, which every audience policy accepts. */
  audience?: string;
  /** Seconds from `iat` to `exp`; default 60, at most 3600. */
  lifetime?: number;
}

/** The credentials a helper authenticates an application with. */
export interface ClientCredentials {
  clientId: string;
  clientSecret?: string;
  /** A private key: authenticate with `private_key_jwt`. */
  key?: PrivateKeyInput;
  alg?: string;
  kid?: string;
  /** Default: PRIVATE_KEY_JWT with a key, CLIENT_SECRET_BASIC with a secret, else NONE. */
  authMethod?: ClientAuthMethod;
}

/** A signed client assertion: iss = sub = the client id, one `aud`, a random `jti`, `iat` and `exp`. */
export async function clientAssertion(issuer: string, options: ClientAssertionOptions): Promise<string> {
  const lifetime = options.lifetime ?? DEFAULT_ASSERTION_LIFETIME;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_ASSERTION_LIFETIME) {
    throw new TypeError(`clientAssertion: lifetime must be an integer from 1 to ${MAX_ASSERTION_LIFETIME}`);
  }
  const key = await signingClientKey(options.key, options.alg, options.kid);
  return signClientAssertion({ ...key, clientId: options.clientId, audience: options.audience ?? issuer, lifetime });
}

/**
 * Adds the client's authentication to a request to one of the issuer's endpoints: a header, or
 * form parameters. `client_id` is always in the form except with HTTP Basic, where the header
 * names the client (RFC 6749 §2.3.1).
 */
export async function authenticateClient(issuer: string, envId: string, credentials: ClientCredentials, form: URLSearchParams, headers: Record<string, string>): Promise<void> {
  const method = authMethodOf(credentials);
  if (method === 'CLIENT_SECRET_BASIC') {
    headers.authorization = basicCredentials(credentials.clientId, requiredSecret(credentials, method));
    return;
  }
  form.set('client_id', credentials.clientId);
  if (method === 'CLIENT_SECRET_POST') form.set('client_secret', requiredSecret(credentials, method));
  if (method === 'PRIVATE_KEY_JWT') {
    if (credentials.key === undefined) throw new TypeError('PRIVATE_KEY_JWT needs key');
    const assertion = await clientAssertion(issuer, { envId, clientId: credentials.clientId, key: credentials.key, alg: credentials.alg, kid: credentials.kid });
    form.set('client_assertion_type', JWT_BEARER_ASSERTION);
    form.set('client_assertion', assertion);
  }
}

function authMethodOf(credentials: ClientCredentials): ClientAuthMethod {
  if (credentials.authMethod !== undefined) return credentials.authMethod;
  if (credentials.key !== undefined) return 'PRIVATE_KEY_JWT';
  return credentials.clientSecret === undefined ? 'NONE' : 'CLIENT_SECRET_BASIC';
}

function requiredSecret(credentials: ClientCredentials, method: ClientAuthMethod): string {
  if (credentials.clientSecret === undefined) throw new TypeError(`${method} needs clientSecret`);
  return credentials.clientSecret;
}

/** RFC 6749 §2.3.1: id and secret form-urlencoded (Appendix B), joined by a colon, in Base64. */
export function basicCredentials(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}
