/**
 * The user profile attributes that `filter` compares with eq and sw (PingOne "SCIM filter
 * language"), of those Keyway stores: the management API checks filters against this list and
 * the store maps each to its member of the stored profile JSON (`name.given` → profile.name.given).
 */
export const USER_PROFILE_FILTER_ATTRIBUTES = [
  'accountId',
  'address.streetAddress',
  'address.locality',
  'address.region',
  'address.postalCode',
  'address.countryCode',
  'externalId',
  'locale',
  'mobilePhone',
  'name.formatted',
  'name.given',
  'name.middle',
  'name.family',
  'name.honorificPrefix',
  'name.honorificSuffix',
  'nickname',
  'photo.href',
  'preferredLanguage',
  'primaryPhone',
  'timezone',
  'title',
  'type',
] as const;
