/**
 * Keyway's Prometheus metrics (README, "Health and metrics"), on a registry of their own so that
 * two apps in one process (tests) do not share counts. Every label takes values from a closed
 * set (route templates, status classes, grant types, method and reason codes, store method
 * names): never a client id, user id, path parameter or free text, so the number of series stays
 * bounded whatever the traffic.
 */
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolUsage } from '../../store/types.js';

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag, handles); default true. */
  processMetrics?: boolean;
  /** Read at each scrape; absent for a store without a pool (SQLite). */
  poolUsage?: () => PoolUsage | undefined;
}

/** Seconds; request latencies of an identity server are mostly milliseconds, with slow outliers. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();
  readonly contentType: string = this.registry.contentType;

  readonly httpDuration = new Histogram({
    name: 'keyway_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly tokenRequests = new Counter({
    name: 'keyway_token_requests_total',
    help: 'Token endpoint requests by grant type, client authentication method and error code ("none" on success).',
    labelNames: ['grant_type', 'auth_method', 'error'] as const,
    registers: [this.registry],
  });

  readonly clientAuthFailures = new Counter({
    name: 'keyway_client_auth_failures_total',
    help: 'Failed client authentications at /as endpoints by reason code.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly jwksFetches = new Counter({
    name: 'keyway_jwks_url_fetches_total',
    help: "Fetches of applications' jwksUrl by outcome.",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jwksCacheHits = new Counter({
    name: 'keyway_jwks_url_cache_hits_total',
    help: "Client key look-ups answered from the cached copy of a jwksUrl without fetching.",
    registers: [this.registry],
  });

  readonly storeDuration = new Histogram({
    name: 'keyway_store_query_duration_seconds',
    help: 'Duration of store operations by store method and outcome.',
    labelNames: ['method', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      eventLoopMetrics(this.registry);
    }
    const poolUsage = options.poolUsage;
    if (poolUsage) {
      new Gauge({
        name: 'keyway_store_pool_connections',
        help: 'Connections of the PostgreSQL pool by state (idle, in use) and callers waiting for one.',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          const usage = poolUsage();
          if (!usage) return;
          this.set({ state: 'idle' }, usage.idle);
          this.set({ state: 'in_use' }, usage.total - usage.idle);
          this.set({ state: 'waiting' }, usage.waiting);
        },
      });
    }
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * The event loop's busy time and the process id, beside prom-client's defaults (which measure the
 * loop's lag, not how much of the time it works). `keyway_event_loop_active_seconds_total` is
 * Node's event-loop utilisation (`performance.eventLoopUtilization()`, the time the loop spent
 * outside its idle wait) as a counter: its rate is the utilisation (1 = the main thread never
 * waits), and its increase over a window divided by the requests answered is the main-thread time
 * per request. `keyway_process_id` tells apart the processes of `KEYWAY_WORKERS`, which share one
 * port: a scrape is answered by the worker that accepted its connection.
 */
function eventLoopMetrics(registry: Registry): void {
  let reported = 0;
  new Counter({
    name: 'keyway_event_loop_active_seconds_total',
    help: 'Time the main thread event loop spent working (not waiting for events), from performance.eventLoopUtilization().',
    registers: [registry],
    collect() {
      const active = performance.eventLoopUtilization().active / 1000;
      if (active > reported) this.inc(active - reported);
      reported = Math.max(reported, active);
    },
  });
  new Gauge({
    name: 'keyway_process_id',
    help: 'The operating-system id of the process that answered this scrape.',
    registers: [registry],
    collect() {
      this.set(process.pid);
    },
  });
}
