/**
 * The structured lines `keyway start` logs about its own life (README, "Logs"): one JSON line
 * each, with a fixed `msg` and fixed fields per message, so that operators can match on them.
 * No secret is ever a field: the master key and client secrets are not logged, and the database
 * URL is logged without its user name, password and query string.
 */
import type { Config } from '../config/config.js';
import { defaultKeyThreadCount } from '../threads/key-operations.js';

/** The logger calls these lines use (Fastify's pino logger). */
export interface LifecycleLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export const LIFECYCLE_MESSAGES = {
  configuration: 'keyway.configuration',
  bootstrap: 'keyway.bootstrap',
  configurationApplied: 'keyway.configuration.applied',
  listening: 'keyway.listening',
  workersStarted: 'keyway.workers.started',
  workerExited: 'keyway.worker.exited',
  shutdownStarted: 'keyway.shutdown.started',
  shutdownCut: 'keyway.shutdown.cut',
  shutdownComplete: 'keyway.shutdown.complete',
  logFailed: 'keyway.log.failed',
} as const;

/** The effective configuration, secrets left out. */
export function logConfiguration(log: LifecycleLogger, config: Config): void {
  log.info(
    {
      host: config.host,
      port: config.port,
      publicUrl: config.publicUrl,
      metricsPort: config.metricsPort ?? null,
      tls: config.tls?.mode ?? 'off',
      store: config.databaseUrl ? 'postgres' : 'sqlite',
      database: config.databaseUrl ? redactDatabaseUrl(config.databaseUrl) : null,
      dataDir: config.dataDir,
      masterKey: config.masterKey ? 'KEYWAY_MASTER_KEY' : 'file',
      logLevel: config.logLevel,
      rateLimitClientAuth: config.rateLimitClientAuth,
      rateLimitManagementAuth: config.rateLimitManagementAuth,
      jwksRefetchCooldownSeconds: config.jwksRefetchCooldownSeconds,
      shutdownTimeoutSeconds: config.shutdownTimeoutSeconds,
      requestTimeoutSeconds: config.requestTimeoutSeconds,
      workers: config.workers,
      keyThreads: config.keyThreads ?? defaultKeyThreadCount(config.workers),
      fetchAllowEntries: config.fetchAllow.allowCidrs.length + config.fetchAllow.allowHosts.length,
      trustedProxies: config.trustedProxies.length,
    },
    LIFECYCLE_MESSAGES.configuration,
  );
}

/** `postgres://host:port/database`: credentials and parameters (which may hold a password) dropped. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable)';
  }
}
