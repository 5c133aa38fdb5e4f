/**
 * The sign-in protocol's SignInClients over the store: the parts of an application's
 * configuration the sign-in flows and user grants read, with PingOne's defaults.
 */
import type { ApplicationConfig } from '../../domain/applications/application-config.js';
import type { SignInClients, SignInClientSettings } from '../../protocol/sign-in/ports.js';
import type { Store } from '../../store/types.js';

/** PingOne's refresh-token default (30 days) when the application sets none. */
const DEFAULT_REFRESH_TOKEN_DURATION = 2_592_000;

export function signInSettings(config: ApplicationConfig): SignInClientSettings {
  return {
    redirectUris: config.redirectUris ?? [],
    allowWildcardInRedirectUris: config.allowWildcardInRedirectUris === true,
    postLogoutRedirectUris: config.postLogoutRedirectUris ?? [],
    responseTypes: config.responseTypes,
    pkceEnforcement: config.pkceEnforcement,
    parRequirement: config.parRequirement,
    parTimeout: config.parTimeout,
    refreshTokenDuration: config.refreshTokenDuration ?? DEFAULT_REFRESH_TOKEN_DURATION,
    refreshTokenRollingDuration: config.refreshTokenRollingDuration,
    refreshTokenRollingGracePeriodDuration: config.refreshTokenRollingGracePeriodDuration ?? 0,
    corsOrigins: config.corsSettings?.behavior === 'ALLOW_SPECIFIC_ORIGINS' ? (config.corsSettings.origins ?? []) : [],
  };
}

export function signInClients(store: Store): SignInClients {
  return {
    settings: async (environmentId, applicationId) => {
      const app = await store.getApplication(environmentId, applicationId);
      return app ? signInSettings(app.config) : undefined;
    },
  };
}
