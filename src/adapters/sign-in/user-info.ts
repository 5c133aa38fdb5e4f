/**
 * The protocol's UserInfoSource over the store: a user's claims for the granted scopes, and the
 * `user` object attribute-mapping expressions read. The same claims go into the ID token
 * (src/protocol/tokens/id-token.ts) and the userinfo response (src/protocol/userinfo.ts).
 */
import { ADDRESS_CLAIM_MEMBERS } from '../../domain/openid-resource.js';
import type { UserRecord } from '../../domain/users/user.js';
import { dynamicGroupRules } from '../../management/groups/dynamic.js';
import { expressionUser } from '../../protocol/claims/expression-user.js';
import type { UserInfoSource } from '../../protocol/sign-in/ports.js';
import type { Store } from '../../store/types.js';

/** OpenID Connect Core §5.4: the claims each standard scope releases. */
export function userInfo(store: Store): UserInfoSource {
  return {
    async claims(environmentId, userId, scope) {
      const user = await store.getUser(environmentId, userId);
      if (!user || !user.enabled) return undefined;
      const claims: Record<string, unknown> = { sub: user.id };
      if (scope.includes('profile')) Object.assign(claims, profileClaims(user));
      if (scope.includes('email')) claims.email = user.email;
      if (scope.includes('address')) {
        const address = addressClaim(user);
        if (address !== undefined) claims.address = address;
      }
      if (scope.includes('phone') && user.profile.mobilePhone !== undefined) claims.phone_number = user.profile.mobilePhone;
      return claims;
    },
    async mappingUser(environmentId, userId) {
      const rules = await dynamicGroupRules({ store }, environmentId);
      const [user, groups] = await Promise.all([store.getUser(environmentId, userId), store.userGroupAttributes(environmentId, userId, rules)]);
      if (!user || !user.enabled) return undefined;
      return expressionUser(user, groups);
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

/**
 * OpenID Connect Core 1.0 §5.1.1: `address` is a JSON object of the components the user has
 * (`formatted` is not stored, so never sent); none when the user has no address. §5.3.2: a claim
 * without a value is left out, not sent as null. The PREDEFINED `address` attribute's expression
 * (src/domain/openid-resource.ts) yields the same object.
 */
function addressClaim(user: UserRecord): Record<string, string> | undefined {
  const address = user.profile.address;
  if (address === undefined) return undefined;
  const claim: Record<string, string> = {};
  for (const [member, component] of ADDRESS_CLAIM_MEMBERS) {
    const value = address[component];
    if (value !== undefined) claim[member] = value;
  }
  return Object.keys(claim).length > 0 ? claim : undefined;
}
