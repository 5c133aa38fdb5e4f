/**
 * The background purge of expired rows (assertion jtis, revocations, sign-in state), kept off
 * the request path.
 */
import type { ClientAuthStore, SignInStore } from '../store/types.js';
import type { LoggerLike } from './logger.js';

export interface Purger {
  /** One purge pass now, as the timer runs it (no-op while a pass is running). */
  runOnce(): Promise<void>;
  stop(): void;
}

/** Purges expired jti, revocation and sign-in rows every minute, in small batches, outside any request. */
export function startPurger(
  store: ClientAuthStore & Pick<SignInStore, 'purgeExpiredSignInState'>,
  now: () => Date,
  log: LoggerLike,
  intervalMs = 60_000,
): Purger {
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const at = now().toISOString();
      while ((await store.purgeExpiredAssertionJtis(at, 1000)) === 1000);
      while ((await store.purgeExpiredRevocations(at, 1000)) === 1000);
      while ((await store.purgeExpiredSignInState(at, 1000)) >= 1000);
    } catch (err) {
      log.warn({ err }, 'purge of expired replay records failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { runOnce: tick, stop: () => clearInterval(timer) };
}
