/** Optional PingOne user attributes, kept as given (stored together as one JSON document). */

export interface UserName {
  given?: string;
  family?: string;
  middle?: string;
  formatted?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

export interface UserProfile {
  name?: UserName;
  externalId?: string;
  mobilePhone?: string;
  locale?: string;
  nickname?: string;
  title?: string;
  preferredLanguage?: string;
  timezone?: string;
}
