/** A user's password as stored: its hash only. */
export interface UserPassword {
  /** `scrypt$N$r$p$salt$hash` (src/management/users/password-hash.ts); never sent to anyone. */
  hash: string;
  /** The user must choose a new password at the next sign-on. */
  forceChange: boolean;
  changedAt: string;
}
