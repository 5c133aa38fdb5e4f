import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { shutdownSignal, shutDown } from './shutdown.js';
import { serverTls } from './tls/server-tls.js';

/** Starts the server; on SIGTERM or SIGINT drains it and resolves with the exit code (./shutdown.ts). */
export async function runStart(_args: string[]): Promise<number> {
  const config = loadConfig();
  const tls = await serverTls(config, (text) => process.stdout.write(text));
  const app = await buildApp(config, tls ? { tls } : {});
  if (app.bootstrap.created) printCredentialsOnce(app.bootstrap.summary);
  // Listening for the signals before the port opens: a signal in between must not kill the process unclosed.
  const signal = shutdownSignal();
  await app.server.listen({ port: config.port, host: config.host });
  app.server.log.info(`Keyway listening on ${config.host}:${config.port}, public URL ${config.publicUrl}`);
  return shutDown(app, await signal, config.shutdownTimeoutSeconds);
}

function printCredentialsOnce(summary: Record<string, string>): void {
  process.stdout.write(
    [
      'Keyway bootstrap: created the Administrators environment and its admin worker application.',
      'These credentials are shown once (also written to bootstrap.json in the data directory):',
      ...Object.entries(summary).map(([k, v]) => `  ${k}: ${v}`),
      '',
    ].join('\n'),
  );
}
