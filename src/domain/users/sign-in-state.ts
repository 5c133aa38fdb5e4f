/** Consecutive failed sign-ins and the lock they caused. */
export interface SignInState {
  failedAttempts: number;
  /** Set while (or after) a lock; the account is locked while this is later than now. */
  lockedUntil?: string;
}

/**
 * `lockedUntil` of a lock an administrator set (`account.lock+json`): an instant that never comes,
 * so the account stays locked until it is unlocked (PingOne's `UserAccount`: such a lock has no
 * `unlockAt` and does not end by itself).
 */
export const ADMINISTRATIVE_LOCK_UNTIL = '9999-12-31T23:59:59.999Z';
