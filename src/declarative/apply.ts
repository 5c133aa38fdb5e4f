/**
 * Applies a configuration document (README, "Declarative configuration") through the
 * management services, as `actor`: checked whole first, written only when every part is
 * valid (./engine.ts). Creates and updates come first, parents before children; deletes
 * (with `prune`) last, children before parents. A write that still fails undoes the creates
 * made before it.
 */
import type { ManagementDeps } from '../management/context.js';
import type { Actor } from '../management/roles.js';
import { withEnvironmentStanding } from './standing.js';
import { checkShape } from './shape.js';
import { ConfigurationError } from './errors.js';
import { reconcile, WriteFailed, issuesOf, type Engine } from './engine.js';
import { environments } from './families/environments.js';
import { summarize, type ApplyResult } from './plan.js';

export interface ApplyOptions {
  /** Decide and report, write nothing. */
  dryRun?: boolean;
  /** Delete what the file's lists no longer hold. */
  prune?: boolean;
  /** How errors name the document (a file name; default `<document>`). */
  file?: string;
}

export async function applyConfiguration(deps: ManagementDeps, actor: Actor, document: unknown, options: ApplyOptions = {}): Promise<ApplyResult> {
  const file = options.file ?? '<document>';
  const prune = options.prune === true;
  const shape = checkShape(document);
  if (shape.length > 0) throw new ConfigurationError(file, shape);
  const org = await deps.store.getOrganization();
  if (!org) throw new Error('organization missing');
  const specs = (document as { environments: unknown }).environments;

  const check = engine(deps, { ...actor }, 'check', prune, new Map());
  await reconcile(check, environments, { licenseId: org.licenseId }, specs, '/environments', false);
  if (check.issues.length > 0) throw new ConfigurationError(file, check.issues);
  const result: ApplyResult = { dryRun: options.dryRun === true, prune, plan: check.plan, summary: summarize(check.plan) };
  if (result.dryRun || check.plan.every((entry) => entry.action === 'unchanged' || entry.action === 'would delete')) return result;

  const write = engine(deps, { ...actor }, 'write', prune, check.ids);
  try {
    await reconcile(write, environments, { licenseId: org.licenseId }, specs, '/environments', false);
    for (const remove of write.deletes.reverse()) await remove();
  } catch (err) {
    for (const undo of write.undo.reverse()) await undo().catch(() => undefined);
    if (err instanceof WriteFailed) throw new ConfigurationError(file, err.issues);
    throw new ConfigurationError(file, issuesOf(err, ''));
  }
  return result;
}

function engine(deps: ManagementDeps, actor: Actor, mode: Engine['mode'], prune: boolean, ids: Map<string, string>): Engine {
  const e: Engine = {
    deps,
    actor,
    mode,
    prune,
    plan: [],
    issues: [],
    ids,
    names: new Map(),
    protectedIds: new Set([actor.environmentId, actor.applicationId]),
    deletes: [],
    undo: [],
    async refreshActor(environmentId) {
      const fresh = await deps.store.listRoleAssignments(e.actor.environmentId, e.actor.applicationId);
      const kept = e.actor.assignments.filter((a) => !fresh.some((f) => f.id === a.id) && (fresh.length === 0 || a.id.startsWith('standing ')));
      let actor: Actor = { ...e.actor, assignments: [...fresh, ...kept] };
      if (environmentId !== undefined) actor = withEnvironmentStanding(actor, environmentId, deps.now().toISOString());
      e.actor = actor;
    },
  };
  return e;
}
