/** Consecutive failed sign-ins and the lock they caused. */
export interface SignInState {
  failedAttempts: number;
  /** Set while (or after) a lock; the account is locked while this is later than now. */
  lockedUntil?: string;
}
