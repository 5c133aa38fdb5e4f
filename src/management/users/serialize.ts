/**
 * A user as PingOne returns it (OpenAPI `User`), the password state of
 * `GET/PUT …/users/{id}/password`, and the `enabled` and `population` sub-resources. The
 * password hash and the failure count never leave here.
 */
import { ADMINISTRATIVE_LOCK_UNTIL } from '../../domain/users/sign-in-state.js';
import type { UserRecord } from '../../domain/users/user.js';
import { isLocked } from './credentials.js';

export function userHref(apiBase: string, environmentId: string, userId: string): string {
  return `${apiBase}/environments/${environmentId}/users/${userId}`;
}

/**
 * `account` is computed: locked while the lockout runs, able to authenticate when enabled and not
 * locked. An administrator's lock has no `unlockAt` or `secondsUntilUnlock`: it does not end by
 * itself (OpenAPI `UserAccount`).
 */
function account(user: UserRecord, now: Date): Record<string, unknown> {
  const locked = isLocked(user, now);
  if (!locked || user.signIn.lockedUntil === undefined) return { canAuthenticate: user.enabled, status: 'OK' };
  if (user.signIn.lockedUntil === ADMINISTRATIVE_LOCK_UNTIL) return { canAuthenticate: false, status: 'LOCKED' };
  const seconds = Math.max(0, Math.ceil((Date.parse(user.signIn.lockedUntil) - now.getTime()) / 1000));
  return { canAuthenticate: false, status: 'LOCKED', unlockAt: user.signIn.lockedUntil, secondsUntilUnlock: seconds };
}

export function toUserResponse(user: UserRecord, apiBase: string, now: Date): Record<string, unknown> {
  const env = `${apiBase}/environments/${user.environmentId}`;
  const self = userHref(apiBase, user.environmentId, user.id);
  const body: Record<string, unknown> = {
    _links: {
      self: { href: self },
      environment: { href: env },
      population: { href: `${env}/populations/${user.populationId}` },
      password: { href: `${self}/password` },
    },
    id: user.id,
    environment: { id: user.environmentId },
    account: account(user, now),
  };
  const p = user.profile;
  if (p.accountId !== undefined) body.accountId = p.accountId;
  if (p.address !== undefined) body.address = { ...p.address };
  body.createdAt = user.createdAt;
  body.email = user.email;
  body.enabled = user.enabled;
  if (p.externalId !== undefined) body.externalId = p.externalId;
  body.lifecycle = { status: user.lifecycleStatus };
  if (p.locale !== undefined) body.locale = p.locale;
  if (p.mobilePhone !== undefined) body.mobilePhone = p.mobilePhone;
  if (p.name !== undefined) body.name = { ...p.name };
  if (p.nickname !== undefined) body.nickname = p.nickname;
  if (p.photo !== undefined) body.photo = { href: p.photo.href };
  body.population = { id: user.populationId };
  if (p.preferredLanguage !== undefined) body.preferredLanguage = p.preferredLanguage;
  if (p.primaryPhone !== undefined) body.primaryPhone = p.primaryPhone;
  if (p.timezone !== undefined) body.timezone = p.timezone;
  if (p.title !== undefined) body.title = p.title;
  if (p.type !== undefined) body.type = p.type;
  body.updatedAt = user.updatedAt;
  body.username = user.username;
  // Custom attributes sit at the top level, by name (PingOne "Schemas", Custom attributes); their
  // names never take a core or standard attribute's (../schemas/custom.ts).
  return { ...body, ...user.customAttributes };
}

/** PingOne's password states that Keyway can be in (it has no expiry and no external directory). */
export type PasswordStatus = 'OK' | 'NO_PASSWORD' | 'MUST_CHANGE_PASSWORD' | 'PASSWORD_LOCKED_OUT';

export function passwordStatus(user: UserRecord, now: Date): PasswordStatus {
  if (!user.password) return 'NO_PASSWORD';
  if (isLocked(user, now)) return 'PASSWORD_LOCKED_OUT';
  return user.password.forceChange ? 'MUST_CHANGE_PASSWORD' : 'OK';
}

/** The password state: whether one is set, locked out or must change, and when it last changed. */
export function toPasswordResponse(user: UserRecord, apiBase: string, now: Date): Record<string, unknown> {
  const self = userHref(apiBase, user.environmentId, user.id);
  const body: Record<string, unknown> = {
    _links: {
      self: { href: `${self}/password` },
      user: { href: self },
      environment: { href: `${apiBase}/environments/${user.environmentId}` },
    },
    environment: { id: user.environmentId },
    user: { id: user.id },
    status: passwordStatus(user, now),
  };
  if (user.password) body.lastChangedAt = user.password.changedAt;
  return body;
}

/** `GET/PUT …/users/{id}/enabled` (OpenAPI `UserEnabled`). */
export function toEnabledResponse(user: UserRecord, apiBase: string): Record<string, unknown> {
  const self = userHref(apiBase, user.environmentId, user.id);
  return { _links: { self: { href: `${self}/enabled` }, user: { href: self } }, enabled: user.enabled };
}

/** `GET/PUT …/users/{id}/population` (OpenAPI `UserPopulation`). */
export function toPopulationResponse(user: UserRecord, apiBase: string): Record<string, unknown> {
  const self = userHref(apiBase, user.environmentId, user.id);
  const population = `${apiBase}/environments/${user.environmentId}/populations/${user.populationId}`;
  return { _links: { self: { href: `${self}/population` }, user: { href: self }, population: { href: population } }, id: user.populationId };
}
