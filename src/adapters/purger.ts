/**
 * The background purge of expired rows (assertion jtis, revocations, sign-in state), kept off
 * the request path. The store takes the purge cut-off from the database's clock, less the
 * tolerated clock skew (src/store/areas/expiry.ts), so this instance's clock does not decide what
 * goes; each pass also compares that clock with the database's and warns when they drift apart.
 */
import { CLOCK_SKEW_MARGIN_SECONDS, CLOCK_SKEW_WARNING_SECONDS } from '../store/shared/clock-margin.js';
import type { ClientAuthStore, SignInStore, Store } from '../store/types.js';
import type { LoggerLike } from './logger.js';

/** Rows deleted per statement: short statements, so that a large backlog never holds locks long. */
const BATCH = 1000;

export type PurgeableStore = Pick<ClientAuthStore, 'purgeExpiredAssertionJtis' | 'purgeExpiredRevocations'> &
  Pick<SignInStore, 'purgeExpiredSignInState'> &
  Pick<Store, 'databaseClock'>;

export interface Purger {
  /** One purge pass now, as the timer runs it; while a pass runs, that pass. */
  runOnce(): Promise<void>;
  stop(): void;
}

/** Purges expired jti, revocation and sign-in rows every minute, in small batches, outside any request. */
export function startPurger(store: PurgeableStore, now: () => Date, log: LoggerLike, intervalMs = 60_000): Purger {
  let running: Promise<void> | undefined;
  const runOnce = (): Promise<void> => {
    running ??= pass(store, now, log).finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}

async function pass(store: PurgeableStore, now: () => Date, log: LoggerLike): Promise<void> {
  await checkClock(store, now, log);
  try {
    while ((await store.purgeExpiredAssertionJtis(BATCH)) === BATCH);
    while ((await store.purgeExpiredRevocations(BATCH)) === BATCH);
    while ((await store.purgeExpiredSignInState(BATCH)) >= BATCH);
  } catch (err) {
    log.warn({ err }, 'purge of expired replay records failed; will retry');
  }
}

/**
 * Single use holds while this instance's clock is within CLOCK_SKEW_MARGIN_SECONDS of the
 * database's (src/store/shared/clock-margin.ts); a larger difference lets an assertion or a
 * revoked token be accepted again for that much longer, so it is reported well before.
 */
async function checkClock(store: PurgeableStore, now: () => Date, log: LoggerLike): Promise<void> {
  try {
    const skewSeconds = Math.round((now().getTime() - Date.parse(await store.databaseClock())) / 1000);
    if (Math.abs(skewSeconds) > CLOCK_SKEW_WARNING_SECONDS) {
      log.warn(
        { skewSeconds, toleratedSeconds: CLOCK_SKEW_MARGIN_SECONDS },
        "this instance's clock differs from the database's; beyond the tolerated skew, replayed assertions and revoked tokens may be accepted again",
      );
    }
  } catch (err) {
    log.warn({ err }, "could not read the database's clock; will retry");
  }
}
