import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';

/** Starts the server and stops it cleanly on SIGINT/SIGTERM. */
export async function runStart(_args: string[]): Promise<number> {
  const config = loadConfig();
  const app = await buildApp(config);
  if (app.bootstrap.created) printCredentialsOnce(app.bootstrap.summary);
  await app.server.listen({ port: config.port, host: config.host });
  app.server.log.info(`Keyway listening on ${config.host}:${config.port}, public URL ${config.publicUrl}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      app.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
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
