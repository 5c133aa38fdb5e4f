/**
 * The `user` object of the expression context: PingOne's user model as its expression language
 * sees it ("PingOne expression language", sample user model): the core and standard attributes
 * under their PingOne names, `population.id`, and `memberOfGroupIDs` / `memberOfGroupNames`
 * (every group: direct, through a dynamic group's userFilter, or through nesting), and the
 * user's custom schema attributes by name (a custom attribute never takes a PingOne User field's
 * name, src/management/schemas/parse.ts, so it cannot shadow one).
 */
import type { JsonValue } from '../../domain/expressions/index.js';
import type { UserRecord } from '../../domain/users/user.js';

export interface UserGroups {
  memberOfGroupIDs: readonly string[];
  memberOfGroupNames: readonly string[];
}

export function expressionUser(user: UserRecord, groups: UserGroups): JsonValue {
  const p = user.profile;
  const out: { [key: string]: JsonValue } = {
    id: user.id,
    username: user.username,
    email: user.email,
    enabled: user.enabled,
    population: { id: user.populationId },
    lifecycle: { status: user.lifecycleStatus },
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    memberOfGroupIDs: [...groups.memberOfGroupIDs],
    memberOfGroupNames: [...groups.memberOfGroupNames],
  };
  if (p.name !== undefined) out.name = stringMembers(p.name);
  // `user.address.locality`, `user.photo.href`: PingOne's sample user model nests them as its
  // User does (OpenAPI `User_address`, `User_photo`).
  if (p.address !== undefined) out.address = stringMembers(p.address);
  if (p.photo !== undefined) out.photo = { href: p.photo.href };
  const optional: Array<[string, string | undefined]> = [
    ['externalId', p.externalId],
    ['accountId', p.accountId],
    ['mobilePhone', p.mobilePhone],
    ['primaryPhone', p.primaryPhone],
    ['locale', p.locale],
    ['nickname', p.nickname],
    ['title', p.title],
    ['type', p.type],
    ['preferredLanguage', p.preferredLanguage],
    ['timezone', p.timezone],
  ];
  for (const [key, value] of optional) if (value !== undefined) out[key] = value;
  // Stored values are JSON (strings, objects, arrays of them), read back from the store's JSON text.
  for (const [name, value] of Object.entries(user.customAttributes)) out[name] = value as JsonValue;
  return out;
}

/** The string members of a stored attribute object (`name`, `address`), as plain JSON. */
function stringMembers(attribute: object): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(attribute)) if (typeof value === 'string') out[key] = value;
  return out;
}
