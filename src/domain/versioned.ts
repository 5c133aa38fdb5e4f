/**
 * Timestamps and the optimistic-concurrency version that stored records carry.
 */

export interface Timestamps {
  /** ISO-8601 with milliseconds and `Z`. */
  createdAt: string;
  updatedAt: string;
}

/** Optimistic-concurrency version, bumped by every successful update; exposed as the ETag. */
export interface Versioned extends Timestamps {
  version: number;
}
