/**
 * The standard claims Keyway releases with the `profile`, `email`, `address` and `phone` scopes
 * (src/adapters/sign-in/user-info.ts), as PingOne lists them on the `openid` resource, with the
 * scope that releases each (OpenID Connect Core 1.0 §5.4). `address` is the user's postal address
 * (PingOne's `User.address`) as the JSON object of §5.1.1; `formatted` is not stored, so never
 * released. `updated_at` is released as seconds since the epoch (§5.1).
 */
import type { UserAddress } from './users/user-profile.js';

/** The members of the `address` claim (OpenID Connect Core 1.0 §5.1.1) and the `User.address` component each comes from. */
export const ADDRESS_CLAIM_MEMBERS: ReadonlyArray<readonly [member: string, component: keyof UserAddress]> = [
  ['street_address', 'streetAddress'],
  ['locality', 'locality'],
  ['region', 'region'],
  ['postal_code', 'postalCode'],
  ['country', 'countryCode'],
];

/**
 * The `address` claim as an expression yielding what the built-in claim releases: no claim for a
 * user without an address (null), and only the members with a value. A map literal keeps a null
 * value, but discards an entry whose key is null (PingOne's "Maps and objects"), so each key is
 * null when its component is: `{'locality': user.address?.locality}` would release
 * `"locality": null`, which §5.3.2 says not to send. The profile never stores an empty address
 * (src/management/users/profile.ts), so a non-null address yields at least one member.
 */
const ADDRESS_EXPRESSION = `\${user.address == null ? null : {${ADDRESS_CLAIM_MEMBERS.map(
  ([member, component]) => `(user.address.${component} == null ? null : '${member}'): user.address.${component}`,
).join(', ')}}}`;

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
  ['address', ADDRESS_EXPRESSION, 'address'],
  ['phone_number', '${user.mobilePhone}', 'phone'],
];

/** The `openid` resource's standard scopes (OpenID Connect Core 1.0 §5.4, §11): never deleted or renamed. */
export const STANDARD_OPENID_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

/**
 * Keyway's bound on the `openid` resource's scopes, standard and custom: every token request reads
 * them all for their `mappedClaims` (src/adapters/client-auth/claim-mappings.ts).
 */
export const MAX_OPENID_SCOPES = 100;
