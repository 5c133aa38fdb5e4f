/**
 * The mapped claims of one token request: the application's mappings for its ID token or
 * userinfo, the granted resources' attributes for its access token. Nothing is read or evaluated
 * when no mapping applies, so a client without mappings pays nothing for them.
 */
import type { JsonValue } from '../../domain/expressions/index.js';
import type { ClientProfile, GrantedResource } from '../client-auth/ports.js';
import type { UserInfoSource } from '../sign-in/ports.js';
import { evaluateClaims, expressionRoot, releasedBy, RequiredClaimMissing, type AppConfigData, type RequestData } from './mapped-claims.js';

export interface MappedClaims {
  claims: Record<string, JsonValue>;
  /** The core `sub` mapping's value, when it was replaced. */
  subject?: string;
  /** Standard claims replaced by a mapping without a value: left out of the response. */
  withheld?: readonly string[];
}

/** The user's standard claims without those a modified standard claim withholds. */
export function withoutWithheld<T extends Record<string, unknown>>(claims: T, mapped: MappedClaims): T {
  if (!mapped.withheld || mapped.withheld.length === 0) return claims;
  const kept = { ...claims };
  for (const name of mapped.withheld) delete kept[name];
  return kept;
}

/**
 * `#root.context.appConfig`. PingOne's token fulfillment page documents `tokenEndpointAuthMethod`
 * as `PRIVATE_KEY_JWT`, `CLIENT_SECRET_JWT`, or null for an application using another method.
 */
export function appConfigOf(profile: ClientProfile): AppConfigData {
  const c = profile.client;
  const method = c.tokenEndpointAuthMethod;
  return { envId: c.environmentId, clientId: c.id, tokenEndpointAuthMethod: method === 'PRIVATE_KEY_JWT' || method === 'CLIENT_SECRET_JWT' ? method : null };
}

/** The `user` of the expression context. */
export type MappingUser = () => Promise<JsonValue | undefined>;

/**
 * The user's `user` object, read at most once for a request that evaluates both the application's
 * mappings and its resources' attributes, and not at all when no mapping applies.
 */
export function mappingUserOnce(users: UserInfoSource, environmentId: string, userId: string): MappingUser {
  let read: Promise<JsonValue | undefined> | undefined;
  return () => (read ??= users.mappingUser ? users.mappingUser(environmentId, userId) : Promise.resolve(undefined));
}

/**
 * The application's claims for an ID token (`idToken`) or a userinfo response (`userInfo`).
 * @throws RequiredClaimMissing when `enforceRequired` and a required mapping has no value.
 */
export async function applicationClaims(
  user: MappingUser,
  profile: ClientProfile,
  target: 'idToken' | 'userInfo',
  scope: readonly string[],
  request: RequestData,
  now: Date,
  enforceRequired: boolean,
): Promise<MappedClaims> {
  const mappings = profile.claimMappings ?? [];
  const applies = releasedBy(target, scope);
  if (!mappings.some(applies)) return { claims: {} };
  const claims = evaluateClaims(mappings, applies, expressionRoot(await user(), appConfigOf(profile), request), now, enforceRequired);
  const result = withSubject(claims, enforceRequired);
  const withheld = mappings.filter((m) => m.replacesStandard && applies(m) && !Object.hasOwn(claims, m.name)).map((m) => m.name);
  return withheld.length === 0 ? result : { ...result, withheld };
}

function withSubject(claims: Record<string, JsonValue>, enforceRequired: boolean): MappedClaims {
  if (!Object.hasOwn(claims, 'sub')) return { claims };
  const { sub, ...rest } = claims;
  if (typeof sub === 'string') return { claims: rest, subject: sub };
  if (enforceRequired) throw new RequiredClaimMissing('sub');
  return { claims: rest };
}

/**
 * The access token's claims from the attributes of the resources it is for. A user token reads
 * the user (`user`), a client_credentials token has none.
 */
export async function resourceClaims(
  resources: readonly GrantedResource[],
  profile: ClientProfile,
  user: MappingUser | undefined,
  request: RequestData,
  now: Date,
): Promise<Record<string, JsonValue>> {
  const mappings = resources.flatMap((r) => r.attributes ?? []);
  if (mappings.length === 0) return {};
  const root = expressionRoot(user ? await user() : undefined, appConfigOf(profile), request);
  return evaluateClaims(mappings, () => true, root, now, false);
}
