/**
 * Values of unique custom attributes (PingOne "Schemas": `unique`) across the users an apply
 * leaves: the file's users, and the stored users it neither lists nor prunes. The management API
 * checks one user at a time against the store, so in the check pass two new users of the file
 * with one value, or a file user taking the value of a stored user the file keeps, would pass
 * and then fail in the write pass, after earlier writes. They are found here instead, with the
 * API's message, at the file user's field.
 */
import { listUsers } from '../../management/users/service.js';
import { itemsOf, valueHash } from '../../store/shared/custom-value-rows.js';
import type { CustomAttributeValues } from '../../domain/users/custom-attribute-values.js';
import { ALL, embedded, type Engine, type Json } from '../engine.js';
import type { EnvironmentParent } from './parents.js';
import { plannedSchema } from './schemas.js';

type Item = CustomAttributeValues[string];

export async function checkUniqueValues(e: Engine, p: EnvironmentParent, specs: unknown, pointer: string): Promise<void> {
  if (e.mode !== 'check' || !Array.isArray(specs)) return;
  const unique = (await plannedSchema(e, p)).filter((a) => a.settings.unique).map((a) => a.name);
  if (unique.length === 0) return;
  const fileUsers = specs as Json[];
  const kept = await storedUsersKept(e, p, fileUsers);
  for (const name of unique) {
    const holders = new Map<string, string>();
    for (const user of kept) {
      for (const hash of hashesOf(user[name])) {
        const other = holders.get(hash);
        // Only possible when the file makes the attribute unique: the store held no duplicates before.
        if (other !== undefined) e.issues.push({ pointer, message: `${other} and user ${String(user.username)}, which the file keeps, hold equal values of ${name}, so its values cannot be made unique.` });
        else holders.set(hash, `user ${String(user.username)}`);
      }
    }
    for (const [i, user] of fileUsers.entries()) {
      for (const hash of hashesOf(user[name])) {
        if (holders.has(hash)) {
          e.issues.push({ pointer: `${pointer}/${i}/${name}`, message: `Another user of this environment holds this value of ${name}, whose values are unique (${holders.get(hash)}).` });
        } else holders.set(hash, `${pointer}/${i}`);
      }
    }
  }
}

/** The stored users the apply leaves as they are: not listed by id or username, and not pruned. */
async function storedUsersKept(e: Engine, p: EnvironmentParent, fileUsers: readonly Json[]): Promise<Json[]> {
  if (p.isNew || e.prune) return [];
  const listed = new Set<unknown>(fileUsers.flatMap((u) => [u.id, u.username]).filter((v) => typeof v === 'string'));
  const stored = embedded(await listUsers(e.deps, e.actor, p.environmentId, ALL, undefined), 'users');
  return stored.filter((u) => !listed.has(u.id) && !listed.has(u.username));
}

function hashesOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return [...new Set(itemsOf(value as Item).map((item) => valueHash(item)))];
}
