/**
 * The sign-in protocol's PasswordVerifier over the store, with the user-management rules for
 * passwords and lockout (src/management/users/credentials.ts).
 */
import { verifyUserPassword } from '../../management/users/credentials.js';
import type { PasswordVerifier } from '../../protocol/sign-in/ports.js';
import type { Store } from '../../store/types.js';

export function passwordVerifier(store: Store): PasswordVerifier {
  return {
    async verify(environmentId, username, password, now) {
      const result = await verifyUserPassword(store, environmentId, username, password, now);
      return result.ok ? { ok: true, userId: result.user.id } : result;
    },
  };
}
