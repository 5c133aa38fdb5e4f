/**
 * Time claims and `jti` of a client assertion (RFC 7523 §3 items 4-7, OpenID Connect Core §9).
 * Times are NumericDates in seconds; `now` and the settings come from the caller.
 */
import type { ClientAssertionPolicy } from '../../domain/client-auth/assertion-policy.js';
import type { JsonObject } from '../../domain/json-object.js';
import { InvalidClient } from '../errors.js';
import { show } from './assertion-values.js';

export const MAX_JTI_LENGTH = 256;

export interface TimeClaims {
  exp: number;
}

type TimeSettings = Pick<ClientAssertionPolicy, 'clockToleranceSeconds' | 'maxAssertionLifetimeSeconds'>;

/**
 * `exp` is required, not past and not further ahead than the maximum lifetime; `nbf` and `iat`,
 * when present, are not in the future; `iat` is not older than the maximum lifetime.
 */
export function checkTimeClaims(payload: JsonObject, settings: TimeSettings, now: Date): TimeClaims {
  const nowSeconds = now.getTime() / 1000;
  const tolerance = settings.clockToleranceSeconds;
  const maxLifetime = settings.maxAssertionLifetimeSeconds;
  const exp = numericDate(payload, 'exp');
  if (exp === undefined) throw new InvalidClient('EXP_MISSING', 'the exp claim is required (RFC 7523 §3 item 4)');
  if (exp <= nowSeconds - tolerance) throw new InvalidClient('EXPIRED', `exp ${exp} is ${Math.round(nowSeconds - exp)} s in the past`);
  if (exp > nowSeconds + maxLifetime + tolerance) {
    throw new InvalidClient('LIFETIME_TOO_LONG', `exp ${exp} is ${Math.round(exp - nowSeconds)} s ahead; at most ${maxLifetime} s are accepted`);
  }
  const nbf = numericDate(payload, 'nbf');
  if (nbf !== undefined && nbf > nowSeconds + tolerance) {
    throw new InvalidClient('NBF_IN_FUTURE', `nbf ${nbf} is ${Math.round(nbf - nowSeconds)} s in the future`);
  }
  const iat = numericDate(payload, 'iat');
  if (iat !== undefined && iat > nowSeconds + tolerance) {
    throw new InvalidClient('IAT_IN_FUTURE', `iat ${iat} is ${Math.round(iat - nowSeconds)} s in the future`);
  }
  if (iat !== undefined && iat < nowSeconds - maxLifetime - tolerance) {
    throw new InvalidClient('IAT_TOO_OLD', `iat ${iat} is ${Math.round(nowSeconds - iat)} s old; at most ${maxLifetime} s are accepted`);
  }
  return { exp };
}

/** OpenID Connect Core §9 requires `jti`; Keyway bounds it because it becomes a stored key. */
export function checkJti(payload: JsonObject): string {
  const jti = payload.jti;
  if (jti === undefined) throw new InvalidClient('JTI_MISSING', 'the jti claim is required (OpenID Connect Core §9)');
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw new InvalidClient('JTI_INVALID', `jti must be a string of 1 to ${MAX_JTI_LENGTH} characters, got ${show(jti)}`);
  }
  // Neither store engine keeps U+0000 in text; such a jti is malformed, not a storage failure.
  if (jti.includes('\u0000')) throw new InvalidClient('JTI_INVALID', 'jti must not contain U+0000');
  return jti;
}

const INVALID = { exp: 'EXP_INVALID', nbf: 'NBF_INVALID', iat: 'IAT_INVALID' } as const;

/** RFC 7519 §2: a JSON number; JSON.parse turns 1e400 into Infinity, which is refused too. */
function numericDate(payload: JsonObject, name: keyof typeof INVALID): number | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidClient(INVALID[name], `${name} must be a NumericDate (a number of seconds), got ${show(value)}`);
  }
  return value;
}
