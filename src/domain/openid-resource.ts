/**
 * The standard claims Keyway releases with the `profile`, `email` and `phone` scopes
 * (src/adapters/sign-in/user-info.ts), as PingOne lists them on the `openid` resource, with the
 * scope that releases each (OpenID Connect Core 1.0 §5.4). Keyway stores no postal address, so it
 * releases no `address` claim. `updated_at` is released as seconds since the epoch (§5.1).
 */
export const PREDEFINED_OPENID_CLAIMS: ReadonlyArray<readonly [name: string, value: string, scope: string]> = [
  ['name', '${user.name.formatted}', 'profile'],
  ['given_name', '${user.name.given}', 'profile'],
  ['family_name', '${user.name.family}', 'profile'],
  ['middle_name', '${user.name.middle}', 'profile'],
  ['nickname', '${user.nickname}', 'profile'],
  ['preferred_username', '${user.username}', 'profile'],
  ['zoneinfo', '${user.timezone}', 'profile'],
  ['locale', '${user.locale}', 'profile'],
  ['updated_at', '${user.updatedAt}', 'profile'],
  ['email', '${user.email}', 'email'],
  ['phone_number', '${user.mobilePhone}', 'phone'],
];

/** The `openid` resource's standard scopes (OpenID Connect Core 1.0 §5.4, §11): never deleted or renamed. */
export const STANDARD_OPENID_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

/**
 * Keyway's bound on the `openid` resource's scopes, standard and custom: every token request reads
 * them all for their `mappedClaims` (src/adapters/client-auth/claim-mappings.ts).
 */
export const MAX_OPENID_SCOPES = 100;
