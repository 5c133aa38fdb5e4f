/**
 * What an apply does or would do: one entry per object of the file (and per object the file no
 * longer lists), in the order the writes happen.
 */

export type PlanAction = 'create' | 'update' | 'unchanged' | 'delete' | 'would delete';

export interface PlanEntry {
  action: PlanAction;
  /** The PingOne resource kind: `environment`, `application`, `grant`, … */
  kind: string;
  id: string;
  /** The object's name (username for users), when it has one. */
  name?: string;
  /** Where the object is in the file (RFC 6901 pointer); absent for objects the file does not list. */
  pointer?: string;
  /** The environment the object belongs to (absent for environments). */
  environmentId?: string;
}

export interface ApplyResult {
  dryRun: boolean;
  prune: boolean;
  plan: PlanEntry[];
  /** Counts per action. */
  summary: Record<PlanAction, number>;
}

export function summarize(plan: readonly PlanEntry[]): Record<PlanAction, number> {
  const summary: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, delete: 0, 'would delete': 0 };
  for (const entry of plan) summary[entry.action] += 1;
  return summary;
}
