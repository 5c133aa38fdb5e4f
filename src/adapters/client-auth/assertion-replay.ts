/**
 * The protocol's AssertionReplayStore over the store: one atomic insert-if-absent per
 * (environment, client, jti), shared by every instance on the same database.
 */
import { instantText } from '../../domain/calendar/instant-text.js';
import type { AssertionReplayStore } from '../../protocol/client-auth/ports.js';
import type { ClientAuthStore } from '../../store/types.js';

export function replayStore(store: ClientAuthStore, now: () => Date): AssertionReplayStore {
  return {
    record: (environmentId, clientId, jti, expiresAt) =>
      store.recordAssertionJti(environmentId, clientId, jti, instantText(expiresAt.getTime()), instantText(now().getTime())),
  };
}
