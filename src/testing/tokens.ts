/**
 * Token requests to an environment's token endpoint (RFC 6749 §3.2): the request with the
 * client's authentication, and the successful response (§5.1) or the error (§5.2) as an
 * OAuthResponseError.
 */
import { authenticateClient, type ClientCredentials } from './client-auth.js';
import { OAuthResponseError } from './errors.js';
import { formBody, send } from './http.js';

/** RFC 6749 §5.1, with OpenID Connect Core §3.1.3.3's `id_token`. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
  [member: string]: unknown;
}

export interface ClientCredentialsTokenOptions extends ClientCredentials {
  envId: string;
  /** Space-separated scopes; default: none (the application's granted scopes decide). */
  scope?: string;
  /** More form parameters of the request. */
  params?: Record<string, string>;
}

/** RFC 6749 §4.4: `grant_type=client_credentials`. */
export function clientCredentialsToken(issuer: string, options: ClientCredentialsTokenOptions): Promise<TokenResponse> {
  const form = formBody({ ...options.params, grant_type: 'client_credentials', scope: options.scope });
  return tokenRequest(issuer, options.envId, options, form);
}

/** POSTs `form` to `{issuer}/token`, authenticated as `credentials`; the §5.1 response or a thrown §5.2 error. */
export async function tokenRequest(issuer: string, envId: string, credentials: ClientCredentials, form: URLSearchParams): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  await authenticateClient(issuer, envId, credentials, form, headers);
  const url = `${issuer}/token`;
  const answer = await send(url, { method: 'POST', headers, body: form.toString() });
  if (answer.status !== 200 || !isTokenResponse(answer.body)) throw new OAuthResponseError(url, answer.status, answer.body);
  return answer.body;
}

function isTokenResponse(body: unknown): body is TokenResponse {
  return typeof body === 'object' && body !== null && typeof (body as Record<string, unknown>).access_token === 'string';
}
