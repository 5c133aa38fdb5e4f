/**
 * The reconciler every resource family shares. An apply runs it twice over the same document:
 * a check pass that reads the current state, decides every create / update / unchanged / delete,
 * and runs each body through the parser the management API runs on it, writing nothing; and,
 * only when the check pass found no problem and this is no dry run, a write pass that does the
 * same walk through the management services (the API's own validation, change notifications
 * and cache invalidation), with the ids the check pass chose.
 */
import { newId } from '../domain/ids.js';
import { PingOneError } from '../domain/pingone-error.js';
import type { ManagementDeps } from '../management/context.js';
import type { Actor } from '../management/roles.js';
import type { ConfigurationIssue } from './errors.js';
import { describes } from './compare.js';
import type { PlanEntry } from './plan.js';
import { unreadFields } from './unread-fields.js';

export type Json = Record<string, unknown>;

/** What every collection's current objects are reduced to. */
export interface Existing {
  id: string;
  /** The name the file matches it by (username for users), or a derived key (grants: the resource id). */
  name: string;
  /** The API's answer for the object: what the file's body is compared with. */
  body: Json;
  /** Made by Keyway (the openid resource, the default population of a new environment…): never pruned. */
  builtIn?: boolean;
}

export interface Engine {
  deps: ManagementDeps;
  actor: Actor;
  mode: 'check' | 'write';
  prune: boolean;
  plan: PlanEntry[];
  issues: ConfigurationIssue[];
  /** Pointer of a new object → the id the check pass gave it (the write pass uses the same). */
  ids: Map<string, string>;
  /** Names of the objects the walk has seen, per `environmentId kind` (and parent): name → id. */
  names: Map<string, Map<string, string>>;
  /** Objects never pruned: the caller's own environment and application. */
  protectedIds: ReadonlySet<string>;
  /** Deletes, run after every create and update, last found first (children before parents). */
  deletes: Array<() => Promise<void>>;
  /** Undo of the creates done so far, run if a later write fails. */
  undo: Array<() => Promise<void>>;
  /**
   * Re-reads the actor's role assignments (a new environment gives the creator roles on it);
   * with `environmentId`, the apply's own standing over an environment it sets up (./apply.ts).
   */
  refreshActor(environmentId?: string): Promise<void>;
}

export interface Collection<P> {
  kind: string;
  /** The field of the file's object the collection matches by when no id is given. */
  nameOf(spec: Json, parent: P, e: Engine, pointer: string): string | undefined;
  /** Current objects; on a parent the check pass has not created yet, the ones Keyway would make with it. */
  list(e: Engine, parent: P, parentIsNew: boolean): Promise<Existing[]>;
  /** The API body the file's object stands for: its own fields without `id` and local fields, references resolved. */
  body(e: Engine, parent: P, spec: Json, pointer: string): Promise<Json>;
  /** The API's parser over the body (throws its PingOneError); check pass only. */
  check(e: Engine, parent: P, body: Json, spec: Json, existing: Existing | undefined): Promise<void>;
  create(e: Engine, parent: P, id: string, body: Json, spec: Json): Promise<void>;
  update(e: Engine, parent: P, existing: Existing, body: Json, spec: Json): Promise<void>;
  /** Differences the API's answer does not show (a secret, a password, memberships). */
  extraDiffers?(e: Engine, parent: P, existing: Existing, spec: Json, body: Json): Promise<boolean>;
  remove(e: Engine, parent: P, existing: Existing): Promise<void>;
  /** The object's own collections, reconciled after it. */
  children?(e: Engine, parent: P, id: string, spec: Json, pointer: string, isNew: boolean): Promise<void>;
  environmentIdOf(parent: P): string | undefined;
  /** The name table references to this collection's objects are resolved in (see `resolveRef`). */
  table?(parent: P): string;
}

/** Syntactically valid ids that stand, in the check pass, for the ones Keyway will make (one per built-in object). */
export function pendingId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export const isPendingId = (id: string): boolean => id.startsWith('00000000-0000-4000-8000-');

export function nameTable(e: Engine, key: string): Map<string, string> {
  let table = e.names.get(key);
  if (!table) e.names.set(key, (table = new Map()));
  return table;
}

/** Turns an error of a management service or parser into issues at the file object's pointer. */
export function issuesOf(err: unknown, pointer: string): ConfigurationIssue[] {
  if (err instanceof ReferenceProblem) return [{ pointer: err.pointer, message: err.message }];
  if (err instanceof PingOneError) {
    if (err.details.length === 0) return [{ pointer, message: err.message }];
    return err.details.map((d) => ({ pointer: d.target ? `${pointer}/${targetPointer(d.target)}` : pointer, message: d.message }));
  }
  throw err;
}

/** `grants[0].scopes` or `jwks.keys[1]` → `grants/0/scopes`, `jwks/keys/1`. */
function targetPointer(target: string): string {
  return target.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '').join('/');
}

/** Runs `work`; in the check pass a problem becomes issues and the walk goes on, in the write pass it stops the apply. */
export async function attempt(e: Engine, pointer: string, work: () => Promise<void>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (err) {
    const issues = issuesOf(err, pointer);
    if (e.mode === 'write') throw new WriteFailed(issues);
    e.issues.push(...issues);
    return false;
  }
}

/** A write pass failure, after the check pass passed (a concurrent change, a rule only the store enforces). */
export class WriteFailed extends Error {
  constructor(readonly issues: ConfigurationIssue[]) {
    super(issues.map((i) => `${i.pointer}: ${i.message}`).join('; '));
  }
}

export async function reconcile<P>(e: Engine, c: Collection<P>, parent: P, specs: unknown, pointer: string, parentIsNew: boolean): Promise<void> {
  if (specs === undefined) return;
  const list = Array.isArray(specs) ? (specs as Json[]) : [];
  const existing = await c.list(e, parent, parentIsNew);
  const byId = new Map(existing.map((x) => [x.id, x]));
  const byName = new Map(existing.map((x) => [x.name, x]));
  const matched = new Set<string>();
  const environmentId = c.environmentIdOf(parent);
  const names = c.table ? nameTable(e, c.table(parent)) : undefined;
  for (const x of existing) names?.set(x.name, x.id);
  for (const [i, spec] of list.entries()) {
    const at = `${pointer}/${i}`;
    const givenId = typeof spec.id === 'string' ? spec.id : undefined;
    const name = c.nameOf(spec, parent, e, at);
    let current = givenId !== undefined ? byId.get(givenId) : undefined;
    if (!current && name !== undefined) {
      const sameName = byName.get(name);
      if (sameName && givenId !== undefined && sameName.id !== givenId && !matched.has(sameName.id) && !sameName.builtIn) {
        e.issues.push({ pointer: at, message: `${c.kind} ${JSON.stringify(name)} exists with id ${sameName.id}, not ${givenId}.` });
        continue;
      }
      if (sameName && (givenId === undefined || sameName.builtIn)) current = sameName;
    }
    // One object, one entry: a second would have the write pass create it again (a uniqueness
    // error after earlier writes) or write it twice. The check pass refuses it instead.
    if (current && matched.has(current.id)) {
      e.issues.push({ pointer: at, message: `${c.kind} ${name === undefined ? current.id : JSON.stringify(name)} is listed twice.` });
      continue;
    }
    let body: Json;
    try {
      body = await c.body(e, parent, spec, at);
    } catch (err) {
      if (e.mode === 'write') throw new WriteFailed(issuesOf(err, at));
      e.issues.push(...issuesOf(err, at));
      continue;
    }
    const entry = (action: PlanEntry['action'], id: string): void => {
      e.plan.push({ action, kind: c.kind, id, ...(name === undefined ? {} : { name }), pointer: at, ...(environmentId ? { environmentId } : {}) });
    };
    if (!current) {
      const id = givenId ?? e.ids.get(at) ?? newId();
      e.ids.set(at, id);
      const created = { id, name: name ?? id, body };
      byId.set(id, created);
      if (name !== undefined) {
        byName.set(name, created);
        names?.set(name, id);
      }
      const ok = await attempt(e, at, async () => {
        if (e.mode === 'check') await checkReading(e, c, parent, body, spec, undefined, at);
        else {
          await c.create(e, parent, id, body, spec);
          e.undo.push(() => c.remove(e, parent, created));
        }
      });
      entry('create', id);
      matched.add(id);
      if (ok && c.children) await c.children(e, parent, id, spec, at, true);
      continue;
    }
    matched.add(current.id);
    const found = current;
    const changed = !describes(body, found.body) || (c.extraDiffers ? await c.extraDiffers(e, parent, found, spec, body) : false);
    const ok = !changed || (await attempt(e, at, async () => (e.mode === 'check' ? checkReading(e, c, parent, body, spec, found, at) : c.update(e, parent, found, body, spec))));
    entry(changed ? 'update' : 'unchanged', found.id);
    if (ok && c.children) await c.children(e, parent, found.id, spec, at, parentIsNew && e.mode === 'check' && isPendingId(found.id));
  }
  for (const x of existing) {
    if (matched.has(x.id) || x.builtIn || e.protectedIds.has(x.id)) continue;
    e.plan.push({ action: e.prune ? 'delete' : 'would delete', kind: c.kind, id: x.id, name: x.name, ...(environmentId ? { environmentId } : {}) });
    if (e.prune && e.mode === 'write') e.deletes.push(() => c.remove(e, parent, x));
  }
}

/** The collection's check, which also reports the fields of the file's object its parser did not read (./unread-fields.ts). */
async function checkReading<P>(e: Engine, c: Collection<P>, parent: P, body: Json, spec: Json, existing: Existing | undefined, pointer: string): Promise<void> {
  e.issues.push(...(await unreadFields(body, pointer, c.kind, (viewed) => c.check(e, parent, viewed, spec, existing))));
}

/** The file's object without `id` and the fields the collection handles itself. */
export function ownFields(spec: Json, local: readonly string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(spec)) if (k !== 'id' && !local.includes(k)) out[k] = v;
  return out;
}

/** The items of a collection envelope the list services answer. */
export function embedded(collection: Record<string, unknown>, name: string): Json[] {
  const items = (collection._embedded as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(items) ? (items as Json[]) : [];
}

/** Large enough for a seed file; the list services page at most this many. */
export const ALL = { limit: 1000 } as const;

/**
 * A reference of the file (`{id}` or `{name}`) to an object of `table`: its id. An id the walk has
 * not seen is taken as given (the API checks it); a name must be known.
 */
export function resolveRef(e: Engine, table: string, ref: unknown, pointer: string, what: string): string {
  const r = (ref ?? {}) as Json;
  if (typeof r.id === 'string') return r.id;
  if (typeof r.name === 'string') {
    const id = e.names.get(table)?.get(r.name);
    if (id !== undefined) return id;
    throw new ReferenceProblem(pointer, `no ${what} named ${JSON.stringify(r.name)} (in this file or on the server).`);
  }
  throw new ReferenceProblem(pointer, `a reference to a ${what} takes id or name.`);
}

export class ReferenceProblem extends PingOneError {
  readonly status = 400;
  readonly code = 'INVALID_DATA';
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}
