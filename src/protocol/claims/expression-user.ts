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
  if (p.name !== undefined) {
    const name: { [key: string]: JsonValue } = {};
    for (const [key, value] of Object.entries(p.name)) if (typeof value === 'string') name[key] = value;
    out.name = name;
  }
  const optional: Array<[string, string | undefined]> = [
    ['externalId', p.externalId],
    ['mobilePhone', p.mobilePhone],
    ['locale', p.locale],
    ['nickname', p.nickname],
    ['title', p.title],
    ['preferredLanguage', p.preferredLanguage],
    ['timezone', p.timezone],
  ];
  for (const [key, value] of optional) if (value !== undefined) out[key] = value;
  // Stored values are JSON (strings, objects, arrays of them), read back from the store's JSON text.
  for (const [name, value] of Object.entries(user.customAttributes)) out[name] = value as JsonValue;
  return out;
}
