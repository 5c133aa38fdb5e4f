/**
 * Waiting for another connection's write lock, in steps finer than SQLite's own. SQLite's busy
 * handler (`busy_timeout`) sleeps 1, 2, 5, 10, 15, 20, 25 ms and so on between tries
 * (sqliteDefaultBusyCallback in SQLite's main.c), so a writer that finds the lock taken for a
 * fraction of a millisecond, as the other process's jti commit takes it (README, "Several
 * processes"), waits at least a millisecond, and a few unlucky tries add up to tens of
 * milliseconds. A thread that may block (the jti writer's) tries again after 50 µs instead,
 * doubling to at most 1 ms, within the same 5 s bound as `busy_timeout`.
 */

/** The same bound as the connections' `busy_timeout`. */
export const LOCK_WAIT_MS = 5_000;
const FIRST_PAUSE_MS = 0.05;
const LONGEST_PAUSE_MS = 1;

export interface BusyRetryClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Blocks the thread for `ms` milliseconds. */
  pause(ms: number): void;
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** Real time; the pause blocks the calling thread (never call it on the event loop's thread). */
export const threadClock: BusyRetryClock = {
  now: () => performance.now(),
  pause: (ms) => void Atomics.wait(pauseCell, 0, 0, ms),
};

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY (or a BUSY extended code), pausing
 * between tries; rethrows once `LOCK_WAIT_MS` have passed, or at once for any other error.
 * `attempt` must have done nothing when it fails that way (a `BEGIN IMMEDIATE` that could not
 * take the lock), so that trying again is safe.
 */
export function retryWhileBusy<T>(attempt: () => T, clock: BusyRetryClock = threadClock): T {
  const deadline = clock.now() + LOCK_WAIT_MS;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return attempt();
    } catch (err) {
      if (!isBusy(err) || clock.now() >= deadline) throw err;
      clock.pause(pause);
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  }
}

/** SQLITE_BUSY or one of its extended codes: the lock was taken, nothing was done. */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** Longest pause of the event loop's retries: timers, so other requests are served meanwhile. */
const LONGEST_ASYNC_PAUSE_MS = 4;

/**
 * `retryWhileBusy` for the event loop's thread: between tries it awaits a timer (1, 2, then 4 ms)
 * instead of blocking, so the process serves other requests while another connection holds the
 * lock. Same rule: `attempt` must have done nothing when it fails with SQLITE_BUSY.
 */
export async function retryWhileBusyAsync<T>(attempt: () => T, now: () => number = () => performance.now()): Promise<T> {
  const deadline = now() + LOCK_WAIT_MS;
  let pause = 1;
  for (;;) {
    try {
      return attempt();
    } catch (err) {
      if (!isBusy(err) || now() >= deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, LONGEST_ASYNC_PAUSE_MS);
  }
}
