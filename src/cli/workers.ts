/**
 * KEYWAY_WORKERS=N (README, "Several processes"): N server processes on one port, sharing the
 * store, with node:cluster. The primary prepares once what must happen once (TLS files,
 * migrations, the bootstrap and its credentials printed once), then forks the workers; each runs
 * the ordinary server (start.ts), and the primary hands them the port's connections in turn
 * (cluster's round-robin scheduling, the default off Windows). Everything the workers must agree
 * on lives in the store: single-use jtis, codes and refresh tokens are claimed by database
 * writes, and configuration caches follow the store's change feed (PostgreSQL's NOTIFY, or the
 * SQLite file's change log). The failed-authentication limits, kept in memory, are shared through
 * the primary (./failure-relay.ts).
 *
 * A worker that dies is forked again, at most `MAX_RESTARTS` times a minute; one that dies before
 * it ever listened (a taken port, a bad certificate) stops the whole start. SIGTERM or SIGINT
 * to the primary asks every worker to drain (./shutdown.ts); a second signal cuts them.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config/config.js';
import { relayFailure } from './failure-relay.js';
import { LIFECYCLE_MESSAGES, type LifecycleLogger } from './lifecycle-log.js';
import { shutdownSignal } from './shutdown.js';

/** Restarts of crashed workers allowed per minute; past it the primary gives up and stops. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** After the workers' own shutdown bound, this long before the primary kills what is left. */
const KILL_GRACE_MS = 5_000;

const SHUTDOWN_MESSAGE = 'keyway:shutdown';

/** Whether this process is one of the workers of a primary. */
export function isWorker(): boolean {
  return cluster.isWorker;
}

/**
 * In a worker: resolves when the primary asks it to drain (it forwards SIGTERM or SIGINT as a
 * message, so that a worker that also got the terminal's SIGINT does not count it twice), or when
 * the primary is gone.
 */
export function shutdownRequested(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('message', (message: unknown) => {
      const m = message as { type?: unknown; signal?: unknown } | null;
      if (m?.type === SHUTDOWN_MESSAGE) resolve(m.signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
    });
    process.once('disconnect', () => resolve('SIGTERM'));
  });
}

/**
 * The primary: forks `config.workers` workers and watches them until they have all stopped;
 * resolves with the exit code (0 when every worker drained cleanly).
 */
export function runPrimary(config: Config, log: LifecycleLogger): Promise<number> {
  return new Promise((resolve) => {
    const restarts: number[] = [];
    const listened = new Set<Worker>();
    let stopping = false;
    let failed = false;

    const fork = (): void => {
      const worker = cluster.fork();
      worker.once('listening', () => listened.add(worker));
    };
    const stopAll = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, timeoutSeconds: config.shutdownTimeoutSeconds, workers: Object.keys(cluster.workers ?? {}).length }, LIFECYCLE_MESSAGES.shutdownStarted);
      for (const worker of liveWorkers()) if (worker.isConnected()) worker.send({ type: SHUTDOWN_MESSAGE, signal });
      // A second signal cuts the workers' connections at once (their own second-signal rule).
      for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => liveWorkers().forEach((w) => w.process.kill('SIGTERM')));
      setTimeout(() => liveWorkers().forEach((w) => w.process.kill('SIGKILL')), config.shutdownTimeoutSeconds * 1000 + KILL_GRACE_MS).unref();
    };

    cluster.on('exit', (worker, code, signal) => {
      const clean = code === 0 && signal === null;
      // A worker that dies while all run is restarted; the exit code tells how the shutdown went.
      if (!clean && stopping) failed = true;
      if (!stopping) {
        const now = Date.now();
        while (restarts.length > 0 && (restarts[0] as number) < now - RESTART_WINDOW_MS) restarts.shift();
        const restarting = listened.has(worker) && restarts.length < MAX_RESTARTS;
        log.warn({ workerPid: worker.process.pid ?? null, code, signal, restarting }, LIFECYCLE_MESSAGES.workerExited);
        if (restarting) {
          restarts.push(now);
          fork();
        } else {
          failed = true;
          stopAll('SIGTERM');
        }
      }
      if (liveWorkers().length === 0 && stopping) {
        const exitCode = failed ? 1 : 0;
        log.info({ exitCode }, LIFECYCLE_MESSAGES.shutdownComplete);
        resolve(exitCode);
      }
    });

    // Failed authentications counted by one worker count at the others too (./failure-relay.ts).
    cluster.on('message', (worker, message) => relayFailure(worker, message, liveWorkers()));
    void shutdownSignal().then(stopAll);
    for (let i = 0; i < config.workers; i += 1) fork();
    log.info({ workers: config.workers }, LIFECYCLE_MESSAGES.workersStarted);
  });
}

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
}
