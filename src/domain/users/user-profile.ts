/** Optional PingOne user attributes, kept as given (stored together as one JSON document). */

export interface UserName {
  given?: string;
  family?: string;
  middle?: string;
  formatted?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

/** OpenAPI `User_address`: the user's postal address, each component optional. */
export interface UserAddress {
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2 (`US`, `SE`). */
  countryCode?: string;
}

/** OpenAPI `User_photo`: `href` is required within the object. */
export interface UserPhoto {
  href: string;
}

export interface UserProfile {
  name?: UserName;
  address?: UserAddress;
  photo?: UserPhoto;
  externalId?: string;
  accountId?: string;
  mobilePhone?: string;
  primaryPhone?: string;
  locale?: string;
  nickname?: string;
  title?: string;
  type?: string;
  preferredLanguage?: string;
  timezone?: string;
}
