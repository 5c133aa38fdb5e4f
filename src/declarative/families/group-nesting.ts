/**
 * Groups that are members of other groups (PingOne "Groups": nesting groups): a group's
 * `memberOfGroups` in the file lists its DIRECT parents, exactly, as a user's does
 * (./directory.ts). It is reconciled after every group of the environment exists, so a group
 * may name one listed after it. The check pass refuses an unknown group and a nesting the API
 * refuses (a group in itself or in a group nested in it), judged on the nestings the apply
 * leaves behind. A changed list makes the group's plan entry an update.
 */
import { circularNesting, addGroupParent, listGroupParents, removeGroupParent } from '../../management/groups/memberships.js';
import { ALL, attempt, embedded, isPendingId, nameTable, ReferenceProblem, resolveRef, type Engine, type Json } from '../engine.js';
import { tables, type EnvironmentParent } from './parents.js';

interface Nesting {
  groupId: string;
  pointer: string;
  wanted: string[];
}

export async function reconcileGroupNesting(e: Engine, p: EnvironmentParent, specs: unknown, pointer: string): Promise<void> {
  if (!Array.isArray(specs)) return;
  const known = nameTable(e, tables.groups(p.environmentId));
  const nestings = listed(e, p, specs as Json[], pointer, known);
  const current = await currentParents(e, p, new Set(known.values()));
  if (e.mode === 'check') checkCycles(e, nestings, current);
  const removals: Array<[string, string]> = [];
  const additions: Array<[string, string, string]> = [];
  for (const n of nestings) {
    const have = current.get(n.groupId) ?? [];
    const gone = have.filter((id) => !n.wanted.includes(id));
    const added = n.wanted.filter((id) => !have.includes(id));
    if (gone.length + added.length === 0) continue;
    markUpdated(e, n.pointer);
    for (const id of gone) removals.push([n.groupId, id]);
    for (const id of added) additions.push([n.groupId, id, n.pointer]);
  }
  if (e.mode === 'check') return;
  // Removals first: every graph on the way to the file's is then part of it, so none has a cycle.
  for (const [groupId, parentId] of removals) await removeGroupParent(e.deps, e.actor, p.environmentId, groupId, parentId);
  for (const [groupId, parentId, at] of additions) {
    await attempt(e, `${at}/memberOfGroups`, async () => void (await addGroupParent(e.deps, e.actor, p.environmentId, groupId, { id: parentId })));
  }
}

/** The file's groups that list `memberOfGroups`, with their id and their parents' ids (names resolved, ids known). */
function listed(e: Engine, p: EnvironmentParent, specs: Json[], pointer: string, known: Map<string, string>): Nesting[] {
  const ids = new Set(known.values());
  const out: Nesting[] = [];
  specs.forEach((spec, i) => {
    const at = `${pointer}/${i}`;
    if (!Array.isArray(spec.memberOfGroups)) return;
    const groupId = typeof spec.id === 'string' ? spec.id : typeof spec.name === 'string' ? known.get(spec.name) : undefined;
    if (groupId === undefined || !ids.has(groupId)) return; // the group itself was refused: its issue is reported
    const wanted: string[] = [];
    spec.memberOfGroups.forEach((ref, j) => {
      const refAt = `${at}/memberOfGroups/${j}`;
      try {
        const id = resolveRef(e, tables.groups(p.environmentId), ref, refAt, 'group');
        if (!ids.has(id)) throw new ReferenceProblem(refAt, `no group with id ${id} (in this file or on the server).`);
        if (!wanted.includes(id)) wanted.push(id);
      } catch (err) {
        if (!(err instanceof ReferenceProblem)) throw err;
        e.issues.push({ pointer: err.pointer, message: err.message });
      }
    });
    out.push({ groupId, pointer: at, wanted });
  });
  return out;
}

/** The direct parents of every group the server has (none for the ones this apply makes). */
async function currentParents(e: Engine, p: EnvironmentParent, groupIds: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (p.isNew && e.mode === 'check') return out;
  for (const id of groupIds) {
    if (isPendingId(id) || (await e.deps.store.getGroup(p.environmentId, id)) === undefined) continue;
    const items = embedded(await listGroupParents(e.deps, e.actor, p.environmentId, id, ALL, false), 'groupMemberships');
    out.set(id, items.map((m) => m.id as string));
  }
  return out;
}

/** A cycle in the nestings the apply leaves (the file's lists, the server's for the other groups) is the API's refusal. */
function checkCycles(e: Engine, nestings: readonly Nesting[], current: ReadonlyMap<string, string[]>): void {
  const parents = new Map(current);
  for (const n of nestings) parents.set(n.groupId, n.wanted);
  for (const n of nestings) {
    if (reaches(parents, n.wanted, n.groupId)) {
      const [issue] = circularNesting().details;
      e.issues.push({ pointer: `${n.pointer}/memberOfGroups`, message: issue?.message ?? 'circular reference.' });
    }
  }
}

/** Whether `target` is among `from` or their ancestors. */
function reaches(parents: ReadonlyMap<string, readonly string[]>, from: readonly string[], target: string): boolean {
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(parents.get(id) ?? []));
  }
  return false;
}

/** The group's own plan entry becomes an update (a created one stays a create). */
function markUpdated(e: Engine, pointer: string): void {
  const entry = e.plan.find((x) => x.kind === 'group' && x.pointer === pointer);
  if (entry?.action === 'unchanged') entry.action = 'update';
}
