/**
 * The sign-in protocol's ports over the store and key ring: application sign-in settings,
 * password checks, user claims and `id_token_hint` verification. The stateful ports (flows,
 * sessions, codes, refresh tokens, PAR) are in sign-in-adapters.ts.
 */
import type { ApplicationConfig } from '../../domain/applications/application-config.js';
import type { UserRecord } from '../../domain/users/user.js';
import { verifyRs256 } from '../../jose/jwt.js';
import type { KeyRing } from '../../keys/signing-keys.js';
import { verifyUserPassword } from '../../management/users/credentials.js';
import type { IdTokenHintVerifier, PasswordVerifier, SignInClients, SignInClientSettings, UserInfoSource } from '../../protocol/sign-in/ports.js';
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

export function passwordVerifier(store: Store): PasswordVerifier {
  return {
    async verify(environmentId, username, password, now) {
      const result = await verifyUserPassword(store, environmentId, username, password, now);
      return result.ok ? { ok: true, userId: result.user.id } : result;
    },
  };
}

/** OpenID Connect Core §5.4: the claims each standard scope releases. */
export function userInfo(store: Store): UserInfoSource {
  return {
    async claims(environmentId, userId, scope) {
      const user = await store.getUser(environmentId, userId);
      if (!user || !user.enabled) return undefined;
      const claims: Record<string, unknown> = { sub: user.id };
      if (scope.includes('profile')) Object.assign(claims, profileClaims(user));
      if (scope.includes('email')) claims.email = user.email;
      if (scope.includes('phone') && user.profile.mobilePhone !== undefined) claims.phone_number = user.profile.mobilePhone;
      return claims;
    },
  };
}

function profileClaims(user: UserRecord): Record<string, unknown> {
  const p = user.profile;
  const claims: Record<string, unknown> = { preferred_username: user.username, updated_at: Math.floor(Date.parse(user.updatedAt) / 1000) };
  const defined: Array<[string, string | undefined]> = [
    ['name', p.name?.formatted],
    ['given_name', p.name?.given],
    ['family_name', p.name?.family],
    ['middle_name', p.name?.middle],
    ['nickname', p.nickname],
    ['locale', p.locale],
    ['zoneinfo', p.timezone],
  ];
  for (const [claim, value] of defined) if (value !== undefined) claims[claim] = value;
  return claims;
}

/** OIDC RP-Initiated Logout §2: signature and issuer are checked; an expired hint is still a hint. */
export function idTokenHints(keyRing: KeyRing, issuer: (environmentId: string) => string): IdTokenHintVerifier {
  return {
    async verify(environmentId, token) {
      const keys = await keyRing.get(environmentId);
      const verified = keys && verifyRs256(token, keys.publicKeys);
      const p = verified?.payload;
      if (!p || p.iss !== issuer(environmentId) || typeof p.sub !== 'string') return undefined;
      const aud = (Array.isArray(p.aud) ? p.aud : [p.aud]).filter((a): a is string => typeof a === 'string');
      const claims = { sub: p.sub, aud, ...(typeof p.azp === 'string' ? { azp: p.azp } : {}), ...(typeof p.sid === 'string' ? { sid: p.sid } : {}) };
      return claims;
    },
  };
}
