/**
 * Counting wrapped around existing ports: client-authentication failures by reason as their
 * events pass to the sink, and store operations timed by method name. The wrappers are built once;
 * per call they do a clock read and an increment on a label child resolved once per method.
 */
import type { ClientAuthEvent, ClientAuthEventSink } from '../../protocol/client-auth/ports.js';
import type { Store } from '../../store/types.js';
import type { Metrics } from './metrics.js';

/** Counts every FAILURE event by its reason code, then hands it on. */
export function countingEventSink(sink: ClientAuthEventSink, metrics: Metrics): ClientAuthEventSink {
  return {
    record(environmentId: string, applicationId: string, event: ClientAuthEvent): void {
      if (event.outcome === 'FAILURE') metrics.clientAuthFailures.inc({ reason: event.reason });
      sink.record(environmentId, applicationId, event);
    },
  };
}

/** Lifecycle methods that are not queries of the running server. */
const UNTIMED = new Set<PropertyKey>(['close', 'migrate', 'openChangeFeed', 'openBroadcast', 'poolUsage', 'constructor']);

/**
 * `store` with every query method timed into `keyway_store_query_duration_seconds{method,outcome}`.
 * Wrappers are kept per function, so a method replaced on the store (tests do) is timed in turn.
 */
export function timedStore(store: Store, metrics: Metrics): Store {
  const wrapped = new WeakMap<object, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      let wrapper = wrapped.get(value);
      if (wrapper === undefined) {
        const fn = value as (...args: unknown[]) => unknown;
        wrapper = typeof prop !== 'string' || UNTIMED.has(prop) ? fn.bind(target) : timer(target, prop, fn, metrics);
        wrapped.set(value, wrapper);
      }
      return wrapper;
    },
  });
}

function timer(target: Store, method: string, fn: (...args: unknown[]) => unknown, metrics: Metrics): (...args: unknown[]) => unknown {
  const ok = metrics.storeDuration.labels(method, 'ok');
  const failed = metrics.storeDuration.labels(method, 'error');
  return (...args: unknown[]): unknown => {
    const started = performance.now();
    const result = fn.apply(target, args);
    if (!(result instanceof Promise)) return result;
    return result.then(
      (value: unknown) => {
        ok.observe((performance.now() - started) / 1000);
        return value;
      },
      (err: unknown) => {
        failed.observe((performance.now() - started) / 1000);
        throw err;
      },
    );
  };
}
