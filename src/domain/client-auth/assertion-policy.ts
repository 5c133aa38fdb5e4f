/**
 * An environment's client-assertion policy (Keyway extension): the audience forms accepted, the
 * clock tolerance and the longest assertion lifetime, with the defaults that apply when the
 * environment sets none.
 */
import type { EnvironmentSettings } from '../environment-settings.js';
import type { ClientAssertionAudiencePolicy } from './audience-policy.js';

export interface ClientAssertionPolicy {
  audiencePolicy: ClientAssertionAudiencePolicy;
  /** Clock tolerance for exp/nbf/iat, seconds. */
  clockToleranceSeconds: number;
  /** Largest accepted exp - now (and now - iat), seconds. */
  maxAssertionLifetimeSeconds: number;
}

export const DEFAULT_CLIENT_ASSERTION_POLICY: Readonly<ClientAssertionPolicy> = {
  audiencePolicy: 'PINGONE_COMPATIBLE',
  clockToleranceSeconds: 15,
  maxAssertionLifetimeSeconds: 3600,
};

/** The environment's settings over the defaults. */
export function clientAssertionPolicyOf(settings: EnvironmentSettings): ClientAssertionPolicy {
  return {
    audiencePolicy: settings.clientAssertionAudiencePolicy ?? DEFAULT_CLIENT_ASSERTION_POLICY.audiencePolicy,
    clockToleranceSeconds: settings.clockToleranceSeconds ?? DEFAULT_CLIENT_ASSERTION_POLICY.clockToleranceSeconds,
    maxAssertionLifetimeSeconds: settings.maxAssertionLifetimeSeconds ?? DEFAULT_CLIENT_ASSERTION_POLICY.maxAssertionLifetimeSeconds,
  };
}
