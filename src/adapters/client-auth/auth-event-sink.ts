/**
 * The protocol's ClientAuthEventSink over the store: client-authentication diagnostics written
 * off the request path, the newest ones kept per application.
 */
import { newId } from '../../domain/ids.js';
import type { ClientAuthEvent, ClientAuthEventSink } from '../../protocol/client-auth/ports.js';
import type { ClientAuthStore } from '../../store/types.js';
import type { LoggerLike } from '../logger.js';

/** Newest events kept per application. */
export const EVENTS_KEPT_PER_APPLICATION = 100;
/** A legacy-audience success is recorded at most once per this interval per application and form. */
const LEGACY_SUCCESS_INTERVAL_MS = 60_000;

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
