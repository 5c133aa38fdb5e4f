/**
 * The management API's view of the `jwksUrl` cache: read what is cached, or fetch now.
 */
import type { JwksCacheAdmin } from '../../management/ports.js';
import type { ClientDirectory } from '../../protocol/client-auth/ports.js';
import type { RemoteJwks, RemoteJwksSnapshot } from './remote-jwks.js';

export function jwksCacheAdmin(directory: ClientDirectory, remote: Pick<RemoteJwks, 'snapshot' | 'refresh'>): JwksCacheAdmin {
  const jwksUrlOf = async (environmentId: string, applicationId: string): Promise<string | undefined> =>
    (await directory.find(environmentId, applicationId))?.client.jwksUrl;
  return {
    async read(environmentId, applicationId) {
      const jwksUrl = await jwksUrlOf(environmentId, applicationId);
      if (jwksUrl === undefined) return undefined;
      return toBody(remote.snapshot(environmentId, applicationId) ?? { jwksUrl, keys: [] });
    },
    async refresh(environmentId, applicationId) {
      const jwksUrl = await jwksUrlOf(environmentId, applicationId);
      if (jwksUrl === undefined) return undefined;
      const snapshot = await remote.refresh(environmentId, applicationId, { jwksUrl });
      return snapshot ? toBody(snapshot) : undefined;
    },
  };
}

function toBody(s: RemoteJwksSnapshot): Record<string, unknown> {
  const body: Record<string, unknown> = { jwksUrl: s.jwksUrl, keys: s.keys };
  if (s.fetchedAt) body.fetchedAt = s.fetchedAt.toISOString();
  if (s.expiresAt) body.expiresAt = s.expiresAt.toISOString();
  if (s.lastAttemptAt) body.lastAttemptAt = s.lastAttemptAt.toISOString();
  if (s.lastError !== undefined) body.lastError = s.lastError;
  return body;
}
