/**
 * The file's structure, checked before anything is read or written: the nesting of
 * environments and what they hold, ids as UUIDs, names where objects are matched by name, no
 * object listed twice. The fields of each object's PingOne body are the management API's to
 * judge (./families/), with the same rules as its operations. schema/keyway-config.schema.json
 * describes the same structure for editors.
 */
import { isUuid } from '../domain/ids.js';
import type { ConfigurationIssue } from './errors.js';

type Json = Record<string, unknown>;

interface Node {
  /** Field matched on when no id is given (absent: by id only, or by a derived key). */
  name?: string;
  /** Child collections. */
  children?: Readonly<Record<string, Node>>;
  /** Is `id` required (keys: the id is the kid). */
  idRequired?: boolean;
}

const REFERENCE_LISTS = ['memberOfGroups', 'scopes'];

const FORMAT: Readonly<Record<string, Node>> = {
  environments: {
    name: 'name',
    children: {
      keys: { idRequired: true },
      keyRotationPolicies: { name: 'name' },
      schemas: { name: 'name', children: { attributes: { name: 'name' } } },
      passwordPolicies: { name: 'name' },
      populations: { name: 'name' },
      groups: { name: 'name' },
      users: { name: 'username' },
      resources: { name: 'name', children: { scopes: { name: 'name' }, attributes: { name: 'name' } } },
      applications: { name: 'name', children: { grants: {}, attributes: { name: 'name' }, roleAssignments: {}, certificates: {} } },
    },
  },
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkShape(document: unknown): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  if (!isObject(document)) return [{ pointer: '', message: 'the configuration must be an object with an environments list.' }];
  for (const key of Object.keys(document)) {
    if (key !== 'environments' && key !== '$schema') issues.push({ pointer: `/${key}`, message: `unknown field ${JSON.stringify(key)}: the configuration holds environments.` });
  }
  if (document.environments === undefined) issues.push({ pointer: '', message: 'environments is required.' });
  else collection(document.environments, FORMAT.environments as Node, '/environments', issues, 'environment');
  return issues;
}

function collection(value: unknown, node: Node, pointer: string, issues: ConfigurationIssue[], what: string): void {
  if (!Array.isArray(value)) {
    issues.push({ pointer, message: `must be a list of ${what} objects.` });
    return;
  }
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  value.forEach((item, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(item)) {
      issues.push({ pointer: at, message: `must be an object.` });
      return;
    }
    if (item.id !== undefined) {
      if (typeof item.id !== 'string' || !isUuid(item.id)) issues.push({ pointer: `${at}/id`, message: 'id must be a UUID.' });
      else if (ids.has(item.id)) issues.push({ pointer: `${at}/id`, message: `id ${item.id} is already used at ${pointer}/${ids.get(item.id)}.` });
      else ids.set(item.id, i);
    } else if (node.idRequired) issues.push({ pointer: at, message: 'id is required.' });
    if (node.name !== undefined) {
      const name = item[node.name];
      if (typeof name !== 'string' || name.trim() === '') issues.push({ pointer: `${at}/${node.name}`, message: `${node.name} is required.` });
      else if (names.has(name)) issues.push({ pointer: `${at}/${node.name}`, message: `${JSON.stringify(name)} is already listed at ${pointer}/${names.get(name)}.` });
      else names.set(name, i);
    }
    for (const [key, child] of Object.entries(node.children ?? {})) {
      if (item[key] !== undefined) collection(item[key], child, `${at}/${key}`, issues, key);
    }
    for (const key of REFERENCE_LISTS) {
      if (node.children?.[key] || item[key] === undefined) continue;
      references(item[key], `${at}/${key}`, issues);
    }
  });
}

function references(value: unknown, pointer: string, issues: ConfigurationIssue[]): void {
  if (!Array.isArray(value)) {
    issues.push({ pointer, message: 'must be a list of references ({id} or {name}).' });
    return;
  }
  value.forEach((ref, i) => {
    if (!isObject(ref) || (typeof ref.id !== 'string' && typeof ref.name !== 'string')) issues.push({ pointer: `${pointer}/${i}`, message: 'a reference is {id} or {name}.' });
  });
}
