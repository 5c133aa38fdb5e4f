/**
 * The protocol's TokenRevocations over the store (instants as ISO-8601 strings there).
 */
import type { TokenRevocations } from '../../protocol/tokens/ports.js';
import type { ClientAuthStore } from '../../store/types.js';

export function tokenRevocations(store: Pick<ClientAuthStore, 'revokeToken' | 'isTokenRevoked'>): TokenRevocations {
  return {
    revoke: (environmentId, jti, expiresAt) => store.revokeToken(environmentId, jti, expiresAt.toISOString()),
    isRevoked: (environmentId, jti) => store.isTokenRevoked(environmentId, jti),
  };
}
