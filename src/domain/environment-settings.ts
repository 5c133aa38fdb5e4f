/**
 * Keyway settings of an environment's authorization server (a Keyway extension, not PingOne
 * fields), as stored with the environment. Unset members take the defaults of
 * ./client-auth/assertion-policy.ts.
 */
import type { ClientAssertionAudiencePolicy } from './client-auth/audience-policy.js';

export interface EnvironmentSettings {
  clientAssertionAudiencePolicy?: ClientAssertionAudiencePolicy;
  /** Echo the precise client-authentication failure in error_description (local development). */
  detailedErrors?: boolean;
  clockToleranceSeconds?: number;
  maxAssertionLifetimeSeconds?: number;
}
