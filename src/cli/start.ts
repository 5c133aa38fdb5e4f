import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp, type App } from '../app.js';
import { loadConfig, type Config } from '../config/config.js';
import { configureKeyThreads, defaultKeyThreadCount, keyThreads } from '../threads/key-operations.js';
import { workerFailureChannel } from './failure-relay.js';
import { LIFECYCLE_MESSAGES, logConfiguration } from './lifecycle-log.js';
import { asyncStdout, type LogDestination } from './log-destination.js';
import { startMetricsServer, stopMetricsServer } from './metrics-server.js';
import { shutdownSignal, shutDown } from './shutdown.js';
import { serverTls } from './tls/server-tls.js';
import { isWorker, runPrimary, shutdownRequested } from './workers.js';

/**
 * Starts the server; on SIGTERM or SIGINT drains it and resolves with the exit code
 * (./shutdown.ts). With KEYWAY_WORKERS above 1 this process becomes the primary of that many
 * server processes (./workers.ts).
 */
export async function runStart(_args: string[]): Promise<number> {
  const config = loadConfig();
  if (config.workers > 1 && !isWorker()) return startPrimary(config);
  const worker = isWorker();
  configureKeyThreads(config.keyThreads ?? defaultKeyThreadCount(config.workers));
  keyThreads().startThreads();
  const out = asyncStdout();
  // A worker's primary has already printed what a start prints once (certificate authority,
  // credentials) and applied KEYWAY_CONFIG_FILE: a worker applies it no second time.
  const tls = await serverTls(config, worker ? () => {} : (text) => out.write(text));
  const app = await buildApp(worker ? withoutConfigFile(config) : config, {
    logStream: out,
    ...(tls ? { tls } : {}),
    // The workers of one start count failed authentications against one budget (./failure-relay.ts).
    ...(worker ? { failureChannel: workerFailureChannel() } : {}),
  });
  const log = app.server.log;
  if (!worker) {
    logConfiguration(log, config);
    logStartOnce(log, app, config);
    if (app.bootstrap.created) printCredentialsOnce(out, app.bootstrap.summary);
  }
  // Logged wherever a configuration was applied: a worker logging it would have applied it twice.
  if (worker) logConfigurationApplied(log, app, config);
  // Listening for the signals before the port opens: a signal in between must not kill the process unclosed.
  const signal = worker ? Promise.race([shutdownSignal(), shutdownRequested()]) : shutdownSignal();
  await app.server.listen({ port: config.port, host: config.host });
  let metricsServer: Server | undefined;
  try {
    if (config.metricsPort !== undefined) metricsServer = await startMetricsServer(app.metrics, config.host, config.metricsPort, config.requestTimeoutSeconds * 1000);
  } catch (err) {
    // A taken metrics port stops the start; the main port must not stay open without it.
    await app.close();
    throw new Error(`KEYWAY_METRICS_PORT ${config.metricsPort}: ${err instanceof Error ? err.message : String(err)}`);
  }
  log.info(
    {
      host: config.host,
      port: (app.server.server.address() as AddressInfo).port,
      publicUrl: config.publicUrl,
      metricsPort: metricsServer ? (metricsServer.address() as AddressInfo).port : null,
    },
    LIFECYCLE_MESSAGES.listening,
  );
  const received = await signal;
  if (metricsServer) await stopMetricsServer(metricsServer);
  const code = await shutDown(app, received, config.shutdownTimeoutSeconds);
  await out.flushed();
  return code;
}

/**
 * The primary of KEYWAY_WORKERS: the work of a start that must happen once (TLS files,
 * migrations, bootstrap, KEYWAY_CONFIG_FILE, credentials printed once) on an app that never
 * listens, then the workers.
 */
async function startPrimary(config: Config): Promise<number> {
  const out = asyncStdout();
  const tls = await serverTls(config, (text) => out.write(text));
  const app = await buildApp(config, tls ? { tls, logStream: out } : { logStream: out });
  const log = app.server.log;
  logConfiguration(log, config);
  logStartOnce(log, app, config);
  if (app.bootstrap.created) printCredentialsOnce(out, app.bootstrap.summary);
  await app.close();
  const code = await runPrimary(config, log);
  await out.flushed();
  // The workers are gone; nothing of the primary's is left to wait for.
  setTimeout(() => process.exit(code), 250).unref();
  return code;
}

/** The lines one start logs once, whatever the number of workers: bootstrap, and the configuration file applied. */
function logStartOnce(log: App['server']['log'], app: App, config: Config): void {
  log.info({ created: app.bootstrap.created, organizationId: app.bootstrap.organizationId }, LIFECYCLE_MESSAGES.bootstrap);
  logConfigurationApplied(log, app, config);
}

function logConfigurationApplied(log: App['server']['log'], app: App, config: Config): void {
  if (app.configurationApplied) log.info({ file: config.configFile, ...app.configurationApplied }, LIFECYCLE_MESSAGES.configurationApplied);
}

function withoutConfigFile(config: Config): Config {
  const { configFile: _applied, ...rest } = config;
  return rest;
}

function printCredentialsOnce(out: LogDestination, summary: Record<string, string>): void {
  out.write(
    [
      'Keyway bootstrap: created the Administrators environment and its admin worker application.',
      'These credentials are shown once (also written to bootstrap.json in the data directory):',
      ...Object.entries(summary).map(([k, v]) => `  ${k}: ${v}`),
      '',
    ].join('\n'),
  );
}
