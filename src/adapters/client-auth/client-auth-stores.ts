/**
 * Adapters from the protocol's client-authentication ports to the store: the jti replay store,
 * the diagnostics sink, and the background purge of expired rows (kept off the hot path).
 */
import { newId } from '../../domain/ids.js';
import type { AssertionReplayStore, ClientAuthEvent, ClientAuthEventSink } from '../../protocol/client-auth/ports.js';
import type { SignInStore } from '../../store/sign-in-types.js';
import type { ClientAuthStore } from '../../store/types.js';

/** Newest events kept per application. */
export const EVENTS_KEPT_PER_APPLICATION = 100;
/** A legacy-audience success is recorded at most once per this interval per application and form. */
const LEGACY_SUCCESS_INTERVAL_MS = 60_000;

export function replayStore(store: ClientAuthStore, now: () => Date): AssertionReplayStore {
  return {
    record: (environmentId, clientId, jti, expiresAt) =>
      store.recordAssertionJti(environmentId, clientId, jti, expiresAt.toISOString(), now().toISOString()),
  };
}

export interface LoggerLike {
  warn(obj: unknown, msg: string): void;
}

/** Writes events asynchronously; a failed write is logged, never surfaced to the request. */
export function eventSink(store: ClientAuthStore, log: LoggerLike): ClientAuthEventSink {
  const lastLegacy = new Map<string, number>();
  return {
    record(environmentId: string, applicationId: string, event: ClientAuthEvent): void {
      if (event.outcome === 'LEGACY_SUCCESS' && !dueForLegacy(lastLegacy, `${environmentId}/${applicationId}/${event.audienceForm}`, event.at)) return;
      const record = {
        id: newId(),
        environmentId,
        applicationId,
        outcome: event.outcome,
        reason: event.reason,
        endpoint: event.endpoint,
        at: event.at.toISOString(),
        ...definedOnly({ method: event.method, kid: event.kid, alg: event.alg, audienceForm: event.audienceForm, detail: event.detail?.slice(0, 500) }),
      };
      store.recordClientAuthEvent(environmentId, record, EVENTS_KEPT_PER_APPLICATION).catch((err: unknown) => {
        log.warn({ err }, 'could not record a client-authentication event');
      });
    },
  };
}

function dueForLegacy(last: Map<string, number>, key: string, at: Date): boolean {
  const previous = last.get(key);
  if (previous !== undefined && at.getTime() - previous < LEGACY_SUCCESS_INTERVAL_MS) return false;
  if (last.size > 10_000) last.clear();
  last.set(key, at.getTime());
  return true;
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k as keyof T] = v;
  return out;
}

/** Purges expired jti, revocation and sign-in rows every minute, in small batches, outside any request. */
export function startPurger(
  store: ClientAuthStore & Pick<SignInStore, 'purgeExpiredSignInState'>,
  now: () => Date,
  log: LoggerLike,
  intervalMs = 60_000,
): () => void {
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
  return () => clearInterval(timer);
}
