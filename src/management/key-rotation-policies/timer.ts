/**
 * The rotation timer: every minute it rotates the policies whose next rotation is due and
 * deletes retired keys. Its state is the store's (each policy's `next_rotation_at`), so a restart
 * loses nothing: a rotation due while no instance ran happens at the first pass after start.
 * Several instances may find the same policy due; the `rotated_at` guard lets one rotate it.
 */
import type { ManagementDeps } from '../context.js';
import { rotate } from './service.js';

/** Due policies handled per pass; the rest wait for the next one. */
const BATCH = 100;

export interface RotationLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface RotationTimer {
  /** One pass now, as the timer runs it; while a pass runs, that pass. */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startRotationTimer(deps: ManagementDeps, log: RotationLog, intervalMs = 60_000): RotationTimer {
  let running: Promise<void> | undefined;
  const runOnce = (): Promise<void> => {
    running ??= pass(deps, log).finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}

async function pass(deps: ManagementDeps, log: RotationLog): Promise<void> {
  try {
    const now = deps.now().toISOString();
    for (const environmentId of await deps.store.purgeRetiredKeys(now)) deps.changes.environmentChanged(environmentId);
    for (const due of await deps.store.listDueKeyRotationPolicies(now, BATCH)) {
      const policy = await deps.store.getKeyRotationPolicy(due.environmentId, due.policyId);
      if (policy) await rotate(deps, policy, due.rotatedAt);
    }
  } catch (err) {
    log.warn({ err }, 'key rotation pass failed; will retry');
  }
}
