/**
 * One family of pre-encoded passwords (../pre-encoded.ts): the scheme names it answers for, why a
 * value is not one it can verify, and the check itself.
 */
export interface PreEncodedScheme {
  /** The names in braces, upper case (`SSHA256`, `BCRYPT`). */
  readonly names: readonly string[];
  /** Why `body` (the text after `{NAME}`) cannot be verified, or undefined when it can. */
  problem(name: string, body: string): string | undefined;
  /**
   * True when `password` (its UTF-8 bytes, as the exporting directory hashed them; no
   * normalisation) matches `body`, compared in constant time. Called only when `problem` found none.
   */
  verify(password: string, name: string, body: string): Promise<boolean>;
}

/** A salt between 1 and 64 bytes: enough for every directory's default, small enough to bound the input. */
export const MAX_SALT_BYTES = 64;
