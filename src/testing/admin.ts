/**
 * The admin WORKER application's management token (client credentials, HTTP Basic), fetched
 * when first asked for and kept until shortly before it expires by the server's clock.
 */
import { clientCredentialsToken } from './tokens.js';

/** A token this close to its expiry is replaced rather than sent. */
const RENEW_BEFORE_MS = 30_000;

export interface AdminClient {
  environmentId: string;
  clientId: string;
  clientSecret: string;
}

export function adminTokenSource(issuer: string, admin: AdminClient, now: () => Date): () => Promise<string> {
  let current: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const issuedAt = now().getTime();
    const response = await clientCredentialsToken(issuer, { envId: admin.environmentId, clientId: admin.clientId, clientSecret: admin.clientSecret });
    current = { token: response.access_token, expiresAt: issuedAt + response.expires_in * 1000 };
    return response.access_token;
  };
  return () => {
    if (current !== undefined && current.expiresAt - now().getTime() > RENEW_BEFORE_MS) return Promise.resolve(current.token);
    // Callers asking at once share one request.
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
