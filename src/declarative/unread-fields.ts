/**
 * The fields of a file's object that the management API's parser never read: a misspelt field
 * (`descripton`, `aplications`) or one the API has not. The API ignores such a field, so the
 * file would say something Keyway does not do, and the comparison with the stored object would
 * plan an update on every apply. The check pass gives the parser a view of the body that records
 * every field it reads, at any depth, and reports the others at their pointer.
 */
import type { ConfigurationIssue } from './errors.js';

type Path = readonly string[];

/**
 * Fields the API answers with but a body does not take (PingOne ignores them in a body): the
 * export leaves them out, and a file copied from an answer may hold them without being told off.
 * Some are body fields elsewhere (a user's `lifecycle`, an environment's `type`): there the parser
 * reads them, so they are never reported anyway; the export keeps those it needs.
 */
export const ANSWER_ONLY_FIELDS: readonly string[] = [
  '_links', '_embedded', 'environment', 'createdAt', 'updatedAt', 'application', 'resource', 'userCount', 'organization',
  'lifecycle', 'account', 'mfaEnabled', 'verifyStatus', 'identityProvider', 'lastSignOn', 'type', 'clientId',
];

interface Tracker {
  /** Per object: the keys read. */
  keys: WeakMap<object, Set<PropertyKey>>;
  views: WeakMap<object, object>;
}

function view<T extends object>(target: T, t: Tracker): T {
  const existing = t.views.get(target);
  if (existing) return existing as T;
  const mark = (key: PropertyKey): void => {
    let keys = t.keys.get(target);
    if (!keys) t.keys.set(target, (keys = new Set()));
    keys.add(key);
  };
  const proxy = new Proxy(target, {
    get(obj, key, receiver) {
      mark(key);
      const value = Reflect.get(obj, key, receiver) as unknown;
      return typeof value === 'object' && value !== null ? view(value, t) : value;
    },
    has(obj, key) {
      mark(key);
      return Reflect.has(obj, key);
    },
    getOwnPropertyDescriptor(obj, key) {
      mark(key);
      return Reflect.getOwnPropertyDescriptor(obj, key);
    },
  });
  t.views.set(target, proxy);
  return proxy;
}

/** Runs `parse` over a recording view of `body`; returns the fields it did not read, as issues at `pointer`. */
export async function unreadFields(body: Record<string, unknown>, pointer: string, kind: string, parse: (body: Record<string, unknown>) => Promise<void>): Promise<ConfigurationIssue[]> {
  const tracker: Tracker = { keys: new WeakMap(), views: new WeakMap() };
  await parse(view(body, tracker));
  const issues: ConfigurationIssue[] = [];
  collect(body, [], tracker, (path) => issues.push({ pointer: `${pointer}/${path.join('/')}`, message: `${kind} has no field ${JSON.stringify(path[path.length - 1])} that Keyway reads here: check its spelling (an unknown field would be ignored).` }));
  return issues;
}

/** Walks the objects the parser reached; an object it never reached is a value it took whole. */
function collect(value: unknown, path: Path, t: Tracker, report: (path: Path) => void): void {
  if (typeof value !== 'object' || value === null) return;
  const keys = t.keys.get(value);
  if (!keys) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, [...path, String(i)], t, report));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!keys.has(key)) {
      if (path.length > 0 || !ANSWER_ONLY_FIELDS.includes(key)) report([...path, key]);
    } else collect(item, [...path, key], t, report);
  }
}
