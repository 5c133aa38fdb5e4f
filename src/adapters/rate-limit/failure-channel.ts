/**
 * How processes share their failed-authentication counts: each failure a process counts is sent
 * to the others, which count it too. Only failures travel, so a request that authenticates costs
 * no message. src/cli/failure-relay.ts carries them between the node:cluster workers of one
 * `keyway start` (KEYWAY_WORKERS) through their primary; ./broadcast-failures.ts between the
 * instances on one PostgreSQL database.
 */
export interface FailureChannel {
  /** Tells the other processes that `key` failed in their counter named `counter`. */
  send(counter: string, key: string): void;
  /** Calls `receive` for each failure another process announces in the counter `counter`. */
  listen(counter: string, receive: (key: string) => void): void;
}

/** Counter names are Keyway's own; keys are an environment id, an address and a cut client id. */
const MAX_COUNTER_CHARS = 64;
const MAX_KEY_CHARS = 512;

/** A failure another process may announce: two strings, each within its bound. */
export function isSharedFailure(counter: unknown, key: unknown): boolean {
  return typeof counter === 'string' && counter.length <= MAX_COUNTER_CHARS && typeof key === 'string' && key.length <= MAX_KEY_CHARS;
}
