/**
 * Graceful shutdown on SIGTERM and SIGINT (README, "Shutdown"). Closing the server stops accepting
 * connections and closes idle keep-alive connections at once; the others close as soon as their
 * response is written (src/http/draining.ts). Requests in flight get until the configured bound to
 * finish; the store (the SQLite file, or the PostgreSQL pool and the LISTEN connections) is closed
 * after the server, so none of them loses it midway (App.close).
 *
 * At the bound the connections still open are cut. The exit code says which shutdown it was: 0
 * when every request finished, 1 when some had to be cut. A second signal cuts at once.
 */
import type { App } from '../app.js';
import { LIFECYCLE_MESSAGES } from './lifecycle-log.js';

/** What is left of closing after a cut (the store) gets this long before the process exits anyway. */
const AFTER_CUT_MS = 2_000;
/** Once closed, the process exits within this long even if a handle is still open. */
const EXIT_GRACE_MS = 250;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Resolves with the first SIGTERM or SIGINT. */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const received = (signal: NodeJS.Signals): void => {
      for (const s of SIGNALS) process.removeListener(s, received);
      resolve(signal);
    };
    for (const s of SIGNALS) process.on(s, received);
  });
}

/** Drains and closes `app`; resolves with the process exit code. */
export async function shutDown(app: App, signal: NodeJS.Signals, timeoutSeconds: number): Promise<number> {
  app.server.log.info({ signal, timeoutSeconds }, LIFECYCLE_MESSAGES.shutdownStarted);
  let cut = false;
  const cutNow = (): void => {
    if (cut) return;
    cut = true;
    app.server.log.warn({ connections: 'cut' }, LIFECYCLE_MESSAGES.shutdownCut);
    app.server.server.closeAllConnections();
    // The store may still wait for work of the cut requests; the bound holds regardless.
    setTimeout(() => process.exit(1), AFTER_CUT_MS).unref();
  };
  const bound = setTimeout(cutNow, timeoutSeconds * 1000);
  for (const s of SIGNALS) process.on(s, cutNow);
  try {
    await app.close();
  } finally {
    clearTimeout(bound);
    for (const s of SIGNALS) process.removeListener(s, cutNow);
  }
  const code = cut ? 1 : 0;
  app.server.log.info({ exitCode: code }, LIFECYCLE_MESSAGES.shutdownComplete);
  // Work a cut request left behind (a jwksUrl fetch still waiting for its answer, say) has nothing
  // left to serve and must not hold the process open.
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}
